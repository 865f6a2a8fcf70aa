// The CLI runs its commands from one bundle (scripts/bundle.mjs), whose COMMANDS registry is
// generated from the command files at build time; oclif finds commands only there (package.json:
// the "explicit" strategy). A command file missing from it would be a command users cannot run.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { hangar } from './helpers.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const srcCommands = join(root, 'src', 'commands');

/** oclif's id for each command source file: directories then the name, "index" naming its dir. */
function sourceIds(dir = srcCommands): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceIds(path);
    if (!entry.name.endsWith('.ts') || entry.name.endsWith('.d.ts')) return [];
    const parts = relative(srcCommands, path).replace(/\.ts$/, '').split(/[\\/]/);
    if (parts.at(-1) === 'index') parts.pop();
    return [parts.join(':')];
  });
}

describe('command registry (dist/bundle/cli.js, generated at build)', () => {
  it('holds every command under src/commands, and nothing else', async () => {
    const bundle = (await import(join(root, 'dist', 'bundle', 'cli.js'))) as {
      COMMANDS: Record<string, { prototype: { run?: unknown } }>;
    };
    expect(Object.keys(bundle.COMMANDS).sort()).toEqual(sourceIds().sort());
    for (const command of Object.values(bundle.COMMANDS)) {
      expect(typeof command.prototype.run).toBe('function');
    }
  });

  it('gives every argument ignoreStdin (lib/args.ts: never read from stdin unless asked)', async () => {
    const bundle = (await import(join(root, 'dist', 'bundle', 'cli.js'))) as {
      COMMANDS: Record<string, { args?: Record<string, { ignoreStdin?: boolean }> }>;
    };
    const reading = Object.entries(bundle.COMMANDS).flatMap(([id, command]) =>
      Object.entries(command.args ?? {})
        .filter(([, arg]) => arg.ignoreStdin !== true)
        .map(([name]) => `${id} ${name}`),
    );
    expect(reading).toEqual([]);
  });

  it('is what oclif.manifest.json lists for @hangar/cli', () => {
    const manifest = JSON.parse(readFileSync(join(root, 'oclif.manifest.json'), 'utf8')) as {
      commands: Record<string, { pluginName: string }>;
    };
    const listed = Object.entries(manifest.commands)
      .filter(([, c]) => c.pluginName === '@hangar/cli')
      .map(([id]) => id);
    expect(listed.sort()).toEqual(sourceIds().sort());
  });

  it('runs a command from it (the built binary, not the sources)', async () => {
    const result = await hangar(['tokens', 'inspect', '--help'], {
      env: { HANGAR_DISABLE_HELP_CACHE: '1' },
    });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Show what a token may do, offline.');
  });
});

/** The bundle files every command loads: cli.js and the chunks it imports statically. */
function startupCode(file = 'cli.js', seen = new Set<string>()): string {
  if (seen.has(file)) return '';
  seen.add(file);
  const code = readFileSync(join(root, 'dist', 'bundle', file), 'utf8');
  // Static imports only (`import "./x.js"`, `} from "./x.js"`), not `import("./x.js")`.
  const imported = [...code.matchAll(/^(?:import |.*\bfrom )"\.\/([^"]+)";$/gm)];
  return code + imported.map((m) => startupCode(m[1] as string, seen)).join('');
}

// Issue 14 (docs/benchmarks.md): what a command loads before its own code is oclif's start-up.
describe('start-up part of the bundle', () => {
  it('leaves out semver and defers the oclif dependencies no command run calls', () => {
    const code = startupCode();
    // @oclif/core's main module checks the Node version with semver; our code uses its parts.
    expect(code).not.toMatch(/node_modules\/semver\//);
    for (const name of [
      'tinyglobby',
      'ejs',
      'cli-spinners',
      'lilconfig',
      'wrap-ansi',
      'minimatch',
    ]) {
      expect(code).toContain(`"deferred:${name}"`);
    }
  });

  it("imports no 'node:process' as an ES module (its facade opens stdin; scripts/bundle.mjs)", () => {
    // Not only the files every command loads: oclif's platform check imports is-wsl's chunk.
    const bundle = join(root, 'dist', 'bundle');
    const importing = readdirSync(bundle).filter((file) =>
      /^import .* from "(node:)?process";$/m.test(readFileSync(join(bundle, file), 'utf8')),
    );
    expect(importing).toEqual([]);
  });

  it('is ASCII only (scripts/bundle.mjs escapes what esbuild leaves in patterns and comments)', () => {
    // One non-ASCII character makes Node decode the whole file the slow way, and above U+00FF
    // makes V8 keep it as a two-byte string.
    const code = startupCode();
    const at = code.search(/[\u0080-\uffff]/);
    expect(at === -1 ? '' : code.slice(Math.max(0, at - 60), at + 20)).toBe('');
  });

  it('loads a deferred package when a command does use it (help examples through ejs)', async () => {
    // @oclif/plugin-autocomplete's examples are ejs templates ("$ <%= config.bin %> ...").
    const result = await hangar(['autocomplete', '--help'], {
      env: { HANGAR_DISABLE_HELP_CACHE: '1' },
    });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('$ hangar autocomplete bash');
    expect(result.stdout).not.toContain('<%');
  });
});

describe('--idempotency-key on every command that sends a POST or DELETE', () => {
  // The README: every POST and DELETE takes one, and a rerun with the same key is safe. Not the
  // auth commands (their SDK calls still send a key, so the SDK's own retries are safe): a
  // rerun of `auth login` asks for the password and makes a new session anyway; `auth logout`
  // rerun after a lost answer finds its token already revoked, the outcome it wanted; and
  // `auth exchange` in CI fetches a fresh ID token, which a replayed key would not match (a
  // lost exchanged token expires within the hour; src/commands/auth/exchange.ts).
  const writes = [
    'apps:create',
    'apps:destroy',
    'machines:run',
    'machines:start',
    'machines:stop',
    'machines:destroy',
    'tokens:create:org',
    'tokens:create:readonly',
    'tokens:create:deploy',
    'tokens:revoke',
    'tokens:rotate',
    'trust-policies:create',
    'trust-policies:delete',
  ];

  it.each(writes)('%s takes it', async (id) => {
    const bundle = (await import(join(root, 'dist', 'bundle', 'cli.js'))) as {
      COMMANDS: Record<string, { flags?: Record<string, { helpValue?: unknown }> }>;
    };
    expect(bundle.COMMANDS[id]?.flags?.['idempotency-key']?.helpValue).toBe('KEY');
  });
});
