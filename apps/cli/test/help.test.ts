import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { format } from 'node:util';
import { describe, expect, it } from 'vitest';
import { hangar } from './helpers.js';

interface ManifestCommand {
  id: string;
  pluginName: string;
  examples?: unknown[];
  summary?: string;
}
const manifest = JSON.parse(
  readFileSync(new URL('../oclif.manifest.json', import.meta.url), 'utf8'),
) as {
  commands: Record<string, ManifestCommand>;
};
const ours = Object.values(manifest.commands).filter((c) => c.pluginName === '@hangar/cli');

describe('help and version', () => {
  it('has every command of the issue, each with a summary and examples', () => {
    const ids = ours.map((c) => c.id.replaceAll(':', ' ')).sort();
    expect(ids).toEqual(
      [
        'apps create',
        'apps destroy',
        'apps list',
        'apps show',
        'auth can',
        'auth exchange',
        'auth login',
        'auth logout',
        'auth token',
        'auth whoami',
        'events list',
        'machines destroy',
        'machines list',
        'machines run',
        'machines show',
        'machines start',
        'machines stop',
        'orgs list',
        'orgs show',
        'tokens attenuate',
        'tokens create deploy',
        'tokens create org',
        'tokens create readonly',
        'tokens inspect',
        'tokens list',
        'tokens revoke',
        'tokens rotate',
        'tokens show',
        'trust-policies create',
        'trust-policies delete',
        'trust-policies list',
        'trust-policies show',
      ].sort(),
    );
    for (const command of ours) {
      expect(command.summary, command.id).toBeTruthy();
      expect(command.examples?.length, command.id).toBeGreaterThan(0);
    }
  });

  it('prints the version line as oclif does', async () => {
    const pjson = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
    const result = await hangar(['--version'], { process: true });
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(
      `@hangar/cli/${pjson.version} ${process.platform}-${process.arch} node-${process.version}\n`,
    );
  });

  it.each([
    [['tokens', 'list', '--help']],
    [['tokens', 'create', '--help']],
    [['tokens', 'create', 'org', '--help']],
    [['help', 'tokens', 'revoke']],
    [['tokens', '--help']],
    [['--help']],
    [['tokens', 'ls', '--help']],
    [['machines', 'run', '-h']],
  ])('serves %j from the build-time cache exactly as oclif renders it', async (args) => {
    const fast = await hangar(args);
    const live = await hangar(args, { env: { HANGAR_DISABLE_HELP_CACHE: '1' } });
    expect(fast.code).toBe(0);
    expect(live.code).toBe(0);
    expect(fast.stdout).toBe(live.stdout);
    expect(fast.stdout).toContain('USAGE');
  });

  it('lists the subcommands of tokens create from the cache', async () => {
    const { stdout } = await hangar(['tokens', 'create', '--help']);
    expect(stdout).toMatch(
      /COMMANDS\n {2}tokens create deploy .*\n {2}tokens create org .*\n {2}tokens create readonly /,
    );
  });

  it('caches every topic, command and alias screen, each exactly as a fresh oclif renders it', async () => {
    const cache = JSON.parse(
      readFileSync(new URL('../dist/help-cache.json', import.meta.url), 'utf8'),
    ) as { width: number; plain: Record<string, string> };
    // What a `hangar KEY --help` process renders with oclif (80 columns, no colour): oclif and
    // ansis read these once, at import.
    Object.assign(process.env, {
      OCLIF_COLUMNS: String(cache.width),
      NO_COLOR: '1',
      FORCE_COLOR: '0',
      HANGAR_DISABLE_THEME: 'true',
    });
    const { Config } = await import('@oclif/core');
    const { default: Help } = await import('../src/help.js');
    const root = fileURLToPath(new URL('..', import.meta.url));
    const listing = await Config.load(root);
    const keys = new Set(['']);
    for (const topic of listing.topics) keys.add(topic.name.replaceAll(':', ' '));
    for (const command of listing.commands) {
      if (command.hidden) continue;
      keys.add(command.id.replaceAll(':', ' '));
      for (const alias of command.aliases) keys.add(alias.replaceAll(':', ' '));
    }
    expect(Object.keys(cache.plain).sort()).toEqual([...keys].sort());
    /** Screens of hangar's own commands and aliases (not plugins'): each lists the exit codes. */
    const ours = new Set(
      listing.commands
        .filter((command) => command.pluginName === listing.pjson.name)
        .flatMap((command) =>
          [command.id, ...command.aliases].map((id) => id.replaceAll(':', ' ')),
        ),
    );
    expect(ours.size).toBeGreaterThan(20);
    /** The CLI's help class (oclif's plus EXIT CODES), printing into `text` (via console.log). */
    class CapturedHelp extends Help {
      text = '';
      override log(...args: string[]): void {
        this.text += `${format(...args)}\n`;
      }
    }
    for (const key of keys) {
      const help = new CapturedHelp(await Config.load(root));
      await help.showHelp([...(key ? key.split(' ') : []), '--help']);
      const text = help.text;
      expect(cache.plain[key], `hangar ${key} --help`).toBe(text);
      if (ours.has(key)) {
        expect(text, `hangar ${key} --help`).toContain('EXIT CODES\n  0    Success.');
        // Every USAGE line reads as a command a user could type: no empty alternative
        // (oclif's generated line for `exclusive` flags once ended in "[--token TOKEN | ]").
        const usage = text.split('\n\n').find((section) => section.startsWith('USAGE')) ?? '';
        expect(usage, `hangar ${key} --help`).not.toMatch(/\|\s*\]|\[\s*\||\[\s*\]/);
      }
    }
  });

  it('serves --help from the cache in a fresh process exactly as oclif renders it there', async () => {
    const fast = await hangar(['--help'], { process: true });
    const live = await hangar(['--help'], {
      process: true,
      env: { HANGAR_DISABLE_HELP_CACHE: '1' },
    });
    expect(fast.code).toBe(0);
    expect(fast.stdout).toBe(live.stdout);
    expect(fast.stdout).toContain('USAGE');
  });

  it('shows flyctl-shaped flags for tokens create org', async () => {
    const { stdout } = await hangar(['tokens', 'create', 'org', '--help']);
    expect(stdout).toMatch(/-o, --org=ORG/);
    expect(stdout).toMatch(
      /-n, --name=NAME.*\n.*\[default: Org deploy token\]|\[default: Org deploy token\]/,
    );
    expect(stdout).toMatch(/-x, --expiry=DURATION/);
    const text = stdout.replace(/\s+/g, ' ');
    expect(text).toContain(
      'Default: 20 years, shortened to the remaining life of the token creating it when that is shorter. An explicit --expiry that outlives the creating token is refused.',
    );
    expect(text).not.toMatch(/Default: 20 years \(175200h0m0s\)/);
    expect(stdout).toMatch(/-j, --json/);
    expect(stdout).toMatch(/-t, --access-token=TOKEN/);
    expect(stdout).toContain('EXAMPLES');
  });

  it('describes what tokens rotate does with -x, --current and --idempotency-key', async () => {
    const rotate = (await hangar(['tokens', 'rotate', '--help'])).stdout.replace(/\s+/g, ' ');
    expect(rotate).not.toContain('Default: 20 years');
    expect(rotate).toContain('Default: as long as the old token lived from its creation');
    expect(rotate).not.toContain('KEY:ID');
    expect(rotate).not.toContain('so it keeps its expiry');
    expect(rotate).toContain('-x can only shorten it');
    const create = (await hangar(['tokens', 'create', 'org', '--help'])).stdout;
    expect(create).not.toContain('KEY:ID');
    const revoke = (await hangar(['tokens', 'revoke', '--help'])).stdout.replace(/\s+/g, ' ');
    expect(revoke).toContain('With several token ids, each request uses KEY:ID');
  });

  it('uses only ids the CLI accepts in its examples', () => {
    const text = JSON.stringify(ours.map((c) => c.examples ?? []));
    const ids = text.match(/\b(?:tok|app|m)_[0-9A-Za-z]*/g) ?? [];
    expect(ids.length).toBeGreaterThan(0);
    for (const id of ids)
      expect(id).toMatch(/^(tok_[0-9a-f]{32}|app_[0-9a-f]{16}|m_[0-9a-f]{16})$/);
  });
});
