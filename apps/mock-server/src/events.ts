import type { components } from '@hangar/sdk';
import type { Request } from 'express';
import { formatTimeMs } from './clock.js';
import type { Db } from './db/database.js';
import type { EventsTable, TokenKind, TokensTable } from './db/schema.js';
import { rowLimit } from './pagination.js';
import { redactSecrets } from './redact.js';
import type { Services } from './services.js';

type Event = components['schemas']['Event'];
/** The contract's `EventType` enum (`token.created`, `machine.started`, ...). */
export type EventType = components['schemas']['EventType'];

/**
 * How many events each organization keeps when `--event-retention` is not given: the newest
 * 1000 (the contract's listOrgEvents description states it). Older ones are dropped as new
 * ones are recorded.
 */
export const DEFAULT_EVENT_RETENTION = 1000;

/**
 * Events of refused requests (a rotated-away token presented), which anyone holding such a token
 * can cause: retention keeps the newest of them apart from the other events (recordEvent).
 */
const REFUSAL_EVENTS: readonly EventType[] = ['token.used_after_rotation'];

/** The request that made a change: who (never a secret), and from where. */
export interface EventOrigin {
  /** The request's `X-Request-Id` (request-id.ts). */
  requestId: string;
  /** The client's address as the server saw it, or null. */
  sourceIp: string | null;
  userAgent: string | null;
  actor: {
    /** The token that made the request; null for a login (no token yet). */
    tokenId: string | null;
    /** The token's kind; looked up by `tokenId` when left out. */
    tokenKind?: TokenKind | null;
    /** The email of the token's user. */
    email: string;
    /** For `token.exchanged`: the OIDC `sub` of the exchanged ID token. */
    subject?: string;
    /** For `token.exchanged`: the id of the trust policy that allowed it. */
    trustPolicy?: string;
  };
}

/**
 * The origin of an event made by `req`: its request id (request-id.ts), the client's address and
 * user agent, and `actor`. Usable where there is no OperationContext (the authenticator, for
 * `token.used_after_rotation`).
 */
export function requestOrigin(req: Request, actor: EventOrigin['actor']): EventOrigin {
  return { ...requestSource(req), actor };
}

/**
 * Where `req` came from: its request id (request-id.ts), client address and user agent, the
 * user agent with secrets redacted (redact.ts, the rule of the logs and the journal): any reader
 * of the org's events, a read-only token too, sees it, and a client may put a token in it.
 */
export function requestSource(req: Request): Omit<EventOrigin, 'actor'> {
  const userAgent = req.headers['user-agent'];
  return {
    requestId: String(req.res?.locals.requestId ?? ''),
    sourceIp: req.socket.remoteAddress ?? null,
    userAgent: userAgent === undefined ? null : redactSecrets(userAgent),
  };
}

/** What happened, where, and to what. */
export interface EventInput {
  type: EventType;
  /** The organization the event belongs to (its log). */
  org: { id: string; slug: string };
  /** The app it concerns, if any (it then also shows in the app's log). */
  app?: { id: string; name: string } | null;
  target: { type: EventsTable['target_type']; id: string; name: string | null };
}

/** The next event id: a counter in 16 hex digits, so ids sort in recording order. */
function nextEventId(db: Db): string {
  const last = db.first(
    db.q.selectFrom('events').select('id').orderBy('id', 'desc').limit(rowLimit(1)),
  );
  const next = last ? Number.parseInt(last.id.slice(4), 16) + 1 : 1;
  return `evt_${next.toString(16).padStart(16, '0')}`;
}

/**
 * Records one audit event and drops the organization's oldest beyond the retention
 * (`services.eventRetention`, default {@link DEFAULT_EVENT_RETENTION}), counted apart for
 * refusals ({@link REFUSAL_EVENTS}) and for the other events: an org keeps up to that many of
 * each. Call it inside the `db.transaction` of the change it records, so both are written or
 * neither is. The time is the server clock's. Never pass a secret: the event stores ids, names and emails only.
 * Token rotation records `token.rotated` and `token.used_after_rotation` through this too.
 * @returns the event's id (`evt_` + 16 hex digits).
 */
