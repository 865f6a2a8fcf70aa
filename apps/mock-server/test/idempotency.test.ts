import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { attenuate, decodeMacaroon, decodeTokenString } from '@hangar/tokens';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MockServer } from '../src/index.js';
import { admin, call, startServer, useTempDir, withServer } from './helpers.js';

/** The names of acme's org tokens, newest first. */
async function orgTokenNames(server: MockServer): Promise<unknown[]> {
  const page = await call(server, 'GET', '/v1/orgs/acme/tokens?limit=100');
  return (page.body.items as { name: string }[]).map((t) => t.name);
}

const CREATE = '/v1/orgs/acme/tokens/org';

describe('Idempotency-Key', () => {
  let server: MockServer;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(() => server.close());

  it('a retried create answers the first answer: the same token string, replayed, one token minted', async () => {
    const first = await call(server, 'POST', CREATE, { key: 'ci-1', body: { name: 'ci-1' } });
    const again = await call(server, 'POST', CREATE, { key: 'ci-1', body: { name: 'ci-1' } });
    expect(first.status).toBe(201);
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    expect(again.status).toBe(201);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.headers.get('content-type')).toMatch(/^application\/json/);
    expect(again.body).toEqual(first.body);
    expect(typeof again.body.token).toBe('string');
    expect((await orgTokenNames(server)).filter((n) => n === 'ci-1')).toHaveLength(1);
    // The replayed string is a working token.
    const viewer = await call(server, 'GET', '/v1/viewer', { token: again.body.token as string });
    expect(viewer.status).toBe(200);
  });

  it('a token attenuated from the one that used a key does not get its answer: keys are per token string', async () => {
    const first = await call(server, 'POST', CREATE, { key: 'ci-narrow', body: { name: 'wide' } });
    expect(first.status).toBe(201);
    // Same identifier, narrower caveats: it must not read the wider token's stored answer
    // (which holds a new org token) by sending the same key and body.
    const narrow = attenuate(server.devToken, [{ type: 'actions', actions: ['read'] }]);
    const again = await call(server, 'POST', CREATE, {
      token: narrow,
      key: 'ci-narrow',
      body: { name: 'wide' },
    });
    expect(again.headers.get('idempotent-replayed')).toBeNull();
    expect(again.status).toBe(403);
    expect(again.body.token).toBeUndefined();
    // The token that sent it first still gets its replay.
    const retried = await call(server, 'POST', CREATE, {
      key: 'ci-narrow',
      body: { name: 'wide' },
    });
    expect(retried.headers.get('idempotent-replayed')).toBe('true');
    expect(retried.body.token).toBe(first.body.token);
  });

  it('the same token sent with another scheme case or spacing is the same scope (RFC 9110: the scheme is case-insensitive)', async () => {
    const first = await call(server, 'POST', CREATE, {
      key: 'ci-scheme',
      body: { name: 'scheme' },
    });
    expect(first.status).toBe(201);
    const response = await fetch(`${server.url}${CREATE}`, {
      method: 'POST',
      headers: {
        authorization: `bearer   ${server.devToken}`,
        'idempotency-key': 'ci-scheme',
        'content-type': 'application/json',
      },
      body: JSON.stringify({ name: 'scheme' }),
    });
    expect(response.status).toBe(201);
    expect(response.headers.get('idempotent-replayed')).toBe('true');
    expect(((await response.json()) as { token: string }).token).toBe(first.body.token);
    expect((await orgTokenNames(server)).filter((n) => n === 'scheme')).toHaveLength(1);
  });

  it('the same body with keys in another order is the same request', async () => {
    const body = { name: 'ordered', expires_in: 3600 };
    const first = await call(server, 'POST', CREATE, { key: 'ci-order', body });
    const again = await call(server, 'POST', CREATE, {
      key: 'ci-order',
      body: { expires_in: 3600, name: 'ordered' },
    });
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body.token).toBe(first.body.token);
  });

  it('the same key with another body or path is 422 idempotency_key_reused, and runs nothing', async () => {
    await call(server, 'POST', CREATE, { key: 'ci-2', body: { name: 'ci-2' } });
    const other = await call(server, 'POST', CREATE, { key: 'ci-2', body: { name: 'ci-2b' } });
    expect(other.status).toBe(422);
    expect(other.body.code).toBe('idempotency_key_reused');
    const path = await call(server, 'POST', '/v1/orgs/acme/tokens/readonly', {
      key: 'ci-2',
      body: { name: 'ci-2' },
    });
    expect(path.status).toBe(422);
    expect(await orgTokenNames(server)).not.toContain('ci-2b');
  });

  it('a request that fails validation stores nothing: the key is still free', async () => {
    const bad = await call(server, 'POST', CREATE, { key: 'ci-3', body: { expires_in: 0 } });
    expect(bad.status).toBe(400);
    const good = await call(server, 'POST', CREATE, { key: 'ci-3', body: { name: 'ci-3' } });
    expect(good.status).toBe(201);
    expect(good.headers.get('idempotent-replayed')).toBeNull();
  });

  it('a key longer than 255 characters is 400 naming the header', async () => {
    const long = await call(server, 'POST', CREATE, { key: 'k'.repeat(256), body: {} });
    expect(long.status).toBe(400);
    expect(long.body.errors).toEqual([
      { field: 'header.Idempotency-Key', message: expect.stringContaining('255') },
    ]);
    const max = await call(server, 'POST', CREATE, { key: 'k'.repeat(255), body: {} });
    expect(max.status).toBe(201);
  });

  it('a key with a character outside printable ASCII is 400 naming the header and the rule, and runs nothing', async () => {
    const before = await orgTokenNames(server);
    // The UTF-8 bytes of "clé" as a client sends them (fetch takes header bytes as Latin-1).
    for (const key of [Buffer.from('clé-1').toString('latin1'), 'tab\there']) {
      const answer = await call(server, 'POST', CREATE, { key, body: { name: 'non-ascii' } });
      expect(answer.status, JSON.stringify(key)).toBe(400);
      expect(answer.body.errors).toEqual([
        {
          field: 'header.Idempotency-Key',
          message:
            'must be 1 to 255 printable ASCII characters (space to ~), not starting or ending with a space, such as a UUID',
        },
      ]);
    }
    expect(await orgTokenNames(server)).toEqual(before);
  });

  it('the header sent twice is 400 naming it, and runs nothing', async () => {
    const before = await orgTokenNames(server);
    // Two header lines (fetch would join them into one): Node's http client sends an array so.
    const answer = await new Promise<{ status: number; body: Record<string, unknown> }>(
      (resolve, reject) => {
        const req = request(`${server.url}${CREATE}`, {
          method: 'POST',
          headers: {
            authorization: `Bearer ${server.devToken}`,
            'content-type': 'application/json',
            'idempotency-key': ['twice-1', 'twice-2'],
          },
        });
        req.on('error', reject);
        req.on('response', (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => {
            text += chunk;
          });
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) }));
        });
        req.end(JSON.stringify({ name: 'twice' }));
      },
    );
    expect(answer.status).toBe(400);
    expect(answer.body.errors).toEqual([
      { field: 'header.Idempotency-Key', message: expect.stringContaining('send one') },
    ]);
    expect(await orgTokenNames(server)).toEqual(before);
  });

  it('a retried revoke answers its first 200 again instead of 409 token_already_revoked', async () => {
    const created = await call(server, 'POST', CREATE, { body: { name: 'to-revoke' } });
    const path = `/v1/tokens/${created.body.id as string}`;
    const first = await call(server, 'DELETE', path, { key: 'rm-1' });
    const again = await call(server, 'DELETE', path, { key: 'rm-1' });
    expect([first.status, again.status]).toEqual([200, 200]);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body).toEqual(first.body);
    const fresh = await call(server, 'DELETE', path, { key: 'rm-2' });
    expect(fresh.body.code).toBe('token_already_revoked');
  });

  it('keys belong to the calling token: another token with the same key runs its own request', async () => {
    const mine = await call(server, 'POST', CREATE, { key: 'shared', body: { name: 'shared' } });
    const other = await call(server, 'POST', CREATE, {
      token: mine.body.token as string,
      key: 'shared',
      body: { name: 'shared' },
    });
    expect(other.status).toBe(201);
    expect(other.headers.get('idempotent-replayed')).toBeNull();
    expect(other.body.id).not.toBe(mine.body.id);
  });

  it('a repeat while the first is still running is 409 idempotency_key_in_use', async () => {
    // createSession awaits scrypt (~50 ms): concurrent repeats arrive while the first runs.
    const body = { email: server.devUser.email, password: server.devUser.password };
    const answers = await Promise.all(
      Array.from({ length: 8 }, () =>
        call(server, 'POST', '/v1/sessions', { token: null, key: 'login-1', body }),
      ),
    );
    const statuses = answers.map((a) => a.status);
    expect(
      statuses.every((s) => s === 201 || s === 409),
      String(statuses),
    ).toBe(true);
    const inUse = answers.filter((a) => a.status === 409);
    expect(inUse.length).toBeGreaterThan(0);
    for (const a of inUse) expect(a.body.code).toBe('idempotency_key_in_use');
    const originals = answers.filter(
      (a) => a.status === 201 && a.headers.get('idempotent-replayed') === null,
    );
    expect(originals).toHaveLength(1);
    // Once it finished, the repeat is a replay of the same personal token.
    const after = await call(server, 'POST', '/v1/sessions', { token: null, key: 'login-1', body });
    expect(after.headers.get('idempotent-replayed')).toBe('true');
    expect(after.body.token).toBe(originals[0]?.body.token);
  });

  it('an answer is replayed for 24 hours of the server clock, then the key runs afresh', async () => {
    const first = await call(server, 'POST', CREATE, { key: 'day', body: { name: 'day' } });
    await admin(server, 'POST', '/clock', { advance_seconds: 86_399 });
    const within = await call(server, 'POST', CREATE, { key: 'day', body: { name: 'day' } });
    expect(within.body.token).toBe(first.body.token);
    await admin(server, 'POST', '/clock', { advance_seconds: 2 });
    const after = await call(server, 'POST', CREATE, { key: 'day', body: { name: 'day' } });
    expect(after.status).toBe(201);
    expect(after.headers.get('idempotent-replayed')).toBeNull();
    expect(after.body.token).not.toBe(first.body.token);
  });
});

