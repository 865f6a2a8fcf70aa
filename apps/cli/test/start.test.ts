// Issue 14 (docs/benchmarks.md, fifth pass): a run of one of our commands does not find and load
// oclif's core plugins (@oclif/plugin-help, @oclif/plugin-autocomplete); everything that shows
// or looks for other commands still gets them (src/start.ts).
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { fakeToken } from './fake-token.js';
import { hangar } from './helpers.js';

const root = fileURLToPath(new URL('..', import.meta.url)).replace(/\/$/, '');

interface Bundle {
  configFor(
    argv: string[],
    root: string,
  ): Promise<{ config: { plugins: Map<string, unknown>; root: string }; lean: boolean }>;
}
const bundle = (await import(join(root, 'dist', 'bundle', 'cli.js'))) as Bundle;
const CORE = ['@oclif/plugin-help', '@oclif/plugin-autocomplete'];

describe('the configuration a run gets (src/start.ts)', () => {
  it.each([
    [['tokens', 'inspect', fakeToken()]],
    [['tokens', 'list', '-o', 'acme']],
    [['orgs', 'list', '--json']],
    [['tokens', 'create', 'org', '--org', 'acme', '--', '--help']],
  ])('%j: our command, without the core plugins', async (argv) => {
    const { config, lean } = await bundle.configFor(argv, root);
    expect(lean).toBe(true);
    expect([...config.plugins.keys()]).toEqual(['@hangar/cli']);
    expect(config.root).toBe(root);
  });

  it.each([
    [[]],
    [['help']],
    [['help', 'tokens']],
    [['autocomplete', 'bash']],
    [['tokens']],
    [['tokens', 'inspect', '--help']],
    [['orgs', 'list', '-h']],
    [['hlep']],
    [['tokens', 'lst']],
    [['tokens', 'create', 'deploy', 'acme-web']],
  ])('%j: help, completion, a topic or no such command, with the core plugins', async (argv) => {
    const { config, lean } = await bundle.configFor(argv, root);
    expect(lean).toBe(false);
    expect([...config.plugins.keys()].sort()).toEqual(['@hangar/cli', ...CORE].sort());
  });
});

describe('what the core plugins serve, after src/start.ts', () => {
  it('hangar help lists the help and autocomplete commands', async () => {
    const result = await hangar(['help'], { env: { HANGAR_DISABLE_HELP_CACHE: '1' } });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^ {2}autocomplete +Display autocomplete/m);
    expect(result.stdout).toMatch(/^ {2}help +Display help for hangar/m);
  });

  it('an unknown command close to a core plugin command is suggested that command', async () => {
    const result = await hangar(['autocomplet']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('Did you mean "autocomplete"?');
  });
});
