import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MockServer } from '../src/index.js';
import { DEV_EMAIL, DEV_PASSWORD } from '../src/seed.js';
import { startServer } from './helpers.js';

/**
 * Every answer that carries a token secret says `Cache-Control: no-store` (RFC 6749 section
 * 5.1; RFC 9111 section 5.2.2.5), the first time and on an Idempotency-Key replay alike.
 * (exchangeToken is checked in token-exchange.test.ts, with its OIDC issuer.)
 */
describe('Cache-Control: no-store on answers with a token secret', () => {
  let server: MockServer;
  beforeAll(async () => {
    server = await startServer();
  }, 60_000);
  afterAll(() => server.close());

  async function post(path: string, key: string, body: unknown, token?: string) {
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'idempotency-key': key,
    };
    if (token) headers.authorization = `Bearer ${token}`;
    const response = await fetch(`${server.url}${path}`, {
      method: 'POST',
      headers,
      body: JSON.stringify(body),
    });
    const answer = (await response.json()) as { token?: string };
    return {
      status: response.status,
      cache: response.headers.get('cache-control'),
      replayed: response.headers.get('idempotent-replayed'),
      token: answer.token,
    };
  }

  /** Sends the same keyed request twice; both answers carry the secret and `no-store`. */
  async function expectNoStoreTwice(path: string, body: unknown, token?: string) {
    const key = `no-store-${Math.random().toString(16).slice(2)}`;
    const first = await post(path, key, body, token);
    const again = await post(path, key, body, token);
    expect(first.status, path).toBeLessThan(300);
    expect(again.replayed, path).toBe('true');
    expect(typeof again.token, path).toBe('string');
    expect({ path, first: first.cache, replay: again.cache }).toEqual({
      path,
      first: 'no-store',
      replay: 'no-store',
    });
    return first;
  }

  it('login (createSession)', async () => {
    await expectNoStoreTwice('/v1/sessions', { email: DEV_EMAIL, password: DEV_PASSWORD });
  });

  it('creating org, read-only and deploy tokens', async () => {
    await expectNoStoreTwice('/v1/orgs/acme/tokens/org', { name: 'ns org' }, server.devToken);
    await expectNoStoreTwice('/v1/orgs/acme/tokens/readonly', { name: 'ns ro' }, server.devToken);
    await expectNoStoreTwice('/v1/apps/acme-web/tokens', { name: 'ns deploy' }, server.devToken);
  });

  it('rotating a token by id and rotating the token in use', async () => {
    const created = await post('/v1/orgs/acme/tokens/org', 'ns-rot', {}, server.devToken);
    const listed = await fetch(`${server.url}/v1/viewer`, {
      headers: { authorization: `Bearer ${created.token}` },
    });
    const id = ((await listed.json()) as { token: { id: string } }).token.id;
    await expectNoStoreTwice(`/v1/tokens/${id}/rotate`, {}, server.devToken);
    const other = await post('/v1/orgs/acme/tokens/org', 'ns-rot-self', {}, server.devToken);
    // With a grace period, so the rotated token can still send the retry.
    await expectNoStoreTwice('/v1/viewer/token/rotate', { grace_period: 60 }, other.token);
  });

  it('answers without a secret are left cacheable by default (no no-store)', async () => {
    const response = await fetch(`${server.url}/v1/viewer`, {
      headers: { authorization: `Bearer ${server.devToken}` },
    });
    expect(response.headers.get('cache-control')).not.toBe('no-store');
  });
});
