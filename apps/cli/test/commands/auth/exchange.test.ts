import { createHangarClient } from '@hangar/sdk';
import { createAdminClient } from '@hangar/sdk/admin';
import { describe, expect, it } from 'vitest';
import { hangar, useFakeApi, useMockServer } from '../../helpers.js';

/** Shaped like a CI OIDC ID token (header.payload.signature, base64url); signed by nobody. */
const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const JWT = `${b64({ alg: 'RS256', kid: 'k1' })}.${b64({
  iss: 'https://token.actions.githubusercontent.com',
  sub: 'repo:acme/web:ref:refs/heads/main',
  aud: 'https://hangar.dev',
})}.${'c2lnbmF0dXJlLW9mLW5vYm9keQ'.repeat(6)}`;

describe('auth exchange never echoes the --id-token value', () => {
  const mock = useMockServer();

  it.each([[[]], [['--json']]])(
    'a JWT passed as --id-token is refused (exit 2) with the way to pass it, not repeated %#',
    async (extra) => {
      const result = await hangar(['auth', 'exchange', '-o', 'acme', '--id-token', JWT, ...extra], {
        env: mock.env,
      });
      expect(result.code).toBe(2);
      const out = result.stdout + result.stderr;
      expect(out).not.toContain(JWT.split('.')[1]);
      expect(out).not.toContain(JWT.split('.')[2]);
      expect(result.stderr).toContain('on standard input (--id-token -) or in a file');
      if (extra.includes('--json')) {
        expect(JSON.parse(result.stdout).error).toMatchObject({ code: 'usage_error' });
      }
    },
  );

  it('a file that cannot be read is named by its error, not its value', async () => {
    const missing = 'no-such-dir/secret-looking-value';
    const result = await hangar(['auth', 'exchange', '-o', 'acme', '--id-token', missing], {
      env: mock.env,
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('Cannot read the --id-token file (ENOENT)');
    expect(result.stderr).not.toContain(missing);
  });

  it('an empty ID token says where it was read from and how to pass one (exit 2)', async () => {
    const piped = await hangar(['auth', 'exchange', '-o', 'acme', '--id-token', '-'], {
      env: mock.env,
      input: '\n',
    });
    expect(piped.code).toBe(2);
    expect(piped.stderr).toBe(
      'Error: The ID token from standard input is empty: pipe one in (--id-token - < FILE), or pass a file holding one (--id-token FILE).\n',
    );
    const file = await hangar(['auth', 'exchange', '-o', 'acme', '--id-token', '/dev/null'], {
      env: mock.env,
    });
    expect(file.code).toBe(2);
    expect(file.stderr).toBe(
      'Error: The --id-token file is empty: pass a file holding the ID token, or - to pipe it in.\n',
    );
  });

  it('--json on a refusal carries the OAuth error code and the HTTP status, for scripts', async () => {
    const result = await hangar(['auth', 'exchange', '-o', 'acme', '--id-token', '-', '--json'], {
      env: { HANGAR_API_URL: mock.env.HANGAR_API_URL as string },
      input: JWT,
    });
    expect(result.code).toBe(1);
    const { error } = JSON.parse(result.stdout);
    expect(error).toMatchObject({ code: 'invalid_grant', status: 400 });
    expect(error.message).toMatch(/^The exchange was refused \(invalid_grant\): /);
    // The server's id for the answer, as every other API error carries it.
    expect(error.request_id).toMatch(/^req_[0-9a-f]{24}$/);
    expect(result.stdout + result.stderr).not.toContain(JWT.split('.')[2]);
  });

  it('names the request id on the error line', async () => {
    const result = await hangar(['auth', 'exchange', '-o', 'acme', '--id-token', '-'], {
      env: { HANGAR_API_URL: mock.env.HANGAR_API_URL as string },
      input: JWT,
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/\(400 invalid_grant, request req_[0-9a-f]{24}\)/);
  });

  it('an ID token already exchanged: the hint says to request a fresh one', async () => {
    const { server } = mock;
    const oidc = createAdminClient({ baseUrl: server.url, adminKey: server.adminKey }).oidc;
    await createHangarClient({ baseUrl: server.url, token: server.devToken }).trustPolicies.create(
      'acme',
      {
        name: 'cli replay hint',
        issuer: await oidc.issuer(),
        audience: 'hangar',
        conditions: { repository: 'acme/web' },
        grant: { kind: 'org', expires_in: 300 },
      },
    );
    const { id_token } = await oidc.mintIdToken({
      preset: 'github-actions',
      repository: 'acme/web',
    });
    const env = { HANGAR_API_URL: server.url };
    const first = await hangar(['auth', 'exchange', '-o', 'acme', '--id-token', '-'], {
      env,
      input: id_token,
    });
    expect(first.code, first.stderr).toBe(0);
    const again = await hangar(['auth', 'exchange', '-o', 'acme', '--id-token', '-'], {
      env,
      input: id_token,
    });
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/Hint: .*fresh ID token/);
    const json = await hangar(['auth', 'exchange', '-o', 'acme', '--id-token', '-', '--json'], {
      env,
      input: id_token,
    });
    expect(JSON.parse(json.stdout).error).toMatchObject({
      code: 'invalid_grant',
      hint: expect.stringMatching(/fresh ID token/),
    });
    // Another invalid_grant the server names (no jti claim) gets no such hint.
    const noJti = await oidc.mintIdToken({
      preset: 'github-actions',
      repository: 'acme/web',
      claims: { jti: null },
    });
    const refused = await hangar(['auth', 'exchange', '-o', 'acme', '--id-token', '-', '--json'], {
      env,
      input: noJti.id_token,
    });
    expect(refused.code).toBe(1);
    const { error } = JSON.parse(refused.stdout);
    expect(error).toMatchObject({ code: 'invalid_grant' });
    expect(error.hint ?? '').not.toMatch(/fresh ID token/);
  });
});

describe('auth exchange keys its already-used hint on error_uri, not on the wording', () => {
  // A server whose descriptions are worded otherwise (another language, a later rewording):
  // what tells the case is the contract's error_uri.
  let answer = {};
  const api = useFakeApi(() => ({
    status: 400,
    type: 'application/json',
    body: JSON.stringify(answer),
  }));
  const exchange = () =>
    hangar(['auth', 'exchange', '-o', 'acme', '--id-token', '-'], {
      env: { HANGAR_API_URL: api.url },
      input: JWT,
    });

  it('a reworded description with error_uri id_token_already_used: the hint', async () => {
    answer = {
      error: 'invalid_grant',
      error_description: 'Dieses ID-Token wurde schon eingetauscht',
      error_uri: 'https://hangar.dev/problems/id_token_already_used',
    };
    const result = await exchange();
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('Dieses ID-Token wurde schon eingetauscht');
    expect(result.stderr).toMatch(/Hint: .*fresh ID token/);
  });

  it('a description that reads "already used" without that error_uri: no such hint', async () => {
    answer = {
      error: 'invalid_grant',
      error_description: 'The policy was already used up; ask an admin',
    };
    const result = await exchange();
    expect(result.code).toBe(1);
    expect(result.stderr).not.toMatch(/fresh ID token/);
  });
});
