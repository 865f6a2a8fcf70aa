#!/usr/bin/env node
// Pre-renders every help screen with the CLI's help class (oclif.helpClass) at build time, into
// dist/help-cache.json, so that `hangar <command> --help` can print it without loading oclif
// (bin/run.js fast path; loading @oclif/core alone costs more than the 2x start-up budget).
//
// Each screen is rendered twice at 80 columns: plain, and with colours (FORCE_COLOR=1), each in
// a child process because ansis reads the colour setting once at import.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
export const WIDTH = 80;

async function render() {
  const { Config, loadHelpClass } = await import('@oclif/core');
  const config = await Config.load(root);
  const keys = new Set(['']);
  for (const topic of config.topics) keys.add(topic.name.replaceAll(':', ' '));
  for (const command of config.commands) {
    if (command.hidden) continue;
    keys.add(command.id.replaceAll(':', ' '));
    for (const alias of command.aliases ?? []) keys.add(alias.replaceAll(':', ' '));
  }
  const screens = {};
  const write = process.stdout.write.bind(process.stdout);
  for (const key of keys) {
    // A fresh Config for every screen: oclif's Help rewrites the ids of the commands and topics
    // it formats (':' to ' ', in place), so a second screen rendered from the same Config loses
    // them (`tokens create --help` listed no subcommands after `tokens --help`).
    const fresh = await Config.load(root);
    let text = '';
    process.stdout.write = (chunk) => {
      text += String(chunk);
      return true;
    };
    try {
      const Help = await loadHelpClass(fresh);
      const help = new Help(fresh, fresh.pjson.oclif.helpOptions ?? {});
      await help.showHelp([...(key ? key.split(' ') : []), '--help']);
    } finally {
      process.stdout.write = write;
    }
    screens[key] = text;
  }
  write(JSON.stringify({ version: config.version, screens }));
}

function renderIn(env) {
  const result = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--render'], {
    env: { ...process.env, OCLIF_COLUMNS: String(WIDTH), HANGAR_DISABLE_THEME: 'true', ...env },
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.status !== 0) throw new Error(`help rendering failed: ${result.stderr}`);
  return JSON.parse(result.stdout);
}

if (process.argv.includes('--render')) {
  await render();
} else {
  const plain = renderIn({ FORCE_COLOR: '0', NO_COLOR: '1' });
  const color = renderIn({ FORCE_COLOR: '1', NO_COLOR: '' });
  const cache = {
    version: plain.version,
    width: WIDTH,
    plain: plain.screens,
    color: color.screens,
  };
  writeFileSync(new URL('../dist/help-cache.json', import.meta.url), `${JSON.stringify(cache)}\n`);
  console.log(`wrote ${Object.keys(plain.screens).length} help screens to dist/help-cache.json`);
}
