import type { Request } from 'express';
import type { Access } from './auth/access-table.js';
import type { Caller } from './auth/authenticate.js';
import {
  requireAccess,
  tokenTarget,
  type VisibleApp,
  type VisibleOrg,
  visibleApp,
  visibleOrg,
} from './auth/authorize.js';
import type { TokensTable } from './db/schema.js';
import { type EventInput, type EventOrigin, recordEvent, requestOrigin } from './events.js';
import type { OperationId, PathParams, QueryParams, Reply, RequestBody } from './operations.js';
import { problem } from './problems.js';
import type { Services } from './services.js';
import { SECRET_CACHE_CONTROL } from './token-secrets.js';

/** A path each of whose segments encodeURIComponent(decodeURIComponent(segment)) leaves as is. */
const ALREADY_ENCODED = /^[A-Za-z0-9\-_.!~*'()/]*$/;

/**
 * What a handler gets: the request's typed parts, the caller, and authorization helpers that
 * apply this operation's `x-hangar-access` from the contract (resolve, then 404 if not visible,
 * then 403 if not allowed — docs/architecture.md#authorization-order).
 */
export class OperationContext<K extends OperationId> {
  readonly services: Services;
  readonly access: Access;
  readonly #req: Request;
  readonly #caller: Caller | undefined;

  constructor(services: Services, access: Access, req: Request, caller: Caller | undefined) {
    this.services = services;
    this.access = access;
    this.#req = req;
    this.#caller = caller;
  }

  get params(): PathParams<K> {
    return this.#req.params as PathParams<K>;
  }

  get query(): QueryParams<K> {
    return this.#req.query as QueryParams<K>;
  }

  get body(): RequestBody<K> {
    return this.#req.body as RequestBody<K>;
  }

  /**
   * What a list's cursors are bound to: the request path, so a cursor only pages its own list;
   * in one spelling (each segment percent-decoded, then encoded as encodeURIComponent does), so
   * `/v1/orgs/%61cme/tokens`, which routing answers as acme's list, takes acme's cursors (RFC 3986
   * section 6.2.2.2: the spellings are equivalent). Routing refuses a path parameter that does
   * not decode (400) before any handler runs; were one to get here, the path is taken as sent.
   */
  get listKey(): string {
    const path = this.#req.path;
    // Already in that spelling (no `%`, nothing encodeURIComponent escapes): every list request
    // asks, and the split, decode and encode below cost about 1 us where this test costs 0.05.
    if (ALREADY_ENCODED.test(path)) return path;
    try {
      return path
        .split('/')
        .map((segment) => encodeURIComponent(decodeURIComponent(segment)))
        .join('/');
    } catch {
      return path;
    }
  }

  /**
   * Where this request came from, for audit events: its request id, the client's address and
   * user agent, and the caller (or `actor` instead, for createSession, which has no caller).
   */
  origin(actor?: EventOrigin['actor']): EventOrigin {
    return requestOrigin(
      this.#req,
      actor ?? { tokenId: this.caller.token.id, email: this.caller.user.email },
    );
  }

  /** Sets a header of this request's answer. */
  setHeader(name: string, value: string): void {
    this.#req.res?.setHeader(name, value);
  }

  /**
   * Marks this answer as carrying a token secret: `Cache-Control: no-store` (RFC 6749 section
   * 5.1), as its Idempotency-Key replay does (idempotency.ts).
   */
  carriesSecret(): void {
    this.setHeader('Cache-Control', SECRET_CACHE_CONTROL);
  }

  /** Records an audit event made by this request (call inside the change's transaction). */
  recordEvent(event: EventInput): string {
    return recordEvent(this.services, this.origin(), event);
  }

  /** The authenticated caller; every operation but createSession has one. */
  get caller(): Caller {
    if (!this.#caller) throw new Error('operation has no authenticated caller');
    return this.#caller;
  }

  /** Level `none`: the token's actions must allow this operation's action. */
  authorizeCaller(): Caller {
    requireAccess(this.caller, this.access, { level: 'none' });
    return this.caller;
  }

  /** The org with `slug`, visible to the caller and allowed at org level. */
  authorizeOrg(slug: string): VisibleOrg {
    const org = visibleOrg(this.services, this.caller, slug);
    requireAccess(this.caller, this.access, { level: 'org', org });
    return org;
  }

  /**
   * The app named `name`, visible to the caller and allowed at this operation's level (`app`,
   * or `org` for operations on the whole org such as deleteApp).
   */
  authorizeApp(name: string): VisibleApp {
    const app = visibleApp(this.services, this.caller, name);
    const org = { id: app.org_id, slug: app.org_slug };
    if (this.access.level === 'org') requireAccess(this.caller, this.access, { level: 'org', org });
    else requireAccess(this.caller, this.access, { level: 'app', org, app });
    return app;
  }

  /** The token with `id`, visible to the caller and allowed on its owner (org, app or user). */
  authorizeToken(id: string): TokensTable {
    const { db } = this.services;
    const token = db.first(db.q.selectFrom('tokens').selectAll().where('id', '=', id));
    if (!token) throw problem('not_found', `No token ${id} is visible to this token`);
    requireAccess(this.caller, this.access, tokenTarget(this.services, this.caller, token));
    return token;
  }
}

/** A handler for operation K: typed request parts in, one of K's success responses out. */
export type Handler<K extends OperationId> = (
  ctx: OperationContext<K>,
) => Reply<K> | Promise<Reply<K>>;

/** Handlers for a set of operations; `satisfies HandlerMap<'getOrg' | ...>` in each route file. */
export type HandlerMap<K extends OperationId> = { [P in K]: Handler<P> };
