import { createHangarClient } from '@hangar/sdk';
import { inspect } from '@hangar/tokens';
import { describe, expect, it } from 'vitest';
import { admin, closedUrl, hangar, useFakeApi, useMockServer } from '../../helpers.js';

const revokedToken = (id: string) =>
  JSON.stringify({
    id,
    name: 'ci',
    kind: 'org',
    org: 'acme',
    app: null,
    created_by: 'dev@hangar.local',
    created_at: '2026-11-30T08:00:00Z',
    expires_at: '2046-11-30T08:00:00Z',
    last_used_at: null,
    revoked_at: '2026-11-30T09:00:00Z',
    status: 'revoked',
  });

describe('tokens revoke arguments', () => {
  const mock = useMockServer();
  // Records every request, so a test can prove what was (not) sent.
  const api = useFakeApi((method, path) =>
    method === 'DELETE' && path.startsWith('/v1/tokens/tok_')
      ? { status: 200, type: 'application/json', body: revokedToken(path.slice(11)) }
      : { status: 500, type: 'text/plain', body: 'unexpected request' },
  );
  const env = () => ({ ...mock.env, HANGAR_API_URL: api.url });

  it.each([
    ['a whole token', (t: string) => t],
    ['a Bearer header value', (t: string) => `Bearer ${t}`],
  ])('never sends %s: it names the id to use instead (exit 2)', async (_, shape) => {
    const secret = mock.server.devToken;
    const { identifier } = inspect(secret);
    const before = api.requests.length;
    const result = await hangar(['tokens', 'revoke', shape(secret)], { env: env() });
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(
      `Error: That is a token, not a token id; its id is ${identifier} — run: hangar tokens revoke ${identifier}. Nothing was sent.\n`,
    );
    expect(api.requests.slice(before)).toEqual([]);
  });

  it('says an undecodable hangar_ argument looks like a token secret, without echoing it', async () => {
    const before = api.requests.length;
    const result = await hangar(['tokens', 'revoke', 'hangar_notreallyatoken'], { env: env() });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^Error: That looks like a token secret, not a token id;/);
    expect(result.stderr).not.toContain('notreallyatoken');
    expect(api.requests.slice(before)).toEqual([]);
  });

  it('reports other non-ids locally, still revokes the valid ids, and exits 2', async () => {
    const id = `tok_${'ab'.repeat(16)}`;
    const before = api.requests.length;
    const result = await hangar(['tokens', 'revoke', 'nope', id, 'tok_123'], { env: env() });
    expect(result.code).toBe(2);
    expect(result.stdout).toBe(
      [
        'nope: not a token id (ids look like tok_ and 32 hex digits; see "hangar tokens list")',
        `${id}: revoked`,
        'tok_123: not a token id (ids look like tok_ and 32 hex digits; see "hangar tokens list")',
        '',
      ].join('\n'),
    );
    expect(result.stderr).toBe(
      'Error: Could not revoke 2 of 3 tokens (1 revoked, 0 already revoked).\n',
    );
    expect(api.requests.slice(before)).toEqual([`DELETE /v1/tokens/${id}`]);
  });

  it('lists a refused argument in the --json results without a request', async () => {
    const before = api.requests.length;
    const result = await hangar(['tokens', 'revoke', 'nope', '--json'], { env: env() });
    expect(result.code).toBe(2);
    // No HTTP status: nothing was sent. The error has every command's --json error fields.
    expect(JSON.parse(result.stdout)).toEqual([
      {
        id: 'nope',
        result: 'failed',
        error: {
          code: 'invalid_id',
          status: null,
          message: 'Not a token id',
          hint: expect.stringContaining('tok_ and 32 hex digits'),
          request_id: null,
        },
      },
    ]);
    expect(api.requests.slice(before)).toEqual([]);
  });
});

describe('tokens revoke with a refused token', () => {
  const mock = useMockServer();

  it('stops at the first 401: the token in use is refused for every id, said once', async () => {
    const hangarSdk = createHangarClient({ baseUrl: mock.server.url, token: mock.server.devToken });
    const spent = await hangarSdk.tokens.createOrg('acme', { name: 'spent' });
    const targets = await Promise.all(
      ['a', 'b'].map((name) => hangarSdk.tokens.createOrg('acme', { name })),
    );
    await hangarSdk.tokens.revoke(spent.id);
    const result = await hangar(['tokens', 'revoke', ...targets.map((t) => t.id)], {
      env: { ...mock.env, HANGAR_API_TOKEN: spent.token },
    });
    expect(result.code).not.toBe(0);
    expect(result.stderr.match(/token_revoked/g)).toHaveLength(1);
    for (const target of targets) {
      expect((await hangarSdk.tokens.get(target.id)).status).toBe('active');
    }
  });
});

