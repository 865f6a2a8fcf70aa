import type { Call, RawHangarClient } from './client.js';
import { toExpiresIn } from './expiry.js';
import {
  type IterateOptions,
  type Page,
  type PageOptions,
  pageQuery,
  pageShapeProblem,
  paginate,
} from './pagination.js';
import { type RotateTokenOptions, rotateTokenBody } from './rotation.js';
import type { CreatedToken, Token, TokenStatus } from './types.js';

/** Options of the token lists: a page, and only tokens with one `status` (all when left out). */
export interface TokenPageOptions extends PageOptions {
  status?: TokenStatus;
}

/** Options of the token iterators: page size and the `status` filter. */
export interface TokenIterateOptions extends IterateOptions {
  status?: TokenStatus;
}

/** Options for creating a token. */
export interface CreateTokenOptions {
  /** 1-100 characters; the server's default depends on the kind ("Org deploy token", ...). */
  name?: string | undefined;
  /**
   * Lifetime: whole seconds (1..9223372036), or a Go duration string such as `720h` or `30d`
   * (parsed by `parseExpiry`). Server default: 631152000 s (20 years).
   */
  expiresIn?: number | string | undefined;
}

/** Token operations of the contract. All throw HangarApiError. */
export interface TokensResource {
  /** createOrgToken: a token for one org (its apps, machines, deploy tokens, its own tokens). */
  createOrg(org: string, options?: CreateTokenOptions): Promise<CreatedToken>;
  /** createReadonlyToken: read-only access to one org. */
  createReadonly(org: string, options?: CreateTokenOptions): Promise<CreatedToken>;
  /** createDeployToken: a token locked to one app. */
  createDeploy(app: string, options?: CreateTokenOptions): Promise<CreatedToken>;
  /** listOrgTokens: one page of an org's org and read-only tokens (revoked/expired included). */
  listOrg(org: string, options?: TokenPageOptions): Promise<Page<Token>>;
  /** listAppTokens: one page of an app's deploy tokens. */
  listApp(app: string, options?: TokenPageOptions): Promise<Page<Token>>;
  /**
   * listPersonalTokens: one page of the caller's personal tokens (one per login); only a token
   * not limited to an org or apps may list them (else 404 `not_found`).
   */
  listPersonal(options?: TokenPageOptions): Promise<Page<Token>>;
  /** Every org and read-only token of an org, across all pages. */
  iterateOrg(org: string, options?: TokenIterateOptions): AsyncGenerator<Token, void, undefined>;
  /** Every deploy token of an app, across all pages. */
  iterateApp(app: string, options?: TokenIterateOptions): AsyncGenerator<Token, void, undefined>;
  /** Every personal token of the caller, across all pages. */
  iteratePersonal(options?: TokenIterateOptions): AsyncGenerator<Token, void, undefined>;
  /** getToken by id (`tok_...`). */
  get(id: string): Promise<Token>;
  /** revokeToken by id; resolves to the revoked token; 409 `token_already_revoked` if it was. */
  revoke(id: string): Promise<Token>;
  /** revokeCurrentToken: revokes the token this client uses. */
  revokeCurrent(): Promise<Token>;
  /**
   * rotateToken by id: a new token (secret shown this once, `replaces` = `id`) with the same
   * kind, name and scope; the old one works `gracePeriod` more (default 0), then is refused
   * with 401 `token_rotated`. 409 `token_already_rotated` / `token_already_revoked`.
   * @throws DurationError or RangeError for a bad `gracePeriod`/`expiresIn`, before any request
   */
  rotate(id: string, options?: RotateTokenOptions): Promise<CreatedToken>;
  /** rotateCurrentToken: rotates the token this client uses (the new one cannot outlive it). */
  rotateCurrent(options?: RotateTokenOptions): Promise<CreatedToken>;
}

/** A list query: page options plus `status`, only the keys that are set. */
function tokenQuery(
  limit: number | undefined,
  cursor: string | undefined,
  status: TokenStatus | undefined,
): TokenPageOptions {
  const query: TokenPageOptions = pageQuery(limit, cursor);
  if (status !== undefined) query.status = status;
  return query;
}

/**
 * The JSON body for a token creation: only the fields that were given. An `expiresIn` string is
 * parsed locally, so a bad duration fails (DurationError) before any request.
 */
export function createTokenBody(options: CreateTokenOptions = {}): {
  name?: string;
  expires_in?: number;
} {
  const body: { name?: string; expires_in?: number } = {};
  if (options.name !== undefined) body.name = options.name;
  if (options.expiresIn !== undefined) body.expires_in = toExpiresIn(options.expiresIn);
  return body;
}

export function tokensResource(raw: RawHangarClient, call: Call): TokensResource {
  const tokens: TokensResource = {
    createOrg: async (org, options) =>
      call(
        raw.POST('/v1/orgs/{org}/tokens/org', {
          params: { path: { org } },
          body: createTokenBody(options),
        }),
      ),
    createReadonly: async (org, options) =>
      call(
        raw.POST('/v1/orgs/{org}/tokens/readonly', {
          params: { path: { org } },
          body: createTokenBody(options),
        }),
      ),
    createDeploy: async (app, options) =>
      call(
        raw.POST('/v1/apps/{app}/tokens', {
          params: { path: { app } },
          body: createTokenBody(options),
        }),
      ),
    listOrg: (org, query = {}) =>
      call(
        raw.GET('/v1/orgs/{org}/tokens', { params: { path: { org }, query } }),
        pageShapeProblem,
      ),
    listApp: (app, query = {}) =>
      call(
        raw.GET('/v1/apps/{app}/tokens', { params: { path: { app }, query } }),
        pageShapeProblem,
      ),
    listPersonal: (query = {}) =>
      call(raw.GET('/v1/viewer/tokens', { params: { query } }), pageShapeProblem),
    iterateOrg: (org, { limit, status } = {}) =>
      paginate((cursor) => tokens.listOrg(org, tokenQuery(limit, cursor, status))),
    iterateApp: (app, { limit, status } = {}) =>
      paginate((cursor) => tokens.listApp(app, tokenQuery(limit, cursor, status))),
    iteratePersonal: ({ limit, status } = {}) =>
      paginate((cursor) => tokens.listPersonal(tokenQuery(limit, cursor, status))),
    get: (id) => call(raw.GET('/v1/tokens/{token_id}', { params: { path: { token_id: id } } })),
    revoke: (id) =>
      call(raw.DELETE('/v1/tokens/{token_id}', { params: { path: { token_id: id } } })),
    revokeCurrent: () => call(raw.DELETE('/v1/viewer/token')),
    rotate: async (id, options) =>
      call(
        raw.POST('/v1/tokens/{token_id}/rotate', {
          params: { path: { token_id: id } },
          body: rotateTokenBody(options),
        }),
      ),
    rotateCurrent: async (options) =>
      call(raw.POST('/v1/viewer/token/rotate', { body: rotateTokenBody(options) })),
  };
  return tokens;
}
