/**
 * `@hangar/sdk/admin`: types and a small client for hangar-mock's test controls under `/_admin`,
 * described by openapi/hangar-admin.yaml (a document of its own: they are not part of the Hangar
 * API, so they stay off the SDK's main entry point). For test helpers and contract suites.
 */
import createClient, { type Client } from 'openapi-fetch';
import { serverRoot } from './base-url.js';
import { errorFromResponse } from './errors.js';
import type { components, operations, paths } from './generated/admin.js';

export type {
  components as AdminComponents,
  operations as AdminOperations,
  paths as AdminPaths,
} from './generated/admin.js';

type Schemas = components['schemas'];

/** The header carrying the admin key on every `/_admin` request. */
export const ADMIN_KEY_HEADER = 'X-Hangar-Admin-Key';

/** An operationId of the admin document: `resetServer`, `seedFixture`, `getClock`, ... */
export type AdminOperationId = keyof operations;

/** A fixture `seedFixture` takes: users, orgs with members, apps (each list optional). */
export type SeedFixture = Schemas['SeedFixture'];
/** A user of a fixture: `{ email, password }`. */
export type SeedUser = Schemas['SeedUser'];
/** An org of a fixture: `{ slug, name?, type?, members? }`. */
export type SeedOrg = Schemas['SeedOrg'];
/** A membership of a fixture: `{ email, role? }` (role `member` when left out). */
export type SeedMember = Schemas['SeedMember'];
/** An app of a fixture: `{ name, org }`. */
export type SeedApp = Schemas['SeedApp'];
/** What `seedFixture` answers: a fresh personal token per fixture user, in fixture order. */
export type SeedResult = Schemas['SeedResult'];
/** The server clock: `{ now }`, RFC 3339 UTC with whole seconds. */
export type Clock = Schemas['Clock'];
/**
 * A fault rule to add: what it matches (`operation_id`, `method`, `path` pattern) and what it
 * does (`status` with optional `retry_after_seconds` and `code`, `drop: 'before' | 'after'`,
 * `latency_ms`), with `probability` (and `seed`) or `times`.
 */
export type FaultRule = Schemas['FaultRule'];
/** A fault rule as the server holds it: the rule plus `id`, `fired`, `remaining`, `created_at`. */
export type Fault = Schemas['Fault'];
/** One request the server received (never a secret; see `listRequests`). */
export type JournalEntry = Schemas['JournalEntry'];

/**
 * What `mintIdToken` takes: `claims` over the defaults, `preset: 'github-actions'` with
 * `repository` (`OWNER/REPO`), `ref`, `environment`, `workflow`, `actor`; `audience` (default
 * `hangar`), `expires_in` seconds (default 300), `issued_at` / `not_before` (RFC 3339), `alg`
 * (`RS256` default, or `ES256`).
 */
export type MintIdTokenRequest = Schemas['MintIdTokenRequest'];
/** A minted ID token: `{ id_token, claims }` (the token is a credential while valid). */
export type MintedIdToken = Schemas['MintedIdToken'];
/** The built-in issuer: `{ issuer, discovery_url, jwks_uri, keys: [{ kid, alg, current }] }`. */
export type OidcIssuer = Schemas['OidcIssuer'];

/** Filters of the request journal; each left out matches everything. */
export interface JournalFilter {
  /** An operationId of the contract, e.g. `createOrgToken`. */
  operationId?: string | undefined;
  /** The status answered (a dropped connection has none). */
  status?: number | undefined;
  /** The id (`tok_…`) of the token that authenticated the request. */
  tokenId?: string | undefined;
  /** Requests received at or after this time (RFC 3339 or a Date; server clock). */
  since?: string | Date | undefined;
}

/** The typed openapi-fetch client over the admin document's `paths`. */
export type RawAdminClient = Client<paths>;

/** Options of {@link createAdminClient}. */
export interface AdminClientOptions {
  /** The server root, e.g. `http://127.0.0.1:4280` (a trailing `/` or `/v1` is dropped). */
  baseUrl: string;
  /** The server's admin key (hangar-mock prints it at start-up). Sent only in its header. */
  adminKey: string;
  /** Fetch to use; defaults to `globalThis.fetch`. */
  fetch?: ((request: Request) => Promise<Response>) | undefined;
}

