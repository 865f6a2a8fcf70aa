import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { hangar, useFakeApi, useMockServer } from '../helpers.js';

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
/** `export VAR="$(cmd)"`: the export's status (0) hides cmd's failure from `set -e` (SC2155). */
const EXPORT_SUBSTITUTION = /export [A-Za-z_][A-Za-z0-9_]*="?\$\(/;

describe('a failed "auth exchange" never widens a job to the stored token', () => {
  const mock = useMockServer();
  /** The fixture's env without HANGAR_API_TOKEN, after "auth login" stored the personal token. */
  async function loggedIn(): Promise<Record<string, string | undefined>> {
    const env = { ...mock.env, HANGAR_API_TOKEN: undefined };
    expect((await hangar(['auth', 'login', '--token', mock.server.devToken], { env })).code).toBe(
      0,
    );
    return env;
  }

  it.each([
    ['auth', 'exchange'],
    ['auth', 'token'],
  ])('%s %s --help sets the variable in two lines', async (...id) => {
    const help = await hangar([...id, '--help'], { env: mock.env });
    expect(help.stdout).not.toMatch(EXPORT_SUBSTITUTION);
    expect(help.stdout).toMatch(
      /^ +token="\$\(hangar .*\)"\n +export HANGAR_API_TOKEN="\$token"$/m,
    );
  });

  it('no README or doc recommends export VAR="$(...)"', async () => {
    const docs = (await readdir(join(ROOT, 'docs'))).map((name) => join('docs', name));
    for (const file of ['README.md', 'apps/cli/README.md', ...docs]) {
      if (!file.endsWith('.md')) continue;
      const text = await readFile(join(ROOT, file), 'utf8');
      expect({ file, match: EXPORT_SUBSTITUTION.exec(text)?.[0] }).toEqual({
        file,
        match: undefined,
      });
    }
  });

  it.each([
    ['an empty', ''],
    ['a blank', '  '],
  ])('refuses %s HANGAR_API_TOKEN (exit 2) instead of using config.yml', async (_, value) => {
    const env = { ...(await loggedIn()), HANGAR_API_TOKEN: value };
    for (const args of [
      ['auth', 'whoami', '--json'],
      ['auth', 'token'],
    ]) {
      const result = await hangar(args, { env });
      expect(result.code).toBe(2);
      expect(result.stdout).not.toContain('personal');
      expect(result.stdout).not.toContain(mock.server.devToken);
      expect(result.stderr).toMatch(/HANGAR_API_TOKEN is set but empty\. Unset it/);
      expect(result.stderr).toContain('fix the step that should have set it');
    }
    // Unset, the stored token is used as before.
    const unset = await hangar(['auth', 'whoami', '--json'], { env: await loggedIn() });
    expect(JSON.parse(unset.stdout).token.kind).toBe('personal');
  });
});

describe('the stored token only goes to the API URL it was stored with', () => {
  const mock = useMockServer();
  const other = useFakeApi(() => ({ status: 401, type: 'application/json', body: '{}' }));
  async function loggedIn(): Promise<Record<string, string | undefined>> {
    const env = { ...mock.env, HANGAR_API_TOKEN: undefined };
    expect((await hangar(['auth', 'login', '--token', mock.server.devToken], { env })).code).toBe(
      0,
    );
    return env;
  }

  it.each([
    ['--api-url', (url: string) => ({ args: ['--api-url', url], env: {} })],
    ['HANGAR_API_URL', (url: string) => ({ args: [], env: { HANGAR_API_URL: url } })],
  ])('refuses another URL from %s (exit 2), sending nothing', async (source, form) => {
    const env = await loggedIn();
    other.requests.length = 0;
    const { args, env: extra } = form(other.url);
    for (const command of [
      ['orgs', 'list'],
      ['auth', 'token'],
    ]) {
      const result = await hangar([...command, ...args], { env: { ...env, ...extra } });
      expect(result.code).toBe(2);
      expect(result.stdout).toBe('');
      expect(result.stderr).toContain(`stored for ${mock.server.url}, not ${other.url}`);
      expect(result.stderr).toContain(source);
      expect(result.stderr).toContain(`hangar auth login --api-url ${other.url}`);
      expect(result.stderr).not.toContain(mock.server.devToken);
    }
    expect(other.requests).toEqual([]);
  });

  it('auth logout does not send the token it would revoke to another URL', async () => {
    const env = { ...mock.env, HANGAR_API_TOKEN: undefined };
    const login = await hangar(
      ['auth', 'login', '--email', 'dev@hangar.local', '--password-stdin'],
      {
        env,
        input: 'hangar-dev-password',
      },
    );
    expect(login.code).toBe(0);
    other.requests.length = 0;
    const logout = await hangar(['auth', 'logout', '--api-url', other.url], { env });
    expect(logout.code).toBe(2);
    expect(logout.stderr).toContain(`stored for ${mock.server.url}, not ${other.url}`);
    expect(other.requests).toEqual([]);
  });

  it('accepts the same URL written differently, and sends a given token anywhere', async () => {
    const env = await loggedIn();
    const spelled = await hangar(
      ['orgs', 'list', '--api-url', `${mock.server.url.replace(/^http/, 'HTTP')}/v1/`],
      {
        env,
      },
    );
    expect(spelled.code).toBe(0);
    other.requests.length = 0;
    const given = await hangar(['orgs', 'list', '--api-url', other.url], {
      env: { ...env, HANGAR_API_TOKEN: mock.server.devToken },
    });
    expect(given.stderr).not.toContain('stored for');
    expect(other.requests[0]).toMatch(/^GET \/v1\/orgs/);
  });
});
