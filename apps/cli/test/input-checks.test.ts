import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { closedUrl, hangar, tempConfigDir, useMockServer } from './helpers.js';

const PRECEDENCE_WARNING =
  'Warning: HANGAR_API_TOKEN is set and takes precedence over the stored token; unset it to use the token stored by "auth login".\n';

describe('bad input is a usage error (exit 2), before any request', () => {
  const mock = useMockServer();

  it.each([
    [['auth', 'login', '--token', 'garbage'], /from --token is malformed/],
    [['tokens', 'inspect', 'hangar_abc'], /from the argument is malformed/],
    [['tokens', 'inspect', '-'], /from standard input is malformed/],
    [
      ['auth', 'login', '--token', 'hangar_abc', '--email', 'dev@hangar.local'],
      /^Error: Use either --token \(store a token you have\) or --email \(log in with a password\), not both\.$/m,
    ],
  ])('%j exits 2 saying what is wrong with the input', async (args, where) => {
    const result = await hangar(args, {
      env: { ...mock.env, HANGAR_API_URL: await closedUrl() },
      input: 'hangar_abc',
    });
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(where);
    expect(result.stderr).not.toMatch(/Cannot reach/);
  });

  it('refuses an empty --access-token instead of falling back to another token', async () => {
    const result = await hangar(['orgs', 'list', '-t', ''], { env: mock.env });
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^Error: Empty --access-token: pass a token/);
  });

  it('says the password is missing when --password-stdin reads nothing', async () => {
    const result = await hangar(
      ['auth', 'login', '--email', 'dev@hangar.local', '--password-stdin'],
      { env: { ...mock.env, HANGAR_API_TOKEN: '' }, input: '' },
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('Error: No password on standard input (--password-stdin).\n');
  });

  it.each([
    ['a list', '- access_token: x\n'],
    ['a scalar', 'just some text\n'],
  ])('reports a config.yml holding %s, naming the file', async (_, text) => {
    const { dir, cleanup } = await tempConfigDir();
    try {
      await mkdir(dir, { recursive: true, mode: 0o700 });
      const file = join(dir, 'config.yml');
      await writeFile(file, text, { mode: 0o600 });
      const result = await hangar(['orgs', 'list'], {
        env: { HANGAR_CONFIG_DIR: dir, HANGAR_API_URL: mock.server.url },
      });
      expect(result.code).toBe(1);
      expect(result.stderr).toBe(
        `Error: ${file} should hold a YAML mapping (access_token, api_url); fix or delete it.\n`,
      );
    } finally {
      await cleanup();
    }
  });

  it.each(['/v1', '/v1/', '/'])('accepts an --api-url ending in %s', async (suffix) => {
    const result = await hangar(['orgs', 'list', '--api-url', `${mock.server.url}${suffix}`], {
      env: mock.env,
    });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/acme/);
  });
});

describe('auth login while HANGAR_API_TOKEN is set', () => {
  const mock = useMockServer();

  it.each([
    ['--token', () => ({ args: ['--token', mock.server.devToken], input: '' })],
    ['a piped token', () => ({ args: [], input: mock.server.devToken })],
    [
      '--email --password-stdin',
      () => ({
        args: ['--email', 'dev@hangar.local', '--password-stdin'],
        input: 'hangar-dev-password\n',
      }),
    ],
  ])('warns on stderr that the variable wins over the stored token (%s)', async (_, form) => {
    const { args, input } = form();
    // Standard input is a real pipe here (a subprocess) for the piped forms.
    const result = await hangar(['auth', 'login', ...args], {
      env: mock.env,
      input,
      process: input !== '',
    });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Logged in to /);
    expect(result.stderr).toBe(PRECEDENCE_WARNING);
  });

  it('does not warn when HANGAR_API_TOKEN is unset or empty', async () => {
    // A config of its own: over the logins above, auth login would name the login token it
    // stops storing (login.test.ts).
    const config = await tempConfigDir();
    try {
      const result = await hangar(['auth', 'login', '--token', mock.server.devToken], {
        env: { ...mock.env, HANGAR_API_TOKEN: '', HANGAR_CONFIG_DIR: config.dir },
      });
      expect(result.code).toBe(0);
      expect(result.stderr).toBe('');
    } finally {
      await config.cleanup();
    }
  });
});
