import {
  createLocalJWKSet,
  decodeJwt,
  decodeProtectedHeader,
  type JSONWebKeySet,
  type JWTPayload,
  type JWTVerifyGetKey,
  jwtVerify,
} from 'jose';

/** Signature algorithms an ID token may use: asymmetric only (never `none`, never HMAC). */
export const ID_TOKEN_ALGORITHMS = ['RS256', 'ES256', 'PS256', 'EdDSA'];
/** Seconds of clock skew allowed on `exp`, `nbf` and `iat`. */
export const CLOCK_SKEW_SECONDS = 5;
/** Oldest `iat` accepted, in seconds (it also makes `iat` required and refuses a future one). */
export const MAX_ID_TOKEN_AGE_SECONDS = 24 * 60 * 60;
/** Milliseconds a discovery or JWKS fetch may take. */
export const FETCH_TIMEOUT_MS = 5000;
/** Largest discovery document or JWKS read, in bytes. */
export const FETCH_SIZE_LIMIT = 64 * 1024;
/** How long an issuer's discovery document and JWKS are trusted, in ms of server clock. */
export const KEYS_TTL_MS = 10 * 60 * 1000;
/** After a JWKS fetch, an unknown `kid` triggers no new fetch for this long, in ms of server clock. */
export const UNKNOWN_KID_COOLDOWN_MS = 30 * 1000;

/** Why an ID token was refused: for the server's log, never for the client. */
export class IdTokenRefused extends Error {}

/**
 * GET `url` with a timeout and a size limit: the body is read up to {@link FETCH_SIZE_LIMIT}
 * bytes and the fetch aborted past it. Redirects are not followed (an issuer's documents are
 * served where the issuer says).
 * @throws IdTokenRefused on a timeout, a non-200 answer, a body over the limit or not JSON.
 */
async function fetchJson(url: string): Promise<unknown> {
  try {
    const answer = await fetch(url, {
      redirect: 'manual',
      headers: { accept: 'application/json' },
      signal: AbortSignal.timeout(FETCH_TIMEOUT_MS),
    });
    if (answer.status !== 200) throw new IdTokenRefused(`${url} answered ${answer.status}`);
    const reader = answer.body?.getReader();
    const chunks: Uint8Array[] = [];
    let size = 0;
    while (reader) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > FETCH_SIZE_LIMIT) {
        await reader.cancel();
        throw new IdTokenRefused(`${url} is larger than ${FETCH_SIZE_LIMIT} bytes`);
      }
      chunks.push(value);
    }
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch (error) {
    throw error instanceof IdTokenRefused
      ? error
      : new IdTokenRefused(`${url}: ${(error as Error).message}`);
  }
}

/** The built-in issuer as {@link IssuerKeys} sees it (oidc-provider.ts's `OidcProvider`). */
export interface LocalIssuer {
  /** Its issuer URL; empty until the server listens. */
  readonly issuer: string;
  /** Its public keys as they are now (RFC 7517 JWK Set). */
  jwks(): Promise<JSONWebKeySet>;
}

/** One external issuer's keys and when they were fetched (ms of server clock). */
interface RemoteEntry {
  jwksUri: string;
  keys: JWTVerifyGetKey;
  discoveredAtMs: number;
  fetchedAtMs: number;
}

/**
 * The verification keys of OIDC issuers, on the server clock.
 *
 * - The built-in issuer ({@link LocalIssuer}) is read from the server's own key set on every
 *   verification (jose's `createLocalJWKSet`), so a rotation or a drop takes effect at once.
 * - Any other issuer: its discovery document (`<issuer>/.well-known/openid-configuration`,
 *   OpenID Connect Discovery 1.0 section 4) names its `jwks_uri`; both are fetched, kept for
 *   {@link KEYS_TTL_MS} of server clock (so `/_admin/clock` ages them as any expiry), and a
 *   token whose `kid` the kept JWKS lacks refetches the JWKS once, unless it was fetched less
 *   than {@link UNKNOWN_KID_COOLDOWN_MS} ago on the server clock. A server clock set back
 *   (`/_admin/reset`) makes every kept entry stale.
 *
 * Callers must only ask for issuers a trust policy names: this class fetches whatever issuer it
 * is given.
 */
export class IssuerKeys {
  readonly #remote = new Map<string, Promise<RemoteEntry>>();
  readonly #nowMs: () => number;
  readonly #local: LocalIssuer | undefined;
  readonly #cooldownMs: number;

  /**
   * @param options.nowMs the server clock, ms since the Unix epoch.
   * @param options.local the built-in issuer, read directly rather than over HTTP.
   * @param options.unknownKidCooldownMs default {@link UNKNOWN_KID_COOLDOWN_MS}.
   */
  constructor(options: {
    nowMs: () => number;
    local?: LocalIssuer;
    unknownKidCooldownMs?: number;
  }) {
    this.#nowMs = options.nowMs;
    this.#local = options.local;
    this.#cooldownMs = options.unknownKidCooldownMs ?? UNKNOWN_KID_COOLDOWN_MS;
  }

  /** Forgets every external issuer's keys (`/_admin/reset`). */
  clear(): void {
    this.#remote.clear();
  }