/** The test controls, each resolving to its success body or throwing a HangarApiError. */
export interface AdminClient {
  /** `resetServer`: wipes everything, re-seeds the default data and the start's fixture, clock back to real time. */
  reset(): Promise<void>;
  /** `seedFixture`: applies a fixture (idempotent); returns a fresh personal token per user. */
  seed(fixture: SeedFixture): Promise<SeedResult>;
  /** `getClock`: the server's time, RFC 3339 UTC (`2026-11-30T08:00:00Z`). */
  now(): Promise<string>;
  /** `advanceClock`: moves the clock forward by whole `seconds` (1 to 9223372036); the new time. */
  advance(seconds: number): Promise<string>;
  /** `setClock`: moves the clock forward to `time` (RFC 3339 or a Date); the new time. */
  set(time: string | Date): Promise<string>;
  /** Fault rules on `/v1` operations (`createFault`, `listFaults`, `deleteFault`, `clearFaults`). */
  faults: {
    /** Adds a rule; resolves to it with its `id`. */
    add(rule: FaultRule): Promise<Fault>;
    /** Every rule, in the order they are tried, with `fired` and `remaining`. */
    list(): Promise<Fault[]>;
    /** Deletes one rule (`not_found` if none has this id); resolves to it as it was. */
    delete(id: string): Promise<Fault>;
    /** Deletes every rule; resolves to how many there were. */
    clear(): Promise<number>;
  };
  /** The request journal (`listRequests`, `countRequests`, `clearRequests`). */
  requests: {
    /** Matching requests, oldest first; `limit` (1-1000, default 100) keeps the newest. */
    list(filter?: JournalFilter & { limit?: number | undefined }): Promise<JournalEntry[]>;
    /** How many requests match. */
    count(filter?: JournalFilter): Promise<number>;
    /** Forgets every request; resolves to how many there were. */
    clear(): Promise<number>;
  };
  /** The test identity provider (`getOidcIssuer`, `mintIdToken`, `rotateOidcKeys`). */
  oidc: {
    /** The built-in issuer's URL, `<server url>/_oidc`: what a trust policy names. */
    issuer(): Promise<string>;
    /** The issuer, its discovery and JWKS URLs, and its keys' ids (current ones first). */
    describe(): Promise<OidcIssuer>;
    /** Signs an ID token on the server clock; resolves to `{ id_token, claims }`. */
    mintIdToken(request?: MintIdTokenRequest): Promise<MintedIdToken>;
    /**
     * New signing keys become current; the replaced ones still verify until the next rotation.
     * `dropPrevious: true` removes them from the JWKS; `rotate: false` with it only drops them.
     */
    rotateKeys(options?: { rotate?: boolean; dropPrevious?: boolean }): Promise<OidcIssuer>;
  };
  /** The openapi-fetch client, with the admin key sent; returns `{ data, error, response }`. */
  raw: RawAdminClient;
}

/**
 * Creates a client for the `/_admin` test controls of a hangar-mock server.
 * @throws HangarApiError (from each call) with the problem's `code`: `unauthenticated` for a
 *   wrong key, `validation_failed` for a bad fixture or clock value, ...; `http_error` otherwise.
 * @example
 *   const admin = createAdminClient({ baseUrl: server.url, adminKey: server.adminKey });
 *   await admin.reset();
 *   const { users } = await admin.seed({ users: [{ email: 'ana@x.test', password: 'pw' }] });
 *   await admin.advance(3600);
 */
export function createAdminClient(options: AdminClientOptions): AdminClient {
  const raw = createClient<paths>({
    baseUrl: serverRoot(options.baseUrl),
    fetch: options.fetch ?? ((request: Request) => globalThis.fetch(request)),
    headers: { [ADMIN_KEY_HEADER]: options.adminKey },
  });
  async function call<T>(pending: Promise<{ data?: T; error?: unknown; response: Response }>) {
    const { data, error, response } = await pending;
    if (!response.ok || data === undefined) throw errorFromResponse(response, error);
    return data;
  }
  return {
    raw,
    async reset() {
      await call(raw.POST('/_admin/reset'));
    },
    seed: (fixture) => call(raw.POST('/_admin/seed', { body: fixture })),
    now: async () => (await call(raw.GET('/_admin/clock'))).now,
    advance: async (seconds) =>
      (await call(raw.POST('/_admin/clock', { body: { advance_seconds: seconds } }))).now,
    set: async (time) => {
      const now = typeof time === 'string' ? time : time.toISOString();
      return (await call(raw.PUT('/_admin/clock', { body: { now } }))).now;
    },
    faults: {
      add: (rule) => call(raw.POST('/_admin/faults', { body: rule })),
      list: async () => (await call(raw.GET('/_admin/faults'))).items,
      delete: (id) =>
        call(raw.DELETE('/_admin/faults/{fault_id}', { params: { path: { fault_id: id } } })),
      clear: async () => (await call(raw.DELETE('/_admin/faults'))).deleted,
    },
    requests: {
      list: async ({ limit, ...filter } = {}) => {
        const query = { ...journalQuery(filter), ...(limit === undefined ? {} : { limit }) };
        return (await call(raw.GET('/_admin/requests', { params: { query } }))).items;
      },
      count: async (filter = {}) => {
        const query = journalQuery(filter);
        return (await call(raw.GET('/_admin/requests/count', { params: { query } }))).count;
      },
      clear: async () => (await call(raw.DELETE('/_admin/requests'))).deleted,
    },
    oidc: {
      issuer: async () => (await call(raw.GET('/_admin/oidc'))).issuer,
      describe: () => call(raw.GET('/_admin/oidc')),
      mintIdToken: (request = {}) => call(raw.POST('/_admin/oidc/id-tokens', { body: request })),
      rotateKeys: ({ rotate, dropPrevious } = {}) =>
        call(
          raw.POST('/_admin/oidc/keys/rotate', {
            body: {
              ...(rotate === undefined ? {} : { rotate }),
              ...(dropPrevious === undefined ? {} : { drop_previous: dropPrevious }),
            },
          }),
        ),
    },
  };
}

/** The query parameters of a journal filter (only those given). */
function journalQuery(filter: JournalFilter) {
  const query: { operation_id?: string; status?: number; token_id?: string; since?: string } = {};
  if (filter.operationId !== undefined) query.operation_id = filter.operationId;
  if (filter.status !== undefined) query.status = filter.status;
  if (filter.tokenId !== undefined) query.token_id = filter.tokenId;
  if (filter.since !== undefined) {
    query.since = typeof filter.since === 'string' ? filter.since : filter.since.toISOString();
  }
  return query;
}