describe('tokens revoke --json: each failed id has the --json error shape', () => {
  const mock = useMockServer();
  const unknown = `tok_${'cd'.repeat(16)}`;

  it('an API refusal: {code, status, message, hint}, as `tokens show --json` prints it', async () => {
    const result = await hangar(['tokens', 'revoke', unknown, '--json'], { env: mock.env });
    expect(result.code).toBe(1);
    const show = JSON.parse(
      (await hangar(['tokens', 'show', unknown, '--json'], { env: mock.env })).stdout,
    );
    expect(JSON.parse(result.stdout)).toEqual([
      {
        id: unknown,
        result: 'failed',
        error: {
          code: 'not_found',
          status: 404,
          message: expect.any(String),
          hint: expect.stringContaining('does not exist'),
          request_id: expect.stringMatching(/^req_/),
        },
      },
    ]);
    expect(Object.keys(JSON.parse(result.stdout)[0].error)).toEqual(Object.keys(show.error));
  });

  it('an unreachable API: status null (not 0), code network_error', async () => {
    const result = await hangar(['tokens', 'revoke', unknown, '--json'], {
      env: { ...mock.env, HANGAR_API_URL: await closedUrl() },
    });
    expect(result.code).toBe(1);
    const [entry] = JSON.parse(result.stdout);
    expect(entry.error).toEqual({
      code: 'network_error',
      status: null,
      message: expect.stringContaining('Cannot reach the Hangar API'),
      hint: expect.any(String),
      request_id: null,
    });
  });
});

describe('tokens revoke and rotate without --idempotency-key, when the answer is lost', () => {
  const mock = useMockServer();
  const sdk = () => createHangarClient({ baseUrl: mock.server.url, token: mock.server.devToken });

  it('revoke of several ids names the key it sent; the rerun with it revokes the one in doubt once', async () => {
    const a = await sdk().tokens.createOrg('acme', { name: 'lost-a' });
    const b = await sdk().tokens.createOrg('acme', { name: 'lost-b' });
    // Every attempt for the first id (1 + the SDK's 2 retries) loses its answer after the commit.
    await admin(mock.server.url, mock.server.adminKey, 'faults', {
      operation_id: 'revokeToken',
      drop: 'after',
      times: 3,
    });
    const first = await hangar(['tokens', 'revoke', a.id, b.id], { env: mock.env });
    expect(first.code).toBe(1);
    const key = /--idempotency-key (\S+):/.exec(first.stdout)?.[1];
    expect(key, first.stdout).toMatch(/^[0-9a-f-]{36}$/);
    expect(first.stdout).toContain(`${b.id}: revoked`);
    // The rerun with the named key replays each id's first answer: both revoked, none failed.
    const again = await hangar(
      ['tokens', 'revoke', a.id, b.id, '--idempotency-key', key as string],
      {
        env: mock.env,
      },
    );
    expect([again.code, again.stdout]).toEqual([
      0,
      `${a.id}: revoked\n${b.id}: revoked\n2 revoked, 0 already revoked, 0 failed (of 2).\n`,
    ]);
  }, 60_000);

  it('rotate names the key it sent; the rerun with it returns the same new token', async () => {
    const old = await sdk().tokens.createOrg('acme', { name: 'lost-rotation' });
    await admin(mock.server.url, mock.server.adminKey, 'faults', {
      operation_id: 'rotateToken',
      drop: 'after',
      times: 3,
    });
    const first = await hangar(['tokens', 'rotate', old.id], { env: mock.env });
    expect(first.code).toBe(1);
    const key = /--idempotency-key (\S+):/.exec(first.stderr)?.[1];
    expect(key, first.stderr).toMatch(/^[0-9a-f-]{36}$/);
    const again = await hangar(['tokens', 'rotate', old.id, '--idempotency-key', key as string], {
      env: mock.env,
    });
    expect(again.code, again.stderr).toBe(0);
    const tokens = await sdk().tokens.listOrg('acme', { limit: 100 });
    expect(tokens.items.filter((t) => t.name === 'lost-rotation')).toHaveLength(2);
  }, 60_000);
});

describe('tokens revoke against a server that cannot be reached', () => {
  const mock = useMockServer();
  it('tries the first id only and reports the others failed with the same error, untried', async () => {
    const ids = [1, 2, 3].map((n) => `tok_${String(n).padStart(32, '0')}`);
    const env = { ...mock.env, HANGAR_API_URL: await closedUrl() };
    const human = await hangar(['tokens', 'revoke', ...ids], { env });
    expect(human.code).toBe(1);
    expect(human.stdout.split('\n').slice(1, 3)).toEqual([
      `${ids[1]}: not tried (the server could not be reached)`,
      `${ids[2]}: not tried (the server could not be reached)`,
    ]);
    // One attempt and its retries, not three (each failure is logged by --verbose).
    const verbose = await hangar(['tokens', 'revoke', ...ids, '--verbose'], { env });
    expect(verbose.stderr).not.toContain(ids[1]);
    const json = await hangar(['tokens', 'revoke', ...ids, '--json'], { env });
    const entries = JSON.parse(json.stdout) as {
      id: string;
      result: string;
      error: { code: string };
    }[];
    expect(entries.map((e) => [e.id, e.result, e.error.code])).toEqual(
      ids.map((id) => [id, 'failed', 'network_error']),
    );
  });
});
