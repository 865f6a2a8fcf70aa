import type { Call, RawHangarClient } from './client.js';
import { checkAccess, type EventsResource, eventsResource } from './events.js';
import type { components } from './generated/schema.js';
import {
  type IterateOptions,
  type Page,
  type PageOptions,
  pageQuery,
  pageShapeProblem,
  paginate,
} from './pagination.js';
import { type TokensResource, tokensResource } from './tokens.js';
import {
  type ExchangeOptions,
  exchangeToken,
  type TokenExchangeResponse,
  type TrustPoliciesResource,
  trustPoliciesResource,
} from './trust-policies.js';
import type {
  AccessCheck,
  AccessCheckRequest,
  App,
  Machine,
  Org,
  Session,
  Viewer,
} from './types.js';

/** The contract's region codes (CreateMachineRequest.region). */
type Region = NonNullable<components['schemas']['CreateMachineRequest']['region']>;

/** Every resource helper group of a {@link HangarClient}. All throw HangarApiError. */
export interface HangarResources {
  sessions: {
    /** createSession: logs in with email and password; works on a client without a token. */
    create(email: string, password: string): Promise<Session>;
  };
  viewer: {
    /** getViewer: the caller, the token in use and its effective scope. */
    get(): Promise<Viewer>;
    /**
     * checkAccess: may the token in use do `action` on `resource` (in `org`, or on `app`)? No
     * side effects. `allowed: false` resolves (with the status the operation would answer and
     * the caveat that refuses); only a request that itself fails throws.
     */
    checkAccess(request: AccessCheckRequest): Promise<AccessCheck>;
  };
  orgs: {
    /** listOrgs: one page of the orgs this token can see. */
    list(options?: PageOptions): Promise<Page<Org>>;
    /** Every org this token can see, across all pages. */
    iterate(options?: IterateOptions): AsyncGenerator<Org, void, undefined>;
    /** getOrg by slug. */
    get(org: string): Promise<Org>;
  };
  apps: {
    /** listApps: one page of an org's apps. */
    list(org: string, options?: PageOptions): Promise<Page<App>>;
    /** Every app of an org, across all pages. */
    iterate(org: string, options?: IterateOptions): AsyncGenerator<App, void, undefined>;
    /** createApp in an org; `name` is a DNS label, unique on the server (409 `conflict`). */
    create(org: string, name: string): Promise<App>;
    /** getApp by name. */
    get(app: string): Promise<App>;
    /** deleteApp by name. */
    delete(app: string): Promise<void>;
  };
  machines: {
    /** listMachines: one page of an app's machines. */
    list(app: string, options?: PageOptions): Promise<Page<Machine>>;
    /** Every machine of an app, across all pages. */
    iterate(app: string, options?: IterateOptions): AsyncGenerator<Machine, void, undefined>;
    /** createMachine: creates and starts a machine (`region` defaults to `iad` on the server). */
    create(app: string, machine: { image: string; region?: string }): Promise<Machine>;
    get(app: string, machine: string): Promise<Machine>;
    start(app: string, machine: string): Promise<Machine>;
    stop(app: string, machine: string): Promise<Machine>;
    delete(app: string, machine: string): Promise<void>;
  };
  tokens: TokensResource;
  /** Audit events of an org or an app (listOrgEvents, listAppEvents). */
  events: EventsResource;
  /** Trust policies of an org: which CI ID tokens may be exchanged for a token (issue 17). */
  trustPolicies: TrustPoliciesResource;
  auth: {
    /**
     * exchangeToken: a CI system's OIDC ID token for a short-lived token under `org`'s trust
     * policies (`app` for a deploy grant). Works on a client without a token.
     * @throws TokenExchangeError for a refusal (RFC 6749 section 5.2).
     */
    exchange(idToken: string, options: ExchangeOptions): Promise<TokenExchangeResponse>;
  };
}

/** Builds the resource helpers over a raw client; `call` turns results into data or errors. */
export function resources(raw: RawHangarClient, call: Call): HangarResources {
  const orgPath = (org: string) => ({ path: { org } });
  const appPath = (app: string) => ({ path: { app } });
  const machinePath = (app: string, machine: string) => ({ path: { app, machine } });
  const orgs: HangarResources['orgs'] = {
    list: (query = {}) => call(raw.GET('/v1/orgs', { params: { query } }), pageShapeProblem),
    iterate: ({ limit } = {}) => paginate((cursor) => orgs.list(pageQuery(limit, cursor))),
    get: (org) => call(raw.GET('/v1/orgs/{org}', { params: orgPath(org) })),
  };
  const apps: HangarResources['apps'] = {
    list: (org, query = {}) =>
      call(
        raw.GET('/v1/orgs/{org}/apps', { params: { ...orgPath(org), query } }),
        pageShapeProblem,
      ),
    iterate: (org, { limit } = {}) =>
      paginate((cursor) => apps.list(org, pageQuery(limit, cursor))),
    create: (org, name) =>
      call(raw.POST('/v1/orgs/{org}/apps', { params: orgPath(org), body: { name } })),
    get: (app) => call(raw.GET('/v1/apps/{app}', { params: appPath(app) })),
    delete: async (app) => {
      await call(raw.DELETE('/v1/apps/{app}', { params: appPath(app) }));
    },
  };
  const machines: HangarResources['machines'] = {
    list: (app, query = {}) =>
      call(
        raw.GET('/v1/apps/{app}/machines', { params: { ...appPath(app), query } }),
        pageShapeProblem,
      ),
    iterate: (app, { limit } = {}) =>
      paginate((cursor) => machines.list(app, pageQuery(limit, cursor))),
    create: (app, { image, region }) =>
      call(
        raw.POST('/v1/apps/{app}/machines', {
          params: appPath(app),
          // The contract lists the regions (enum); the SDK takes any string and lets the server
          // answer 400 validation_failed for one it does not know, as for every other field.
          body: region === undefined ? { image } : { image, region: region as Region },
        }),
      ),
    get: (app, machine) =>
      call(raw.GET('/v1/apps/{app}/machines/{machine}', { params: machinePath(app, machine) })),
    start: (app, machine) =>
      call(
        raw.POST('/v1/apps/{app}/machines/{machine}/start', { params: machinePath(app, machine) }),
      ),
    stop: (app, machine) =>
      call(
        raw.POST('/v1/apps/{app}/machines/{machine}/stop', { params: machinePath(app, machine) }),
      ),
    delete: async (app, machine) => {
      await call(
        raw.DELETE('/v1/apps/{app}/machines/{machine}', { params: machinePath(app, machine) }),
      );
    },
  };
  return {
    sessions: {
      create: (email, password) => call(raw.POST('/v1/sessions', { body: { email, password } })),
    },
    viewer: {
      get: () => call(raw.GET('/v1/viewer')),
      checkAccess: (request) => checkAccess(raw, call, request),
    },
    orgs,
    apps,
    machines,
    tokens: tokensResource(raw, call),
    events: eventsResource(raw, call),
    trustPolicies: trustPoliciesResource(raw, call),
    auth: { exchange: (idToken, options) => exchangeToken(raw, call, idToken, options) },
  };
}