  /**
   * The keys `jwtVerify` checks a token of `issuer` with.
   * @throws IdTokenRefused when the discovery document or JWKS cannot be fetched or is not the
   *   issuer's.
   */
  async keysOf(issuer: string): Promise<JWTVerifyGetKey> {
    const local = this.#local;
    if (local?.issuer && issuer === local.issuer) return createLocalJWKSet(await local.jwks());
    let entry = await this.#entry(issuer);
    return async (header, token) => {
      try {
        return await entry.keys(header, token);
      } catch (error) {
        if ((error as { code?: string }).code !== 'ERR_JWKS_NO_MATCHING_KEY') throw error;
        const latest = await this.#remote.get(issuer)?.catch(() => undefined);
        if (latest && latest !== entry)
          entry = latest; // another call refetched meanwhile
        else if (this.#within(entry.fetchedAtMs, this.#cooldownMs)) throw error;
        else entry = await this.#refetch(issuer, entry);
        return entry.keys(header, token);
      }
    };
  }

  /** Whether `sinceMs` (server clock) is less than `limitMs` ago; a clock set back says no. */
  #within(sinceMs: number, limitMs: number): boolean {
    const ageMs = this.#nowMs() - sinceMs;
    return ageMs >= 0 && ageMs < limitMs;
  }

  /** The kept entry of `issuer` while fresh, else a new one (one fetch for concurrent calls). */
  async #entry(issuer: string): Promise<RemoteEntry> {
    const kept = this.#remote.get(issuer);
    if (!kept) return this.#refetch(issuer, undefined);
    const entry = await kept;
    if (kept !== this.#remote.get(issuer)) return this.#entry(issuer);
    return this.#within(entry.discoveredAtMs, KEYS_TTL_MS)
      ? entry
      : this.#refetch(issuer, undefined);
  }

  /**
   * Fetches `issuer`'s JWKS (and, without a `previous` entry, its discovery document first) and
   * keeps the result. A failed fetch is not kept: the `previous` entry stays, counted as
   * fetched now (so a failing issuer is asked at most once per cooldown), or nothing.
   */
  #refetch(issuer: string, previous: RemoteEntry | undefined): Promise<RemoteEntry> {
    const nowMs = this.#nowMs();
    const next = (async (): Promise<RemoteEntry> => {
      let jwksUri = previous?.jwksUri;
      let discoveredAtMs = previous?.discoveredAtMs ?? nowMs;
      if (!jwksUri) {
        jwksUri = await discoverJwksUri(issuer);
        discoveredAtMs = nowMs;
      }
      const jwks = await fetchJson(jwksUri);
      try {
        return {
          jwksUri,
          keys: createLocalJWKSet(jwks as JSONWebKeySet),
          discoveredAtMs,
          fetchedAtMs: nowMs,
        };
      } catch (error) {
        throw new IdTokenRefused(`JWKS ${jwksUri}: ${(error as Error).message}`);
      }
    })();
    this.#remote.set(issuer, next);
    next.catch(() => {
      if (this.#remote.get(issuer) !== next) return;
      if (previous) this.#remote.set(issuer, Promise.resolve({ ...previous, fetchedAtMs: nowMs }));
      else this.#remote.delete(issuer);
    });
    return next;
  }
}

/**
 * The `jwks_uri` of `issuer`'s discovery document (OpenID Connect Discovery 1.0 section 4).
 * @throws IdTokenRefused when it cannot be fetched or describes another issuer.
 */
async function discoverJwksUri(issuer: string): Promise<string> {
  const url = `${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`;
  const document = (await fetchJson(url)) as { issuer?: unknown; jwks_uri?: unknown } | null;
  if (document?.issuer !== issuer || typeof document.jwks_uri !== 'string') {
    throw new IdTokenRefused(`discovery ${url} does not describe issuer ${issuer}`);
  }
  return document.jwks_uri;
}

/** The `iss` of a JWT, read without verifying it (to pick the trust policies that apply). */
export function unverifiedIssuer(jwt: string): string | undefined {
  try {
    decodeProtectedHeader(jwt);
    const { iss } = decodeJwt(jwt);
    return typeof iss === 'string' ? iss : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Verifies an OIDC ID token (RFC 7519 section 7.2 with jose's `jwtVerify`): signature by a key
 * of `issuer`'s JWKS with an algorithm of {@link ID_TOKEN_ALGORITHMS}, `iss` equal to `issuer`,
 * `aud` containing one of `audiences`, `exp` and `nbf` and `iat` (required, not in the future,
 * at most {@link MAX_ID_TOKEN_AGE_SECONDS} old) at `nowMs` with {@link CLOCK_SKEW_SECONDS} of
 * skew, and a string `sub`.
 * @param nowMs the server clock, ms since the Unix epoch.
 * @returns the verified claims.
 * @throws IdTokenRefused saying why (for the log).
 */
export async function verifyIdToken(
  keys: IssuerKeys,
  jwt: string,
  issuer: string,
  audiences: string[],
  nowMs: number,
): Promise<JWTPayload & { sub: string }> {
  const keySet = await keys.keysOf(issuer);
  try {
    const { payload } = await jwtVerify(jwt, keySet, {
      algorithms: ID_TOKEN_ALGORITHMS,
      issuer,
      audience: audiences,
      clockTolerance: CLOCK_SKEW_SECONDS,
      maxTokenAge: MAX_ID_TOKEN_AGE_SECONDS,
      currentDate: new Date(nowMs),
      requiredClaims: ['exp', 'iat', 'sub'],
    });
    if (typeof payload.sub !== 'string') throw new IdTokenRefused('sub is not a string');
    return payload as JWTPayload & { sub: string };
  } catch (error) {
    if (error instanceof IdTokenRefused) throw error;
    const code = (error as { code?: string }).code ?? 'error';
    throw new IdTokenRefused(`${code}: ${(error as Error).message}`);
  }
}
