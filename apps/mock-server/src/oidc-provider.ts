import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import {
  type CryptoKey,
  calculateJwkThumbprint,
  exportJWK,
  generateKeyPair,
  importJWK,
  type JWK,
  type JWTPayload,
  SignJWT,
} from 'jose';
import type { ServerClock } from './clock.js';
import { readSecretFile, writeSecretFile } from './secrets.js';

/** The JWS algorithms (RFC 7518) the built-in issuer signs with; the first is the default. */
export const OIDC_ALGORITHMS = ['RS256', 'ES256'] as const;
export type OidcAlgorithm = (typeof OIDC_ALGORITHMS)[number];

/** The issuer's path under the server URL: the issuer is `<server url>/_oidc`. */
export const OIDC_PATH = '/_oidc';
/** Where a data directory keeps the signing keys (private JWKs, mode 0600). */
const KEY_FILE = 'oidc-keys.json';

/** One signing key: its private JWK (what is persisted) and the key objects made from it. */
interface SigningKey {
  kid: string;
  alg: OidcAlgorithm;
  privateJwk: JWK;
  publicJwk: JWK;
  privateKey: CryptoKey | Uint8Array;
}

/** The current keys (one per algorithm) and those the last rotation replaced. */
interface KeySet {
  current: SigningKey[];
  previous: SigningKey[];
}

/** What a data directory's `oidc-keys.json` holds. */
interface KeyFile {
  version: 1;
  current: JWK[];
  previous: JWK[];
}

/** What {@link OidcProvider.mint} signs: the claims and the algorithm. */
export interface MintRequest {
  /** Claims over the defaults (`iss`, `sub`, `aud`, `iat`, `nbf`, `exp`, `jti`). */
  claims: Record<string, unknown>;
  audience: string | string[];
  /** Seconds from `iat` to `exp`. */
  expiresIn: number;
  /** `iat`, seconds since the Unix epoch; default the server clock's now. */
  issuedAt?: number | undefined;
  /** `nbf`, seconds since the Unix epoch; default `iat`. */
  notBefore?: number | undefined;
  alg: OidcAlgorithm;
}

async function keyFromPrivateJwk(privateJwk: JWK): Promise<SigningKey> {
  const alg = privateJwk.alg as OidcAlgorithm;
  if (!OIDC_ALGORITHMS.includes(alg) || typeof privateJwk.kid !== 'string') {
    throw new Error(`${KEY_FILE} holds a key without a supported alg and a kid`);
  }
  const { d: _d, p: _p, q: _q, dp: _dp, dq: _dq, qi: _qi, ...publicJwk } = privateJwk;
  return {
    kid: privateJwk.kid,
    alg,
    privateJwk,
    publicJwk: { ...publicJwk, use: 'sig' },
    privateKey: await importJWK(privateJwk, alg),
  };
}

/** A fresh key for `alg`, its `kid` the RFC 7638 JWK thumbprint of its public key. */
async function newKey(alg: OidcAlgorithm): Promise<SigningKey> {
  const { privateKey } = await generateKeyPair(alg, { extractable: true });
  const jwk = await exportJWK(privateKey);
  const kid = await calculateJwkThumbprint(jwk);
  return keyFromPrivateJwk({ ...jwk, kid, alg });
}

/**
 * The emulator's test OpenID Connect identity provider: signing keys (RS256 and ES256, each with
 * a `kid`), its discovery document and JWKS, and ID tokens minted on the server clock. Keys are
 * made on first use (starting a server costs no key generation), kept in memory, or with a data
 * directory in `<data dir>/oidc-keys.json` (mode 0600, written whole), so ID tokens survive a
 * restart. `/_admin/reset` keeps them. Private keys are never logged or served.
 */
export class OidcProvider {
  #issuer = '';
  #keys: Promise<KeySet> | undefined;

  /**
   * @param clock the server clock (`iat`, `nbf`, `exp`).
   * @param dataDir where the keys are kept; undefined keeps them in memory.
   */
  constructor(
    private readonly clock: ServerClock,
    private readonly dataDir: string | undefined,
  ) {}

  /** The issuer URL, `<server url>/_oidc` (known once the server listens). */
  get issuer(): string {
    return this.#issuer;
  }

  /**
   * Reads a data directory's saved keys now (at start-up) rather than on first use, so a damaged
   * key file stops the server with a clear message; makes no keys when there are none.
   * @throws Error naming the file and what is wrong with it.
   */
  async loadSaved(): Promise<void> {
    if (this.dataDir && existsSync(join(this.dataDir, KEY_FILE))) await this.#keySet();
  }

  /** Sets the issuer from the server's URL (`http://127.0.0.1:4280`). */
  setServerUrl(url: string): void {
    this.#issuer = `${url}${OIDC_PATH}`;
  }

