import type { Call, RawHangarClient } from './client.js';
import { redactSecrets } from './errors.js';
import type { components } from './generated/schema.js';
import {
  type IterateOptions,
  type Page,
  type PageOptions,
  pageQuery,
  pageShapeProblem,
  paginate,
} from './pagination.js';

/** An organization's trust policy: which OIDC ID tokens may be exchanged, for what grant. */
export type TrustPolicy = components['schemas']['TrustPolicy'];
/** createTrustPolicy's body: `name`, `issuer`, `audience`, `conditions`, `grant`. */
export type CreateTrustPolicyRequest = components['schemas']['CreateTrustPolicyRequest'];
/** exchangeToken's answer (RFC 8693 section 2.2.1): `access_token`, `expires_in` seconds. */
export type TokenExchangeResponse = components['schemas']['TokenExchangeResponse'];

/** The RFC 6749 section 5.2 error codes exchangeToken answers. */
export type TokenExchangeErrorCode = components['schemas']['OAuthError']['error'];

/**
 * The `error_uri`s exchangeToken answers (RFC 6749 section 5.2): the contract's stable name of
 * an `invalid_grant` case, e.g. `https://hangar.dev/problems/id_token_already_used`.
 */
export type TokenExchangeErrorUri = NonNullable<components['schemas']['OAuthError']['error_uri']>;

/**
 * An exchange refused (400 with an RFC 6749 section 5.2 body): `error` is `invalid_request` (a
 * form field), `invalid_grant` (the ID token is not valid for the org's trust policies, or was
 * already used in an exchange: each ID token is exchanged once, so request a fresh one) or
 * `unauthorized_client` (valid, but no policy grants this exchange). The server never says which
 * verification check failed; its log does.
 *
 * - `errorUri`: the answer's `error_uri`, which names the case of an `invalid_grant` the server
 *   tells apart ({@link TokenExchangeErrorUri}: the ID token was already used, has no `jti`, or
 *   its policy's creating token is gone); null when it had none. Key on it, not on
 *   `description`, whose wording is for people and may change.
 * - `requestId`: the answer's `X-Request-Id` (`req_…`), as on HangarApiError: the id the
 *   server's logs know the request by, to quote when reporting a problem; null when the answer
 *   carried no such header.
 */
export class TokenExchangeError extends Error {
  override readonly name = 'TokenExchangeError';
  readonly status = 400;
  readonly error: TokenExchangeErrorCode;
  readonly description: string;
  /** The answer's `X-Request-Id`; null when it had none. */
  readonly requestId: string | null;
  /** The answer's `error_uri` (the case, stable); null when it had none. */
  readonly errorUri: TokenExchangeErrorUri | null;

  constructor(
    error: TokenExchangeErrorCode,
    description: string,
    requestId: string | null = null,
    errorUri: TokenExchangeErrorUri | null = null,
  ) {
    // A server may echo the ID token it refused; keep it out of the message.
    const shown = redactSecrets(description);
    super(`${shown} (${error})`);
    this.error = error;
    this.description = shown;
    this.requestId = requestId;
    this.errorUri = errorUri;
  }
}

/** Trust policies of an org (org read to list/get, org write to create/delete). All throw HangarApiError. */
export interface TrustPoliciesResource {
  /** createTrustPolicy; 403 `exceeds_token_scope`/`exceeds_token_lifetime` past the caller's own power. */
  create(org: string, policy: CreateTrustPolicyRequest): Promise<TrustPolicy>;
  /** listTrustPolicies: one page, oldest first (the order exchanges try them). */
  list(org: string, options?: PageOptions): Promise<Page<TrustPolicy>>;
  /** Every trust policy of an org, across all pages. */
  iterate(org: string, options?: IterateOptions): AsyncGenerator<TrustPolicy, void, undefined>;
  /** getTrustPolicy by id (`tp_...`). */
  get(org: string, id: string): Promise<TrustPolicy>;
  /** deleteTrustPolicy: exchanges under it are refused from the next one on. */
  delete(org: string, id: string): Promise<void>;
}

/** What an ID token is exchanged for: the org, and the app for a deploy grant. */
export interface ExchangeOptions {
  org: string;
  app?: string | undefined;
}