export function recordEvent(services: Services, origin: EventOrigin, event: EventInput): string {
  const { db, clock } = services;
  const { actor } = origin;
  let kind = actor.tokenKind ?? null;
  if (actor.tokenKind === undefined && actor.tokenId !== null) {
    const row = db.first(db.q.selectFrom('tokens').select('kind').where('id', '=', actor.tokenId));
    kind = row?.kind ?? null;
  }
  const id = nextEventId(db);
  db.run(
    db.q.insertInto('events').values({
      id,
      type: event.type,
      created_at: clock.nowMs(),
      org_id: event.org.id,
      org_slug: event.org.slug,
      app_id: event.app?.id ?? null,
      app_name: event.app?.name ?? null,
      actor_token_id: actor.tokenId,
      actor_token_kind: kind,
      actor_email: actor.email,
      target_type: event.target.type,
      target_id: event.target.id,
      target_name: event.target.name,
      request_id: origin.requestId,
      source_ip: origin.sourceIp,
      user_agent: origin.userAgent,
      actor_subject: actor.subject ?? null,
      actor_trust_policy: actor.trustPolicy ?? null,
    }),
  );
  const keep = services.eventRetention ?? DEFAULT_EVENT_RETENTION;
  // Refusals and changes are kept apart, each its newest `keep`: refused requests cost their
  // sender nothing, so they must never push a change out of the log.
  const refusal = REFUSAL_EVENTS.includes(event.type);
  const sameClass = refusal ? ('in' as const) : ('not in' as const);
  db.run(
    db.q
      .deleteFrom('events')
      .where('org_id', '=', event.org.id)
      .where('type', sameClass, REFUSAL_EVENTS)
      .where('id', 'not in', (q) =>
        q
          .selectFrom('events')
          .select('id')
          .where('org_id', '=', event.org.id)
          .where('type', sameClass, REFUSAL_EVENTS)
          .orderBy('created_at', 'desc')
          .orderBy('id', 'desc')
          .limit(rowLimit(keep)),
      ),
  );
  return id;
}

/** The columns of a token row that say where events about it belong. */
export type TokenEventRow = Pick<
  TokensTable,
  'id' | 'name' | 'org_id' | 'org_slug' | 'app_id' | 'app_name' | 'created_by'
>;

/**
 * Records `type` about the token of `row` in its org's log (and its app's, for a deploy token
 * whose app still exists), or, for a personal token, in its user's personal orgs. Call inside
 * the change's transaction (a refusal, `token.used_after_rotation`, changes nothing else).
 */
export function recordTokenEvent(
  services: Services,
  origin: EventOrigin,
  type: EventType,
  row: TokenEventRow,
): void {
  const orgs = tokenEventOrgs(services.db, row);
  const app =
    row.app_id !== null && row.app_name !== null ? { id: row.app_id, name: row.app_name } : null;
  for (const org of orgs) {
    recordEvent(services, origin, {
      type,
      org,
      app,
      target: { type: 'token', id: row.id, name: row.name },
    });
  }
}

/**
 * The organizations whose logs hold the events about the token of `row`: its org, or for a
 * personal token (which belongs to none) its user's personal orgs.
 */
export function tokenEventOrgs(db: Db, row: TokenEventRow): { id: string; slug: string }[] {
  return row.org_id !== null && row.org_slug !== null
    ? [{ id: row.org_id, slug: row.org_slug }]
    : personalOrgsOf(db, row.created_by);
}

/**
 * The personal organizations of a user: where events about the user's own personal tokens and
 * sessions are recorded (a personal token belongs to no organization).
 */
export function personalOrgsOf(db: Db, userId: string): { id: string; slug: string }[] {
  return db.all(
    db.q
      .selectFrom('orgs')
      .innerJoin('memberships', 'memberships.org_id', 'orgs.id')
      .select(['orgs.id', 'orgs.slug'])
      .where('memberships.user_id', '=', userId)
      .where('orgs.type', '=', 'personal'),
  );
}

/** The API view of an event row (never a secret: the row holds none). */
export function eventView(row: EventsTable): Event {
  return {
    id: row.id,
    type: row.type,
    time: formatTimeMs(row.created_at),
    org: row.org_slug,
    app: row.app_name,
    actor: {
      token_id: row.actor_token_id,
      token_kind: row.actor_token_kind,
      email: row.actor_email,
      ...(row.actor_subject === null ? {} : { subject: row.actor_subject }),
      ...(row.actor_trust_policy === null ? {} : { trust_policy: row.actor_trust_policy }),
    },
    target: { type: row.target_type, id: row.target_id, name: row.target_name },
    request_id: row.request_id,
    source_ip: row.source_ip,
    // Redacted again: a data directory written before user agents were redacted on the way in.
    user_agent: row.user_agent === null ? null : redactSecrets(row.user_agent),
  };
}
