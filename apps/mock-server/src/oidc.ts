import {
  createRemoteJWKSet,
  customFetch,
  decodeJwt,
  decodeProtectedHeader,
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
/** How long an issuer's discovery document and JWKS are trusted, in ms (real time). */
export const KEYS_TTL_MS = 10 * 60 * 1000;
/** After a fetch, an unknown `kid` triggers no new fetch for this long, in ms (jose's cooldown). */
export const UNKNOWN_KID_COOLDOWN_MS = 30 * 1000;

/** Why an ID token was refused: for the server's log, never for the client. */
export class IdTokenRefused extends Error {}

/**
 * GET `url` with a timeout and a size limit: the body is read up to {@link FETCH_SIZE_LIMIT}
 * bytes and the fetch aborted past it. Redirects are not followed (an issuer's documents are
 * served where the issuer says).
 * @throws IdTokenRefused on a timeout, a non-200 answer or a body over the limit.
 */
async function limitedFetch(url: string, signal?: AbortSignal): Promise<Response> {
  const timeout = AbortSignal.timeout(FETCH_TIMEOUT_MS);
  const answer = await fetch(url, {
    redirect: 'manual',
    headers: { accept: 'application/json' },
    signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
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
  return new Response(Buffer.concat(chunks), { status: 200, headers: answer.headers });
}

/**
 * The verification keys of OIDC issuers: each issuer's discovery document
 * (`<issuer>/.well-known/openid-configuration`, OpenID Connect Discovery 1.0 section 4) names its
 * `jwks_uri`; jose's remote key set fetches that with a timeout, caches it, and refetches once
 * on an unknown `kid` (no more often than {@link UNKNOWN_KID_COOLDOWN_MS}). An issuer's entry is
 * dropped after {@link KEYS_TTL_MS}, so a moved `jwks_uri` is followed. Callers must only ask
 * for issuers a trust policy names: this class fetches whatever issuer it is given.
 */
export class IssuerKeys {
  readonly #issuers = new Map<string, { keys: JWTVerifyGetKey; until: number }>();
  readonly #cooldownMs: number;

  /** @param options.unknownKidCooldownMs default {@link UNKNOWN_KID_COOLDOWN_MS}. */
  constructor(options: { unknownKidCooldownMs?: number } = {}) {
    this.#cooldownMs = options.unknownKidCooldownMs ?? UNKNOWN_KID_COOLDOWN_MS;
  }

  /** @throws IdTokenRefused when the discovery document cannot be fetched or is not the issuer's. */
  async keysOf(issuer: string): Promise<JWTVerifyGetKey> {
    const cached = this.#issuers.get(issuer);
    if (cached && cached.until > Date.now()) return cached.keys;
    const url = `${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`;
    let document: { issuer?: unknown; jwks_uri?: unknown };
    try {
      document = (await (await limitedFetch(url)).json()) as typeof document;
    } catch (error) {
      throw error instanceof IdTokenRefused
        ? error
        : new IdTokenRefused(`discovery ${url}: ${(error as Error).message}`);
    }
    if (document.issuer !== issuer || typeof document.jwks_uri !== 'string') {
      throw new IdTokenRefused(`discovery ${url} does not describe issuer ${issuer}`);
    }
    const keys = createRemoteJWKSet(new URL(document.jwks_uri), {
      timeoutDuration: FETCH_TIMEOUT_MS,
      cooldownDuration: this.#cooldownMs,
      cacheMaxAge: KEYS_TTL_MS,
      [customFetch]: (jwksUrl, options) => limitedFetch(jwksUrl, options.signal),
    });
    this.#issuers.set(issuer, { keys, until: Date.now() + KEYS_TTL_MS });
    return keys;
  }
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
