import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IdTokenRefused, IssuerKeys, verifyIdToken } from '../src/oidc.js';
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

  it('refuses a discovery document that names another issuer', async () => {
    const keys = new IssuerKeys({ nowMs: () => Date.now() });
    await expect(keys.keysOf(`${issuer.url}/other`)).rejects.toBeInstanceOf(IdTokenRefused);
  });
});
