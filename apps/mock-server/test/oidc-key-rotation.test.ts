import { randomUUID } from 'node:crypto';
import { createAdminClient } from '@hangar/sdk/admin';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { MockServer } from '../src/index.js';
import { admin, client, exchangeForm, startServer } from './helpers.js';
import { type IssuerKey, TestIssuer } from './oidc-issuer.js';

const AUDIENCE = 'hangar';
const SUBJECT = 'repo:acme/web:ref:refs/heads/main';

/**
 * Issuer keys in the exchange follow key changes and the server clock: the built-in issuer's
 * rotations and drops take effect at once; an external issuer's JWKS is kept 10 minutes and
 * refetched on an unknown `kid` at most every 30 s, both on the admin clock.
 */
describe('OIDC key rotation and the exchange', () => {
  let server: MockServer;
  let external: TestIssuer;

  beforeAll(async () => {
    server = await startServer();
    external = await TestIssuer.start();
  }, 60_000);
  afterAll(async () => {
    await server?.close();
    await external?.close();
  });
  beforeEach(async () => {
    await admin(server, 'POST', '/reset');
  });

  const oidc = () => createAdminClient({ baseUrl: server.url, adminKey: server.adminKey }).oidc;
  const advance = (seconds: number) =>
    admin(server, 'POST', '/clock', { advance_seconds: seconds });
  const policyOn = (issuer: string) =>
    client(server).trustPolicies.create('acme', {
      name: `p-${Math.random().toString(16).slice(2)}`,
      issuer,
      audience: AUDIENCE,
      conditions: { sub: SUBJECT },
      grant: { kind: 'deploy', app: 'acme-web' },
    });
  /** The exchange's answer: 200, or the RFC 6749 `error`. */
  const exchange = async (idToken: string) => {
    const response = await fetch(`${server.url}/v1/oidc/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: exchangeForm(idToken, 'acme', 'acme-web'),
    });
    const body = (await response.json()) as { error?: string };
    return response.status === 200 ? 200 : body.error;
  };
  const mint = async () =>
    (
      await oidc().mintIdToken({
        preset: 'github-actions',
        repository: 'acme/web',
        expires_in: 7200,
      })
    ).id_token;

  it('built-in issuer: tokens signed by dropped keys are refused at once, and after the clock moves', async () => {
    await policyOn(await oidc().issuer());
    const old = await mint();
    expect(await exchange(old)).toBe(200);
    await oidc().rotateKeys({ dropPrevious: true });
    expect(await exchange(old)).toBe('invalid_grant');
    await advance(3600);
    expect(await exchange(old)).toBe('invalid_grant');
    expect(await exchange(await mint())).toBe(200);
  });

  it('built-in issuer: an ID token minted right after a rotation exchanges at once', async () => {
    await policyOn(await oidc().issuer());
    expect(await exchange(await mint())).toBe(200);
    const signedBefore = await mint();
    await oidc().rotateKeys();
    expect(await exchange(await mint())).toBe(200);
    // The previous key is still in the JWKS, so a token it signed still verifies.
    expect(await exchange(signedBefore)).toBe(200);
  });

  /** An ID token of the external issuer signed by `key`, its times on the server clock, a fresh `jti`. */
  const externalToken = async (key: IssuerKey) => {
    const t = Math.floor(Date.parse(String((await admin(server, 'GET', '/clock')).now)) / 1000);
    const jti = randomUUID();
    return external.sign(key, { jti, sub: SUBJECT, aud: AUDIENCE, iat: t, nbf: t, exp: t + 300 });
  };
  const jwksFetches = () => external.requests.filter((r) => r === '/jwks').length;

  it('external issuer: the JWKS is kept 10 minutes of server clock, then refetched', async () => {
    await policyOn(external.url);
    const key = await external.addKey(`ttl-${Date.now()}`);
    expect(await exchange(await externalToken(key))).toBe(200);
    external.keys = external.keys.filter((k) => k !== key);
    const before = jwksFetches();
    await advance(599);
    expect(await exchange(await externalToken(key))).toBe(200);
    expect(jwksFetches()).toBe(before);
    await advance(2);
    expect(await exchange(await externalToken(key))).toBe('invalid_grant');
    expect(jwksFetches()).toBe(before + 1);
  });

  it('external issuer: an unknown kid refetches the JWKS at most every 30 s of server clock', async () => {
    await policyOn(external.url);
    const first = await external.addKey(`first-${Date.now()}`);
    expect(await exchange(await externalToken(first))).toBe(200);
    const rotated = await external.addKey(`rotated-${Date.now()}`);
    await advance(31);
    // Past the throttle: the unknown kid refetches once, then verifies.
    const before = jwksFetches();
    expect(await exchange(await externalToken(rotated))).toBe(200);
    expect(jwksFetches()).toBe(before + 1);
    // Within 30 s of that fetch, another unknown kid fetches nothing and is refused...
    const next = await external.addKey(`next-${Date.now()}`);
    await advance(29);
    expect(await exchange(await externalToken(next))).toBe('invalid_grant');
    expect(jwksFetches()).toBe(before + 1);
    // ...and once the 30 s have passed on the server clock, it refetches and verifies.
    await advance(2);
    expect(await exchange(await externalToken(next))).toBe(200);
    expect(jwksFetches()).toBe(before + 2);
  });
});
