import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, type JWK, type JWTPayload, SignJWT } from 'jose';

/** A signing key of the fixture issuer. */
export interface IssuerKey {
  kid: string;
  alg: 'RS256' | 'ES256';
  privateKey: Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];
  publicJwk: JWK;
}

/**
 * A tiny OIDC issuer for tests (a fixture, not a mock of our packages): serves its discovery
 * document at `/.well-known/openid-configuration` and its JWKS at `/jwks` over node:http, signs
 * ID tokens with jose, and counts the requests it got.
 */
export class TestIssuer {
  readonly #server: Server;
  /** Keys served in the JWKS; `unpublished` keys sign but are not served. */
  keys: IssuerKey[] = [];
  requests: string[] = [];
  url = '';

  private constructor(server: Server) {
    this.#server = server;
  }

  static async start(): Promise<TestIssuer> {
    let issuer: TestIssuer | undefined;
    const server = createServer((req, res) => {
      const self = issuer as TestIssuer;
      self.requests.push(req.url ?? '');
      res.setHeader('content-type', 'application/json');
      if (req.url === '/.well-known/openid-configuration') {
        res.end(JSON.stringify({ issuer: self.url, jwks_uri: `${self.url}/jwks` }));
      } else if (req.url === '/jwks') {
        res.end(JSON.stringify({ keys: self.keys.map((k) => k.publicJwk) }));
      } else {
        res.statusCode = 404;
        res.end('{}');
      }
    });
    issuer = new TestIssuer(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    issuer.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return issuer;
  }

  /** A new key pair; published in the JWKS unless `publish` is false. */
  async addKey(kid: string, alg: IssuerKey['alg'] = 'RS256', publish = true): Promise<IssuerKey> {
    const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
    const publicJwk = { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' };
    const key = { kid, alg, privateKey, publicJwk };
    if (publish) this.keys.push(key);
    return key;
  }

  /** An ID token signed by `key` with `claims` (iss defaults to this issuer). */
  sign(key: IssuerKey, claims: JWTPayload): Promise<string> {
    return new SignJWT({ iss: this.url, ...claims })
      .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: 'JWT' })
      .sign(key.privateKey);
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.#server.close(() => resolve()));
  }
}
