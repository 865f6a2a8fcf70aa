import type { Call, RawHangarClient } from './client.js';
import { type IterateOptions, type Page, pageShapeProblem, paginate } from './pagination.js';
import type { AccessCheck, AccessCheckRequest, Event, EventType } from './types.js';

/** Filters and paging of the event lists. */
export interface EventListOptions {
  /** Only these types (one, or any of several): `token.created`, `machine.started`, ... */
  type?: EventType | readonly EventType[] | undefined;
  /** Only events whose actor or target is this token (`tok_...`). */
  tokenId?: string | undefined;
  /** Only events at or after this time: a Date, or RFC 3339 text. */
  since?: Date | string | undefined;
  /** Page size, 1..100 (server default 20). */
  limit?: number | undefined;
  /** Cursor from a previous page's `next_cursor`. */
  cursor?: string | undefined;
}

/** Audit events of an org or an app, newest first. All throw HangarApiError. */
export interface EventsResource {
  /** listOrgEvents: one page of an org's events, newest first. Needs org read access. */
  listOrg(org: string, options?: EventListOptions): Promise<Page<Event>>;
  /** Every event of an org matching the filters, newest first, across all pages. */
  iterateOrg(
    org: string,
    options?: Omit<EventListOptions, 'cursor'> & IterateOptions,
  ): AsyncGenerator<Event, void, undefined>;
  /** listAppEvents: one page of an app's events, newest first. Needs app read access. */
  listApp(app: string, options?: EventListOptions): Promise<Page<Event>>;
  /** Every event of an app matching the filters, newest first, across all pages. */
  iterateApp(
    app: string,
    options?: Omit<EventListOptions, 'cursor'> & IterateOptions,
  ): AsyncGenerator<Event, void, undefined>;
}

/** The query of an event list: only the keys that are set; `since` as RFC 3339. */
export function eventQuery(options: EventListOptions = {}) {
  const query: {
    type?: EventType[];
    token_id?: string;
    since?: string;
    limit?: number;
    cursor?: string;
  } = {};
  if (options.type !== undefined) {
    query.type = typeof options.type === 'string' ? [options.type] : [...options.type];
  }
  if (options.tokenId !== undefined) query.token_id = options.tokenId;
  if (options.since !== undefined) {
    query.since =
      options.since instanceof Date
        ? options.since.toISOString().replace(/\.\d{3}Z$/, 'Z')
        : options.since;
  }
  if (options.limit !== undefined) query.limit = options.limit;
  if (options.cursor !== undefined) query.cursor = options.cursor;
  return query;
}

/** Builds the events helpers over a raw client. */
export function eventsResource(raw: RawHangarClient, call: Call): EventsResource {
  const events: EventsResource = {
    listOrg: (org, options) =>
      call(
        raw.GET('/v1/orgs/{org}/events', {
          params: { path: { org }, query: eventQuery(options) },
        }),
        pageShapeProblem,
      ),
    iterateOrg: (org, options = {}) =>
      paginate((cursor) => events.listOrg(org, { ...options, cursor })),
    listApp: (app, options) =>
      call(
        raw.GET('/v1/apps/{app}/events', {
          params: { path: { app }, query: eventQuery(options) },
        }),
        pageShapeProblem,
      ),
    iterateApp: (app, options = {}) =>
      paginate((cursor) => events.listApp(app, { ...options, cursor })),
  };
  return events;
}

/**
 * checkAccess: what the token in use would get trying `action` on `resource` (in `org`, or on
 * `app`), with no side effects. Resolves to `{ allowed, status, operation, required_access,
 * caveat, detail }`; `allowed: false` is an answer, not an error.
 */
export function checkAccess(
  raw: RawHangarClient,
  call: Call,
  request: AccessCheckRequest,
): Promise<AccessCheck> {
  return call(raw.POST('/v1/viewer/access-checks', { body: request }));
}
