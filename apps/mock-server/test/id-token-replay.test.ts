import { createAdminClient } from '@hangar/sdk/admin';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { MockServer } from '../src/index.js';
import { admin, client, exchangeForm, startServer, useTempDir, withServer } from './helpers.js';

const USED = /already (been )?(used|exchanged).*fresh/i;

/** POSTs the exchange form for acme-web, with an optional `Idempotency-Key`. */
async function exchange(server: { url: string }, idToken: string, key?: string) {
  const response = await fetch(`${server.url}/v1/oidc/token`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      ...(key ? { 'idempotency-key': key } : {}),
    },
    body: exchangeForm(idToken, 'acme', 'acme-web'),
  });
  return {
    status: response.status,
    replayed: response.headers.get('idempotent-replayed'),
    body: (await response.json()) as Record<string, unknown>,
  };
}

/** A trust policy of acme for the built-in issuer, and a minter of GitHub Actions ID tokens. */
async function setUp(server: MockServer) {
  const oidc = createAdminClient({ baseUrl: server.url, adminKey: server.adminKey }).oidc;
  await client(server).trustPolicies.create('acme', {
    name: 'deploy acme-web from main',
    issuer: await oidc.issuer(),
    audience: 'hangar',
    conditions: { repository: 'acme/web' },
    grant: { kind: 'deploy', app: 'acme-web', expires_in: 600 },
  });
  return async (more: { claims?: Record<string, unknown>; expires_in?: number } = {}) =>
    (await oidc.mintIdToken({ preset: 'github-actions', repository: 'acme/web', ...more }))
      .id_token;
}

describe('an ID token is exchanged once (replay of its jti)', () => {
  let server: MockServer;
  let mint: Awaited<ReturnType<typeof setUp>>;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(async () => {
    await server?.close();
  });
  beforeEach(async () => {
    await admin(server, 'POST', '/reset');
    mint = await setUp(server);
  });

  it('refuses a second exchange of the same ID token with invalid_grant saying to get a fresh one', async () => {
    const idToken = await mint();
    expect((await exchange(server, idToken)).status).toBe(200);
    const again = await exchange(server, idToken);
    expect(again.status).toBe(400);
    expect(again.body.error).toBe('invalid_grant');
    expect(again.body.error_description).toMatch(USED);
    // The stable name of the case, which clients key on (the description is for people).
    expect(again.body.error_uri).toBe('https://hangar.dev/problems/id_token_already_used');
    // A fresh ID token of the same job exchanges.
    expect((await exchange(server, await mint())).status).toBe(200);
  });

  it('a retry with the same Idempotency-Key replays the first answer; another key is refused', async () => {
    const idToken = await mint();
    const first = await exchange(server, idToken, 'exchange-retry-1');
    expect(first.status).toBe(200);
    const retry = await exchange(server, idToken, 'exchange-retry-1');
    expect(retry).toMatchObject({ status: 200, replayed: 'true' });
    expect(retry.body.access_token).toBe(first.body.access_token);
    const other = await exchange(server, idToken, 'exchange-retry-2');
    expect(other.body).toMatchObject({
      error: 'invalid_grant',
      error_uri: 'https://hangar.dev/problems/id_token_already_used',
    });
    expect(other.body.error_description).toMatch(USED);
  });

  it('a refused exchange does not use the ID token up', async () => {
    const idToken = await mint();
    const wrongApp = await fetch(`${server.url}/v1/oidc/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: exchangeForm(idToken, 'acme', 'acme-api'),
    });
    // No error_uri: only the cases the contract names carry one.
    expect(await wrongApp.json()).toEqual({
      error: 'unauthorized_client',
      error_description: 'No trust policy of this organization grants this exchange',
    });
    expect((await exchange(server, idToken)).status).toBe(200);
  });

  it('refuses an ID token without a jti (GitHub Actions tokens always carry one)', async () => {
    const answer = await exchange(server, await mint({ claims: { jti: null } }));
    expect(answer.status).toBe(400);
    expect(answer.body.error).toBe('invalid_grant');
    expect(answer.body.error_description).toMatch(/jti/);
    expect(answer.body.error_uri).toBe('https://hangar.dev/problems/id_token_without_jti');
  });

  it('once the ID token has expired it is refused as expired, and its jti is no longer kept', async () => {
    const idToken = await mint({ expires_in: 60 });
    expect((await exchange(server, idToken)).status).toBe(200);
    await admin(server, 'POST', '/clock', { advance_seconds: 120 });
    const late = await exchange(server, idToken);
    expect(late.body.error).toBe('invalid_grant');
    expect(late.body.error_description).not.toMatch(USED);
  });
});

describe('used ID tokens are kept in the database', () => {
  const dir = useTempDir('hangar-jti-');

  it('a restart does not make a used ID token usable again; expired ones are purged', async () => {
    // The built-in issuer is `<server url>/_oidc`: the same port keeps the policy's issuer.
    let port = 0;
    const { used, stale } = await withServer({ dataDir: dir.path }, async (server) => {
      port = Number(new URL(server.url).port);
      const mint = await setUp(server);
      const stale = await mint({ expires_in: 60 });
      expect((await exchange(server, stale)).status).toBe(200);
      await admin(server, 'POST', '/clock', { advance_seconds: 120 });
      const used = await mint();
      expect((await exchange(server, used)).status).toBe(200);
      return { used, stale };
    });
    await withServer({ dataDir: dir.path, port }, async (server) => {
      // Another origin than before: no kept-alive socket of the closed server is reused.
      const restarted = { url: server.url.replace('127.0.0.1', 'localhost') };
      const again = await exchange(restarted, used);
      expect(again.body.error).toBe('invalid_grant');
      expect(again.body.error_description).toMatch(USED);
      expect((await exchange(restarted, stale)).body.error_description).not.toMatch(USED);
    });
    // Only the unexpired one is still stored: the table does not grow without bound.
    const { default: Sqlite } = await import('better-sqlite3');
    const db = new Sqlite(`${dir.path}/hangar.db`, { readonly: true });
    try {
      const rows = db.prepare('SELECT count(*) AS n FROM used_id_tokens').get() as { n: number };
      expect(rows.n).toBe(1);
    } finally {
      db.close();
    }
  });
});
