import { deriveRootKey, mint, newIdentifier } from '@hangar/tokens';
import { describe, expect, it } from 'vitest';
import { admin, closedUrl, hangar, hangarLine, useMockServer } from './helpers.js';

/** One line on stderr, no stack trace, nothing on stdout. */
function expectOneLineError(result: { stdout: string; stderr: string }): void {
  expect(result.stdout).toBe('');
  const lines = result.stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^Error: /);
  expect(result.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/);
}

describe('error paths', () => {
  const mock = useMockServer();

  it.each([
    ['30', /missing unit/],
    ['0', /positive/],
    ['-5h', /positive/],
    ['9999999999h', /overflow|too (long|large)|maximum|out of range/i],
    ['5 parsecs', /./],
    [' 1h', /unexpected " " at position 0/],
    ['1h ', /unknown unit "h "/],
    ['1.5.3h', /unexpected "\." at position 3/],
  ])('refuses --expiry %s with the valid units (exit 2)', async (value, why) => {
    const result = await hangar(['tokens', 'create', 'org', 'acme', '-x', value], {
      env: mock.env,
    });
    expect(result.code).toBe(2);
    expectOneLineError(result);
    // Our message as written, without oclif's "Parsing --expiry" prefix before it.
    expect(result.stderr).toMatch(/^Error: Invalid --expiry /);
    expect(result.stderr).toContain(`Invalid --expiry ${JSON.stringify(value)}`);
    expect(result.stderr).toMatch(why);
    expect(result.stderr).toMatch(/ns, us, µs, ms, s, m, h, d/);
  });

  it('accepts -x 30d', async () => {
    const result = await hangar(['tokens', 'create', 'org', 'acme', '-x', '30d'], {
      env: mock.env,
    });
    expect(result.code).toBe(0);
  });

  it('refuses a bad --scope naming the valid values (exit 2)', async () => {
    const result = await hangar(['tokens', 'list', '-s', 'everything', '-o', 'acme'], {
      env: mock.env,
    });
    expect(result.code).toBe(2);
    expectOneLineError(result);
    expect(result.stderr).toContain('Expected --scope=everything to be one of: app, org');
  });

  it('treats revoke without ids as a usage error (exit 2)', async () => {
    const result = await hangar(['tokens', 'revoke'], { env: mock.env });
    expect(result.code).toBe(2);
    expectOneLineError(result);
    expect(result.stderr).toMatch(/No token ids given/);
  });

  it('says how to pass an org when there is none and no terminal (exit 2)', async () => {
    const result = await hangar(['tokens', 'create', 'org'], { env: mock.env, process: true });
    expect(result.code).toBe(2);
    expectOneLineError(result);
    expect(result.stderr).toContain('--org ORG');
    expect(result.stderr).toContain('HANGAR_ORG');
  });

  it('turns oclif parse errors into one line with exit 2', async () => {
    const unknown = await hangar(['tokens', 'list', '--no-such-flag'], {
      env: mock.env,
      process: true,
    });
    expect(unknown.code).toBe(2);
    expectOneLineError(unknown);
    expect(unknown.stderr).toMatch(/Nonexistent flag: --no-such-flag/);
    const missing = await hangar(['apps', 'show'], { env: mock.env });
    expect(missing.code).toBe(2);
    expectOneLineError(missing);
    const command = await hangar(['tokens', 'frobnicate'], { env: mock.env, process: true });
    expect(command.code).toBe(2);
    expect(command.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/);
  });

  it.each([
    ['truncated', (t: string) => t.slice(0, -10), /mistyped or truncated/],
    [
      'mistyped',
      (t: string) => `${t.slice(0, 20)}${t[20] === 'A' ? 'B' : 'A'}${t.slice(21)}`,
      /mistyped or truncated/,
    ],
    ['foreign', () => 'ghp_notahangartoken', /not a Hangar token/],
  ])('reports a %s token before any request', async (_kind, mangle, why) => {
    const url = await closedUrl();
    const bad = mangle(mock.server.devToken);
    for (const args of [
      ['apps', 'list', '-o', 'acme', '--api-url', url, '-t', bad],
      ['apps', 'list', '-o', 'acme', '--api-url', url],
    ]) {
      const result = await hangar(args, { env: { ...mock.env, HANGAR_API_TOKEN: bad } });
      // A bad --access-token / HANGAR_API_TOKEN value is a usage error, as a bad flag value.
      expect(result.code).toBe(2);
      expectOneLineError(result);
      expect(result.stderr).toMatch(/malformed/);
      expect(result.stderr).toMatch(why);
      expect(result.stderr).not.toMatch(/Cannot reach|ECONNREFUSED/);
      expect(result.stderr).not.toContain(bad);
    }
  });

  it('reports an unreachable server clearly', async () => {
    const url = await closedUrl();
    const result = await hangar(['orgs', 'list', '--api-url', url], {
      env: mock.env,
      process: true,
    });
    expect(result.code).toBe(1);
    expectOneLineError(result);
    expect(result.stderr).toContain(`Cannot reach the Hangar API at ${url}`);
  });

  it('https:// to a plain HTTP server: says to use http://, without OpenSSL internals', async () => {
    const url = mock.server.url.replace(/^http:/, 'https:');
    const result = await hangar(['orgs', 'list', '--api-url', url], { env: mock.env });
    expect(result.code).toBe(1);
    expectOneLineError(result);
    expect(result.stderr).toContain(`the TLS handshake failed (EPROTO)`);
    expect(result.stderr).toContain(`The server speaks plain HTTP; use ${mock.server.url}.`);
    expect(result.stderr).not.toMatch(/openssl|ssl3_|\.c:\d+/i);
  });

  it('gives 404 with a scope hint for another org', async () => {
    const token = await hangarLine(['tokens', 'create', 'org', 'acme'], mock.env);
    const result = await hangar(['apps', 'list', '-o', 'dev-personal'], {
      env: { ...mock.env, HANGAR_API_TOKEN: token },
    });
    expect(result.code).toBe(1);
    expectOneLineError(result);
    expect(result.stderr).toMatch(/404 not_found/);
    expect(result.stderr).toMatch(
      /cannot see it \(this token is scoped to organization acme\)\.\n$/,
    );
    expect(result.stderr).not.toMatch(/org_/);
  });

  it('gives 404 with an app hint for a deploy token on another app', async () => {
    const token = await hangarLine(['tokens', 'create', 'deploy', '-a', 'acme-web'], mock.env);
    const ok = await hangar(['machines', 'list', '-a', 'acme-web'], {
      env: { ...mock.env, HANGAR_API_TOKEN: token },
    });
    expect(ok.code).toBe(0);
    const result = await hangar(['machines', 'list', '-a', 'acme-api'], {
      env: { ...mock.env, HANGAR_API_TOKEN: token },
    });
    expect(result.code).toBe(1);
    expectOneLineError(result);
    expect(result.stderr).toMatch(/404 not_found/);
    expect(result.stderr).toMatch(/\(this token is scoped to app acme-web\)\.\n$/);
    expect(result.stderr).not.toMatch(/app_/);
  });

  it('gives 403 naming the access needed for a read-only token', async () => {
    const token = await hangarLine(['tokens', 'create', 'readonly', 'acme'], mock.env);
    const tokenEnv = { ...mock.env, HANGAR_API_TOKEN: token };
    const read = await hangar(['apps', 'list', '-o', 'acme'], { env: tokenEnv });
    expect(read.code).toBe(0);
    const result = await hangar(['apps', 'create', 'acme-new', '-o', 'acme'], { env: tokenEnv });
    expect(result.code).toBe(1);
    expectOneLineError(result);
    expect(result.stderr).toMatch(/403 forbidden/);
    expect(result.stderr).toMatch(/needs create access to app/);
    expect(result.stderr).toMatch(
      /this token is scoped to organization acme; it is read-only\.\n$/,
    );
    expect(result.stderr).not.toMatch(/org_/);
  });

  it('hints at a new token when the token has expired', async () => {
    const token = await hangarLine(['tokens', 'create', 'org', 'acme', '-x', '1h'], mock.env);
    await admin(mock.server.url, mock.server.adminKey, 'clock', { advance_seconds: 7200 });
    const result = await hangar(['orgs', 'show', 'acme'], {
      env: { ...mock.env, HANGAR_API_TOKEN: token },
    });
    expect(result.code).toBe(1);
    expectOneLineError(result);
    expect(result.stderr).toMatch(/token_expired/);
    expect(result.stderr).toContain('hangar tokens create');
  });

  it('refuses to mint a token that outlives the caller', async () => {
    const token = await hangarLine(['tokens', 'create', 'org', 'acme', '-x', '1h'], mock.env);
    const result = await hangar(['tokens', 'create', 'org', 'acme', '-x', '48h'], {
      env: { ...mock.env, HANGAR_API_TOKEN: token },
    });
    expect(result.code).toBe(1);
    expectOneLineError(result);
    expect(result.stderr).toMatch(/exceeds_token_lifetime.*shorter --expiry/);
  });

  it('says how to log in when there is no token', async () => {
    const result = await hangar(['orgs', 'list'], {
      env: { ...mock.env, HANGAR_API_TOKEN: undefined },
    });
    expect(result.code).toBe(1);
    expectOneLineError(result);
    expect(result.stderr).toMatch(/No access token.*hangar auth login/);
  });

  it.each([[['tokens', 'create', 'org', 'acme', '-n', 'x'.repeat(101)], '--name']])(
    'reports 400 validation_failed as invalid input, once, with the argument (exit 2)',
    async (args, arg) => {
      const result = await hangar(args, { env: mock.env });
      expect(result.code).toBe(2);
      expectOneLineError(result);
      expect(result.stderr).toMatch(
        new RegExp(
          `^Error: Invalid request: body\\.name must .+ \\(400 validation_failed, request req_\\w+\\)\\. Hint: check ${arg}\\.\\n$`,
        ),
      );
      expect(result.stderr.match(/must/g)).toHaveLength(1);
      expect(result.stderr).not.toContain('Body.');
    },
  );

  it.each([
    [
      ['machines', 'show', 'bogus', '-a', 'acme-web'],
      'Error: Invalid machine ID "bogus": a machine id is m_ and 16 lowercase hex digits (e.g. m_3f9a0c1d2e4b5a69).\n',
    ],
    [
      ['apps', 'create', 'Bad Name!', '-o', 'acme'],
      'Error: Invalid app NAME "Bad Name!": an app name is a DNS label: 1-63 lowercase letters, digits and hyphens, not starting or ending with a hyphen (e.g. acme-web).\n',
    ],
  ])('checks %j against the contract before any request, in words (exit 2)', async (args, line) => {
    const result = await hangar(args, { env: mock.env });
    expect(result.code).toBe(2);
    expectOneLineError(result);
    expect(result.stderr).toBe(line);
  });

  it('says a token from another server is unknown here and how to log in again', async () => {
    const identifier = newIdentifier();
    const foreign = mint({
      rootKey: deriveRootKey(new Uint8Array(32).fill(7), identifier),
      identifier,
      caveats: [],
    });
    const result = await hangar(['orgs', 'list'], {
      env: { ...mock.env, HANGAR_API_TOKEN: foreign },
    });
    expect(result.code).toBe(1);
    expectOneLineError(result);
    expect(result.stderr).toMatch(
      /token_invalid, request req_\w+\)\. Hint: the server at \S+ does not know this token .*"hangar auth login".*\.\n$/,
    );
  });

  it.each([
    [
      ['auth', 'login'],
      'No terminal to prompt on: pass --email EMAIL --password-stdin, or --token TOKEN, or pipe a token on standard input.',
    ],
    [['auth', 'login', '--token', '-'], 'No token on standard input.'],
    [['tokens', 'inspect', '-'], 'No token on standard input.'],
  ])('%j with empty standard input says what to pass (exit 2)', async (args, message) => {
    const result = await hangar(args, { env: mock.env, input: '' });
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(`Error: ${message}\n`);
  });
});
