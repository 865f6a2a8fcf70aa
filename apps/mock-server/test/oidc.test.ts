import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IdTokenRefused, IssuerKeys, KEYS_TTL_MS, verifyIdToken } from '../src/oidc.js';
import type { IssuerKey } from './oidc-issuer.js';
import { TestIssuer } from './oidc-issuer.js';

describe('IssuerKeys: an issuer JWKS, cached, refetched once on an unknown kid', () => {
  let issuer: TestIssuer;
  beforeAll(async () => {
    issuer = await TestIssuer.start();
  });
  afterAll(() => issuer?.close());

  const verify = async (keys: IssuerKeys, token: string) =>
    verifyIdToken(keys, token, issuer.url, ['aud'], Date.now());
  const claims = () => {
    const t = Math.floor(Date.now() / 1000);
    return { sub: 's', aud: 'aud', iat: t, exp: t + 60 };
  };
  const jwksFetches = () => issuer.requests.filter((r) => r === '/jwks').length;

  it('verifies RS256 and ES256, fetching discovery and JWKS once', async () => {
    const keys = new IssuerKeys({ nowMs: () => Date.now(), unknownKidCooldownMs: 0 });
    const rs = await issuer.addKey('rs', 'RS256');
    const es = await issuer.addKey('es', 'ES256');
    issuer.requests = [];
    expect((await verify(keys, await issuer.sign(rs, claims()))).sub).toBe('s');
    expect((await verify(keys, await issuer.sign(es, claims()))).sub).toBe('s');
    expect(issuer.requests).toEqual(['/.well-known/openid-configuration', '/jwks']);
  });

  it('a rotated-in key: one refetch, then it verifies; an unknown kid: one refetch, then refused', async () => {
    const keys = new IssuerKeys({ nowMs: () => Date.now(), unknownKidCooldownMs: 0 });
    const first = await issuer.addKey('first', 'RS256');
    await verify(keys, await issuer.sign(first, claims()));
    const before = jwksFetches();
    const rotated = await issuer.addKey('rotated', 'ES256');
    expect((await verify(keys, await issuer.sign(rotated, claims()))).sub).toBe('s');
    expect(jwksFetches()).toBe(before + 1);
    const unknown = await issuer.addKey('unknown', 'RS256', false);
    await expect(verify(keys, await issuer.sign(unknown, claims()))).rejects.toBeInstanceOf(
      IdTokenRefused,
    );
    expect(jwksFetches()).toBe(before + 2);
  });

  it('the TTL and the unknown-kid throttle run on the given clock, a failed refetch included', async () => {
    let now = Date.now();
    const keys = new IssuerKeys({ nowMs: () => now });
    const at = (key: IssuerKey) => {
      const t = Math.floor(now / 1000);
      return issuer.sign(key, { sub: 's', aud: 'aud', iat: t, exp: t + 7200 });
    };
    const check = async (key: IssuerKey) =>
      verifyIdToken(keys, await at(key), issuer.url, ['aud'], now).then(
        () => 'ok',
        (error: unknown) => (error instanceof IdTokenRefused ? 'refused' : error),
      );
    const known = await issuer.addKey('clock-known', 'RS256');
    const unknown = await issuer.addKey('clock-unknown', 'RS256', false);
    issuer.requests = [];
    expect(await check(known)).toBe('ok');
    expect(issuer.requests).toEqual(['/.well-known/openid-configuration', '/jwks']);
    expect(await check(unknown)).toBe('refused');
    expect(jwksFetches()).toBe(1);
    now += 30_000;
    const served = issuer.keys;
    issuer.keys = [{} as IssuerKey]; // a JWKS jose refuses: the refetch fails
    expect(await check(unknown)).toBe('refused');
    expect(jwksFetches()).toBe(2);
    issuer.keys = served;
    now += 29_999;
    // The failed refetch counts: no fetch within 30 s of it; the kept keys still verify.
    expect(await check(unknown)).toBe('refused');
    expect(await check(known)).toBe('ok');
    expect(jwksFetches()).toBe(2);
    now += KEYS_TTL_MS;
    expect(await check(known)).toBe('ok');
    expect(issuer.requests.slice(-2)).toEqual(['/.well-known/openid-configuration', '/jwks']);
    // A clock set back (/_admin/reset) makes the kept keys stale.
    now -= 2 * KEYS_TTL_MS;
    const before = issuer.requests.length;
    expect(await check(known)).toBe('ok');
    expect(issuer.requests.length).toBe(before + 2);
  });

  it('refuses a discovery document that names another issuer', async () => {
    const keys = new IssuerKeys({ nowMs: () => Date.now() });
    await expect(keys.keysOf(`${issuer.url}/other`)).rejects.toBeInstanceOf(IdTokenRefused);
  });
});
