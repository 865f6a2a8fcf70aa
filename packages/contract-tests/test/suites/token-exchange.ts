import { generateKeyPairSync, type KeyObject, randomUUID, sign } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectStatus, ORG_A, type World } from '../../src/world.js';

const AUDIENCE = 'https://hangar.contract.test';
const SUBJECT = 'repo:contract/app:ref:refs/heads/main';

/**
 * A minimal OIDC issuer on loopback (discovery + JWKS, RS256 with node:crypto): a test fixture
 * the server under test fetches from, so it must run on this machine (as hangar-mock does).
 */
async function startIssuer(): Promise<{ url: string; key: KeyObject; server: Server }> {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = { ...publicKey.export({ format: 'jwk' }), kid: 'c1', alg: 'RS256', use: 'sig' };
  let url = '';
  const server = createServer((req, res) => {
    res.setHeader('content-type', 'application/json');
    if (req.url === '/.well-known/openid-configuration') {
      return res.end(JSON.stringify({ issuer: url, jwks_uri: `${url}/jwks` }));
    }
    if (req.url === '/jwks') return res.end(JSON.stringify({ keys: [jwk] }));
    res.statusCode = 404;
    res.end('{}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, key: privateKey, server };
}

/** An RS256 JWT (RFC 7515 compact form) over `claims`. */
function jwt(key: KeyObject, claims: Record<string, unknown>): string {
  const part = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
  const input = `${part({ alg: 'RS256', kid: 'c1', typ: 'JWT' })}.${part(claims)}`;
  return `${input}.${sign('sha256', Buffer.from(input), key).toString('base64url')}`;
}

/** exchangeToken has no security, so it is tested on its own rather than in the matrix. */
export function tokenExchangeSuite(world: () => World) {
  describe('exchangeToken (no security, RFC 8693 form body)', () => {
    let issuer: Awaited<ReturnType<typeof startIssuer>>;
    beforeAll(async () => {
      issuer = await startIssuer();
      await expectStatus(
        'create trust policy',
        201,
        world().personal.POST('/v1/orgs/{org}/trust-policies', {
          params: { path: { org: ORG_A } },
          body: {
            name: 'contract exchange',
            issuer: issuer.url,
            audience: AUDIENCE,
            conditions: { sub: 'repo:contract/*' },
            grant: { kind: 'readonly', expires_in: 600 },
          },
        }),
      );
    });
    afterAll(() => new Promise<void>((resolve) => issuer?.server.close(() => resolve())));

    const exchange = (subjectToken: string) =>
      world()
        .client(undefined)
        .POST('/v1/oidc/token', {
          body: {
            grant_type: 'urn:ietf:params:oauth:grant-type:token-exchange',
            subject_token: subjectToken,
            subject_token_type: 'urn:ietf:params:oauth:token-type:id_token',
            org: ORG_A,
          },
          bodySerializer: (body) => new URLSearchParams(body as Record<string, string>).toString(),
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
        });

    /** A fresh ID token (new `jti`) for `sub`, issued now on the server clock, valid 5 minutes. */
    const idTokenFor = async (sub = SUBJECT) => {
      const now = await world().admin.now();
      const claims = {
        iss: issuer.url,
        sub,
        aud: AUDIENCE,
        iat: now,
        exp: now + 300,
        jti: randomUUID(),
      };
      return jwt(issuer.key, claims);
    };

    it('a matching ID token gets a read-only token of the policy lifetime', async () => {
      const { data, response } = await exchange(await idTokenFor());
      expect(response.status).toBe(200);
      expect(data).toMatchObject({ token_type: 'Bearer', expires_in: 600 });
      const viewer = await world().client(data?.access_token).GET('/v1/viewer');
      expect(viewer.data?.token).toMatchObject({ kind: 'readonly', org: ORG_A });
    });

    it('the same ID token again: 400 invalid_grant with error_uri id_token_already_used', async () => {
      const idToken = await idTokenFor();
      expect((await exchange(idToken)).response.status).toBe(200);
      const { error, response } = await exchange(idToken);
      expect(response.status).toBe(400);
      expect(error).toMatchObject({
        error: 'invalid_grant',
        error_uri: 'https://hangar.dev/problems/id_token_already_used',
      });
    });

    it('a token for another subject: 400 unauthorized_client, RFC 6749 section 5.2', async () => {
      const { error, response } = await exchange(await idTokenFor('repo:x/y'));
      expect(response.status).toBe(400);
      expect(error).toMatchObject({ error: 'unauthorized_client' });
    });
  });
}