/** Builds the trust-policy helpers over a raw client. */
export function trustPoliciesResource(raw: RawHangarClient, call: Call): TrustPoliciesResource {
  const path = (org: string) => ({ path: { org } });
  const one = (org: string, id: string) => ({ path: { org, policy_id: id } });
  const policies: TrustPoliciesResource = {
    create: (org, policy) =>
      call(raw.POST('/v1/orgs/{org}/trust-policies', { params: path(org), body: policy })),
    list: (org, query = {}) =>
      call(
        raw.GET('/v1/orgs/{org}/trust-policies', { params: { ...path(org), query } }),
        pageShapeProblem,
      ),
    iterate: (org, { limit } = {}) =>
      paginate((cursor) => policies.list(org, pageQuery(limit, cursor))),
    get: (org, id) =>
      call(raw.GET('/v1/orgs/{org}/trust-policies/{policy_id}', { params: one(org, id) })),
    delete: async (org, id) => {
      await call(raw.DELETE('/v1/orgs/{org}/trust-policies/{policy_id}', { params: one(org, id) }));
    },
  };
  return policies;
}

/** What a JavaScript value is, for a message; never the value itself (an ID token is a secret). */
function kindOf(value: unknown): string {
  if (value === undefined || value === null) return String(value);
  return Array.isArray(value) ? 'an array' : `a ${typeof value}`;
}

/**
 * Refuses what a JavaScript caller may pass against the types (an unset CI variable as the ID
 * token, no options), before anything is sent.
 * @throws TypeError saying what to pass
 */
function checkExchangeArguments(idToken: unknown, options: unknown): void {
  const refuse = (what: string) => {
    throw new TypeError(`auth.exchange: ${what}; nothing was sent`);
  };
  if (typeof idToken !== 'string') {
    refuse(`idToken must be the CI system's OIDC ID token (a JWT string), got ${kindOf(idToken)}`);
  }
  const { org, app } = (options ?? {}) as { org?: unknown; app?: unknown };
  if (typeof options !== 'object' || options === null || typeof org !== 'string') {
    const got =
      typeof options === 'object' && options !== null ? `{ org: ${kindOf(org)} }` : kindOf(options);
    refuse(
      `options must be { org, app? }, with org the organization the trust policies belong to, got ${got}`,
    );
  }
  if (app !== undefined && typeof app !== 'string') {
    refuse(`app must be a string (the app to deploy) or left out, got ${kindOf(app)}`);
  }
}

/**
 * exchangeToken (RFC 8693): an OIDC ID token for a short-lived Hangar token under the org's
 * trust policies. Needs no token on the client.
 * @throws TokenExchangeError for a refusal (400 `{ error, error_description }`); HangarApiError
 *   for anything else (429 `rate_limited`, a network error, ...); TypeError, before anything is
 *   sent, for an `idToken` that is not a string or options without a string `org`.
 */
export async function exchangeToken(
  raw: RawHangarClient,
  call: Call,
  idToken: string,
  options: ExchangeOptions,
): Promise<TokenExchangeResponse> {
  checkExchangeArguments(idToken, options);
  const { org, app } = options;
  const form: Record<string, string> = {
    grant_type: 'urn:ietf:params:oauth:grant-type:token-exchange',
    subject_token: idToken.trim(),
    subject_token_type: 'urn:ietf:params:oauth:token-type:id_token',
    org,
  };
  if (app !== undefined) form.app = app;
  const result = await raw.POST('/v1/oidc/token', {
    body: form as components['schemas']['TokenExchangeRequest'],
    bodySerializer: (body) => new URLSearchParams(body as Record<string, string>).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });
  const refusal = result.error as
    | { error?: unknown; error_description?: unknown; error_uri?: unknown }
    | undefined;
  if (result.response.status === 400 && typeof refusal?.error === 'string') {
    throw new TokenExchangeError(
      refusal.error as TokenExchangeErrorCode,
      String(refusal.error_description ?? ''),
      result.response.headers.get('x-request-id'),
      typeof refusal.error_uri === 'string' ? (refusal.error_uri as TokenExchangeErrorUri) : null,
    );
  }
  return call(Promise.resolve(result));
}