describe('Idempotency-Key stores no token secret', () => {
  const dir = useTempDir('hangar-idem-');

  it('after creates, a login and their replays, neither the database nor its WAL holds a token string or signature', async () => {
    await withServer({ dataDir: dir.path }, async (server) => {
      const secrets: string[] = [];
      for (const attempt of [1, 2]) {
        const org = await call(server, 'POST', CREATE, { key: 'wal-org', body: { name: 'w' } });
        const deploy = await call(server, 'POST', '/v1/apps/acme-web/tokens', {
          key: 'wal-deploy',
          body: {},
        });
        const session = await call(server, 'POST', '/v1/sessions', {
          token: null,
          key: 'wal-login',
          body: { email: server.devUser.email, password: server.devUser.password },
        });
        for (const answer of [org, deploy, session]) {
          expect(answer.status).toBe(201);
          if (attempt === 2) expect(answer.headers.get('idempotent-replayed')).toBe('true');
          secrets.push(answer.body.token as string);
        }
      }
      expect(new Set(secrets).size).toBe(3);
      const bytes = Buffer.concat(
        ['hangar.db', 'hangar.db-wal'].map((f) => readFileSync(join(dir.path, f))),
      );
      // The stored answers are in these files (their keys are), but no secret is.
      expect(bytes.includes('wal-login')).toBe(true);
      for (const secret of secrets) {
        expect(bytes.includes(secret)).toBe(false);
        const { signature } = decodeMacaroon(decodeTokenString(secret));
        expect(bytes.includes(Buffer.from(signature))).toBe(false);
        expect(bytes.includes(Buffer.from(signature).toString('base64url'))).toBe(false);
      }
    });
  });
});
