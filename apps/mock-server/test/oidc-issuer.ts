import { createServer, type Server, type ServerResponse } from 'node:http';
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
  /**
   * While set, each request is answered only once it resolves, so a test can hold the server's
   * fetch (and the exchange awaiting it) open; `onRequest` hears each path as it arrives.
   */
  gate: Promise<void> | undefined;
  onRequest: ((url: string) => void) | undefined;

  private constructor(server: Server) {
    this.#server = server;
  }

  static async start(): Promise<TestIssuer> {
    let issuer: TestIssuer | undefined;
    const server = createServer((req, res) => {
      const self = issuer as TestIssuer;
      self.requests.push(req.url ?? '');
      self.onRequest?.(req.url ?? '');
      void (self.gate ?? Promise.resolve()).then(() => self.#answer(req.url, res));
    });
    issuer = new TestIssuer(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    issuer.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return issuer;
  }

  /** The discovery document, the JWKS, or 404 `{}`. */
  #answer(url: string | undefined, res: ServerResponse): void {
    res.setHeader('content-type', 'application/json');
    if (url === '/.well-known/openid-configuration') {
      res.end(JSON.stringify({ issuer: this.url, jwks_uri: `${this.url}/jwks` }));
    } else if (url === '/jwks') {
      res.end(JSON.stringify({ keys: this.keys.map((k) => k.publicJwk) }));
    } else {
      res.statusCode = 404;
      res.end('{}');
    }
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
