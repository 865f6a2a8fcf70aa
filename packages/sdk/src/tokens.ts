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
import type { CreatedToken, Token } from './types.js';

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
  listOrg(org: string, options?: PageOptions): Promise<Page<Token>>;
  /** listAppTokens: one page of an app's deploy tokens. */
  listApp(app: string, options?: PageOptions): Promise<Page<Token>>;
  /** Every org and read-only token of an org, across all pages. */
  iterateOrg(org: string, options?: IterateOptions): AsyncGenerator<Token, void, undefined>;
  /** Every deploy token of an app, across all pages. */
  iterateApp(app: string, options?: IterateOptions): AsyncGenerator<Token, void, undefined>;
  /** getToken by id (`tok_...`). */
  get(id: string): Promise<Token>;
  /** revokeToken by id; resolves to the revoked token; 409 `token_already_revoked` if it was. */
  revoke(id: string): Promise<Token>;
  /** revokeCurrentToken: revokes the token this client uses. */
  revokeCurrent(): Promise<Token>;
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
    iterateOrg: (org, { limit } = {}) =>
      paginate((cursor) => tokens.listOrg(org, pageQuery(limit, cursor))),
    iterateApp: (app, { limit } = {}) =>
      paginate((cursor) => tokens.listApp(app, pageQuery(limit, cursor))),
    get: (id) => call(raw.GET('/v1/tokens/{token_id}', { params: { path: { token_id: id } } })),
    revoke: (id) =>
      call(raw.DELETE('/v1/tokens/{token_id}', { params: { path: { token_id: id } } })),
    revokeCurrent: () => call(raw.DELETE('/v1/viewer/token')),
  };
  return tokens;
}