  /** The discovery document (OpenID Connect Discovery 1.0 section 3, required fields). */
  configuration() {
    return {
      issuer: this.#issuer,
      jwks_uri: `${this.#issuer}/jwks`,
      response_types_supported: ['id_token'],
      subject_types_supported: ['public'],
      id_token_signing_alg_values_supported: [...OIDC_ALGORITHMS],
      claims_supported: ['sub', 'aud', 'exp', 'iat', 'iss', 'jti', 'nbf'],
    };
  }

  /** The JWK Set (RFC 7517 section 5): public keys, current first, then previous ones. */
  async jwks(): Promise<{ keys: JWK[] }> {
    const { current, previous } = await this.#keySet();
    return { keys: [...current, ...previous].map((key) => key.publicJwk) };
  }

  /** The issuer, its URLs and its keys' ids (what `getOidcIssuer` answers). */
  async describe() {
    const { current, previous } = await this.#keySet();
    const configuration = this.configuration();
    return {
      issuer: configuration.issuer,
      discovery_url: `${configuration.issuer}/.well-known/openid-configuration`,
      jwks_uri: configuration.jwks_uri,
      keys: [
        ...current.map(({ kid, alg }) => ({ kid, alg, current: true })),
        ...previous.map(({ kid, alg }) => ({ kid, alg, current: false })),
      ],
    };
  }

  /**
   * Signs an ID token (JWS compact, header `alg`, `kid`, `typ: JWT`) with the current key for
   * `request.alg`. Claims: `iss`, `sub: hangar-test`, `aud`, `iat`, `nbf`, `exp`, `jti`, then
   * `request.claims` over them. Times in whole seconds of the server clock.
   * @returns the token and the claims it carries.
   */
  async mint(request: MintRequest): Promise<{ id_token: string; claims: JWTPayload }> {
    const { current } = await this.#keySet();
    const key = current.find((k) => k.alg === request.alg) as SigningKey;
    const iat = request.issuedAt ?? Math.floor(this.clock.nowMs() / 1000);
    const claims: JWTPayload = {
      iss: this.#issuer,
      sub: 'hangar-test',
      aud: request.audience,
      iat,
      nbf: request.notBefore ?? iat,
      exp: iat + request.expiresIn,
      jti: randomUUID(),
      ...request.claims,
    };
    const idToken = await new SignJWT(claims)
      .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: 'JWT' })
      .sign(key.privateKey);
    return { id_token: idToken, claims };
  }

  /**
   * `rotate`: new current keys, the replaced ones kept as previous (any older previous ones go);
   * `dropPrevious`: the previous keys leave the JWKS. Saved before it answers.
   */
  async rotate(options: { rotate: boolean; dropPrevious: boolean }): Promise<void> {
    const before = this.#keySet();
    // Chained on the key set, so concurrent rotations apply one after the other.
    const after = before.then(async (keys) => {
      const current = options.rotate
        ? await Promise.all(OIDC_ALGORITHMS.map(newKey))
        : keys.current;
      const kept = options.rotate ? keys.current : keys.previous;
      const next = { current, previous: options.dropPrevious ? [] : kept };
      this.#save(next);
      return next;
    });
    this.#keys = after.catch(() => before);
    await after;
  }

  /** The keys: loaded from the data directory, else made (and saved) on first use. */
  #keySet(): Promise<KeySet> {
    this.#keys ??= this.#load().catch((error: unknown) => {
      this.#keys = undefined;
      throw error;
    });
    return this.#keys;
  }

  async #load(): Promise<KeySet> {
    const file = this.dataDir && join(this.dataDir, KEY_FILE);
    if (file && existsSync(file)) {
      try {
        const stored = JSON.parse((readSecretFile(file) as Buffer).toString('utf8')) as KeyFile;
        const current = await Promise.all(stored.current.map(keyFromPrivateJwk));
        if (!OIDC_ALGORITHMS.every((alg) => current.some((key) => key.alg === alg))) {
          throw new Error(`it lacks a current key for ${OIDC_ALGORITHMS.join(' or ')}`);
        }
        return { current, previous: await Promise.all(stored.previous.map(keyFromPrivateJwk)) };
      } catch (error) {
        // The reason only: the file holds private keys, never quoted.
        const reason = error instanceof SyntaxError ? 'it is not JSON' : (error as Error).message;
        throw new Error(
          `cannot read the OIDC signing keys in ${file}: ${reason}; delete the file to make new keys (ID tokens signed with the old ones stop verifying)`,
        );
      }
    }
    const keys = { current: await Promise.all(OIDC_ALGORITHMS.map(newKey)), previous: [] };
    this.#save(keys);
    return keys;
  }

  #save(keys: KeySet): void {
    if (!this.dataDir) return;
    const stored: KeyFile = {
      version: 1,
      current: keys.current.map((key) => key.privateJwk),
      previous: keys.previous.map((key) => key.privateJwk),
    };
    writeSecretFile(join(this.dataDir, KEY_FILE), `${JSON.stringify(stored)}\n`);
  }
}
