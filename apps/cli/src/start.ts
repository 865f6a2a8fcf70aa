import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Interfaces } from '@oclif/core';
import { Config } from '@oclif/core/config';
import { normalizeArgv } from '@oclif/core/help';
import { helpAddition, run, versionAddition } from '@oclif/core/run';

/**
 * The configuration oclif runs `argv` with (bin/run.js: every run that is not a fast path).
 *
 * Issue 14 (docs/benchmarks.md, fifth pass): oclif's `Config.load` finds and loads the core
 * plugins (`oclif.plugins` in package.json: @oclif/plugin-help, @oclif/plugin-autocomplete) on
 * every run, matching each dependency name against their patterns with minimatch, resolving each
 * package and reading its package.json and manifest, and it first walks up from bin/run.js to
 * find our own package.json. Only `help`, `autocomplete`, help screens and unknown commands use
 * them. So the package root and its package.json are given to oclif (its documented `root` and
 * `pjson` load options), and a run of one of our commands (`tokens inspect ...`) loads a
 * configuration without the core plugins. Whatever that configuration does not run as one of
 * our commands (no command found: `help`, `autocomplete`, a topic, an unknown or mistyped
 * command; or a help or version flag) gets the whole configuration, so help screens, completion
 * and the suggestions for an unknown command see every command, as before.
 *
 * @param argv the command line after `hangar`
 * @param root the package's directory (the one holding package.json)
 * @returns the configuration, and whether it is the lean one (without the core plugins)
 */
export async function configFor(
  argv: string[],
  root: string,
): Promise<{ config: Interfaces.Config; lean: boolean }> {
  const pjson = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as Interfaces.PJSON;
  const { plugins, ...withoutPlugins } = pjson.oclif;
  if (plugins?.length) {
    const lean = await Config.load({ root, pjson: { ...pjson, oclif: withoutPlugins } });
    if (!helpAddition(argv, lean) && !versionAddition(argv, lean)) {
      const [id] = normalizeArgv(lean, [...argv]);
      if (id !== undefined && lean.findCommand(id)) return { config: lean, lean: true };
    }
  }
  return { config: await Config.load({ root, pjson }), lean: false };
}

/** oclif's `run` with the configuration {@link configFor} chooses. */
export async function start(argv: string[], root: string): Promise<unknown> {
  const { config } = await configFor(argv, root);
  return run(argv, config);
}
