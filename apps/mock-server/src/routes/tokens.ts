import { loadContract } from '@hangar/contract';
import type { components } from '@hangar/sdk';
import { scopeOf } from '@hangar/tokens';
import { type Kysely, sql } from 'kysely';
import type { Caller } from '../auth/authenticate.js';
import { requireWithin, workingUntil } from '../auth/authorize.js';
import { attenuatedFrom, caveatsFor, issueToken } from '../auth/issue.js';
import { formatOptionalTimeMs, formatTimeMs } from '../clock.js';
import type { HandlerMap, OperationContext } from '../context.js';
import type { Db } from '../db/database.js';
import type { Database, TokenKind, TokensTable } from '../db/schema.js';
import { type EventType, recordTokenEvent as recordTokenEventFor } from '../events.js';
import type { OperationId } from '../operations.js';
import { afterCursor, DEFAULT_LIMIT, decodeCursor, rowLimit, toPage } from '../pagination.js';
import { problem } from '../problems.js';
import { rotate } from './token-rotation.js';

type Token = components['schemas']['Token'];
type CreatedToken = components['schemas']['CreatedToken'];
type CreateTokenRequest = components['schemas']['CreateTokenRequest'];
type TokenStatus = components['schemas']['TokenStatus'];

/** The contract's default `expires_in` (631152000 s, 20 years of 365.25 days), in seconds. */
export const DEFAULT_EXPIRES_IN = loadContract().defaultAt(
  '#/components/schemas/CreateTokenRequest/properties/expires_in',
) as number;

/** A token row: it carries the names its API view shows (org slug, app name, creator email). */
export type TokenRow = TokensTable;

/** The columns a token's API view reads, in the order {@link viewRowOf} reads them back. */
const VIEW_COLUMNS = [
  'tokens.id',
  'tokens.name',
  'tokens.kind',
  'tokens.org_slug',
  'tokens.app_name',
  'tokens.creator_email',
  'tokens.created_at',
  'tokens.expires_at',
  'tokens.last_used_at',
  'tokens.revoked_at',
  'tokens.rotated_at',
  'tokens.replaced_by',
  'tokens.replaces',
] as const;

/** Token rows, with only the columns the API view shows (fewer values to copy per row). */
function selectTokensFrom(q: Kysely<Database>) {
  return q.selectFrom('tokens').select(VIEW_COLUMNS);
}

/** The columns a token's API view reads. */
type TokenViewRow = Pick<
  TokensTable,
  | 'id'
  | 'name'
  | 'kind'
  | 'org_slug'
  | 'app_name'
  | 'creator_email'
  | 'created_at'
  | 'expires_at'
  | 'last_used_at'
  | 'revoked_at'
  | 'rotated_at'
  | 'replaced_by'
  | 'replaces'
>;

/**
 * A list row read in raw mode (an array in {@link VIEW_COLUMNS} order) as a view row: lists read
 * raw because better-sqlite3 builds arrays far faster than objects.
 */
function viewRowOf(values: unknown[]): TokenViewRow {
  return {
    id: values[0] as string,
    name: values[1] as string,
    kind: values[2] as TokenKind,
    org_slug: values[3] as string | null,
    app_name: values[4] as string | null,
    creator_email: values[5] as string,
    created_at: values[6] as number,
    expires_at: values[7] as number,
    last_used_at: values[8] as number | null,
    revoked_at: values[9] as number | null,
    rotated_at: values[10] as number | null,
    replaced_by: values[11] as string | null,
    replaces: values[12] as string | null,
  };
}

/** One token row, by id. */
export function tokenRow(db: Db, id: string): TokenRow {
  const row = db.first(db.q.selectFrom('tokens').selectAll().where('id', '=', id));
  if (!row) throw problem('not_found', `No token ${id}`);
  return row;
}

/**
 * A token's status at `nowMs` (server clock, ms), in the contract's order (TokenStatus): revoked,
 * else rotated once its grace period is over, else expired, else active. {@link statusIs} is the
 * same rule in SQL, for the lists' `status` filter.
 */
export function tokenStatus(
  row: Pick<TokenViewRow, 'revoked_at' | 'rotated_at' | 'expires_at'>,
  nowMs: number,
): TokenStatus {
  if (row.revoked_at !== null) return 'revoked';
  if (row.rotated_at !== null && nowMs >= row.rotated_at) return 'rotated';
  return nowMs > row.expires_at ? 'expired' : 'active';
}

/**
 * `status = :status` as {@link tokenStatus} reads it at `:now` (ms), or true when `status` is
 * `all`; each param bound whole, so it works in prepared queries.
 */
function statusIs(p: { status: string; now: number }) {
  return sql<boolean>`(${p.status} = 'all' or (case
    when tokens.revoked_at is not null then 'revoked'
    when tokens.rotated_at is not null and tokens.rotated_at <= ${p.now} then 'rotated'
    when tokens.expires_at < ${p.now} then 'expired'
    else 'active' end) = ${p.status})`;
}

/** The API view of a token's metadata (never the secret); `status` is read on the server clock. */
export function tokenView(row: TokenViewRow, nowMs: number): Token {
  const status = tokenStatus(row, nowMs);
  return {
    id: row.id,
    name: row.name,
    kind: row.kind,
    org: row.org_slug,
    app: row.app_name,
    created_by: row.creator_email,
    created_at: formatTimeMs(row.created_at),
    expires_at: formatTimeMs(row.expires_at),
    last_used_at: formatOptionalTimeMs(row.last_used_at),
    revoked_at: formatOptionalTimeMs(row.revoked_at),
    rotated_at: formatOptionalTimeMs(row.rotated_at),
    replaced_by: row.replaced_by,
    replaces: row.replaces,
    status,
  };
}

interface PageParams {
  [key: string]: string | number;
  /** Rows to fetch: the page size plus one, to know whether there is a next page. */
  take: number;
  /** The `status` filter, or `all`. */
  status: string;
  /** The server clock in ms, which the status filter reads. */
  now: number;
}
type AfterParams = PageParams & { createdAt: number; id: string };

/** Newest first, on the columns every token list index ends with. */
function newestFirst<Q extends ReturnType<typeof selectTokensFrom>>(query: Q, take: number) {
  return query
    .orderBy('tokens.created_at', 'desc')
    .orderBy('tokens.id', 'desc')
    .limit(rowLimit(take));
}

// An org's org and read-only tokens: one range scan of the partial index tokens_org_list. The
// kind predicate is literal, not bound: it must match the index's for SQLite to use it.
export const orgTokensFirst = (q: Kysely<Database>, p: PageParams & { orgId: string }) =>
  newestFirst(
    selectTokensFrom(q)
      .where('tokens.org_id', '=', p.orgId)
      .where(sql<boolean>`tokens.kind in ('org', 'readonly')`)
      .where(statusIs(p)),
    p.take,
  );
export const orgTokensAfter = (q: Kysely<Database>, p: AfterParams & { orgId: string }) =>
  orgTokensFirst(q, p).where(afterCursor('tokens', 'desc', p));

// An app's deploy tokens: the partial index tokens_app_list.
export const appTokensFirst = (q: Kysely<Database>, p: PageParams & { appId: string }) =>
  newestFirst(
    selectTokensFrom(q)
      .where('tokens.app_id', '=', p.appId)
      .where(sql<boolean>`tokens.kind = 'deploy'`)
      .where(statusIs(p)),
    p.take,
  );
export const appTokensAfter = (q: Kysely<Database>, p: AfterParams & { appId: string }) =>
  appTokensFirst(q, p).where(afterCursor('tokens', 'desc', p));

// A user's personal tokens: the partial index tokens_personal_list.
export const personalTokensFirst = (q: Kysely<Database>, p: PageParams & { userId: string }) =>
  newestFirst(
    selectTokensFrom(q)
      .where('tokens.created_by', '=', p.userId)
      .where(sql<boolean>`tokens.kind = 'personal'`)
      .where(statusIs(p)),
    p.take,
  );
export const personalTokensAfter = (q: Kysely<Database>, p: AfterParams & { userId: string }) =>
  personalTokensFirst(q, p).where(afterCursor('tokens', 'desc', p));

/** One page of a token list, newest first, through the prepared queries above. */
function tokenPage<K extends 'listOrgTokens' | 'listAppTokens' | 'listPersonalTokens'>(
  ctx: OperationContext<K>,
  owner: { orgId: string } | { appId: string } | { userId: string },
) {
  const { db, clock } = ctx.services;
  const query = ctx.query as { limit?: number; cursor?: string; status?: TokenStatus };
  const limit = query.limit ?? DEFAULT_LIMIT;
  const now = clock.nowMs();
  const params = { take: limit + 1, status: query.status ?? 'all', now };
  let raw: unknown[][];
  if (query.cursor === undefined) {
    raw =
      'orgId' in owner
        ? db.allRawWith(orgTokensFirst, { ...params, orgId: owner.orgId })
        : 'appId' in owner
          ? db.allRawWith(appTokensFirst, { ...params, appId: owner.appId })
          : db.allRawWith(personalTokensFirst, { ...params, userId: owner.userId });
  } else {
    const after = { ...params, ...decodeCursor(query.cursor, ctx.listKey) };
    raw =
      'orgId' in owner
        ? db.allRawWith(orgTokensAfter, { ...after, orgId: owner.orgId })
        : 'appId' in owner
          ? db.allRawWith(appTokensAfter, { ...after, appId: owner.appId })
          : db.allRawWith(personalTokensAfter, { ...after, userId: owner.userId });
  }
  const rows = raw.map(viewRowOf);
  return {
    status: 200 as const,
    body: toPage(rows, limit, (row) => tokenView(row, now), ctx.listKey),
  };
}

type CreateOperation = 'createOrgToken' | 'createReadonlyToken' | 'createDeployToken';

/**
 * Mints a token of `kind` for the caller, under the minting rule: its scope and lifetime must be
 * within the caller's (403 `exceeds_token_scope` / `exceeds_token_lifetime`). When `expires_in`
 * is left out, the default lifetime is shortened to the caller's own expiry instead of refused;
 * an explicit lifetime past it is refused, since the caller asked for exactly that.
 */
function createToken<K extends CreateOperation>(
  ctx: OperationContext<K>,
  kind: TokenKind,
  target: { orgId: string; appId: string | null },
  defaultName: string,
): { status: 201; body: CreatedToken } {
  const { caller } = ctx;
  const { clock } = ctx.services;
  const body: CreateTokenRequest = ctx.body ?? {};
  const nowMs = clock.nowMs();
  const nowSeconds = Math.floor(nowMs / 1000);
  let notAfter = nowSeconds + (body.expires_in ?? DEFAULT_EXPIRES_IN);
  const until = workingUntil(caller);
  if (body.expires_in === undefined && until !== null) {
    notAfter = Math.min(notAfter, until);
  }
  requireWithin(caller, scopeOf(caveatsFor(kind, target.orgId, target.appId, notAfter)));
  const { row, secret } = ctx.services.db.transaction(() => {
    const issued = issueToken(ctx.services, {
      kind,
      name: body.name ?? defaultName,
      userId: caller.user.id,
      orgId: target.orgId,
      appId: target.appId,
      notAfter,
      parentId: caller.token.id,
      createdAtMs: nowMs,
    });
    recordTokenEvent(ctx, 'token.created', issued.row);
    return issued;
  });
  ctx.carriesSecret();
  return {
    status: 201,
    body: { ...tokenView(row, nowMs), token: secret },
  };
}

/** Records `type` about the token of `row`, made by this request (events.ts recordTokenEvent). */
export function recordTokenEvent<K extends OperationId>(
  ctx: OperationContext<K>,
  type: EventType,
  row: TokenRow,
) {
  recordTokenEventFor(ctx.services, ctx.origin(), type, row);
}

/** Revokes the token of `row` (it and every token attenuated from it die at once). */
function revoke<K extends 'revokeToken' | 'revokeCurrentToken'>(
  ctx: OperationContext<K>,
  row: TokenRow,
) {
  const { db, clock } = ctx.services;
  const { id } = row;
  if (row.revoked_at !== null) {
    throw problem(
      'token_already_revoked',
      `Token ${id} was already revoked at ${formatTimeMs(row.revoked_at)}`,
    );
  }
  const now = clock.nowMs();
  db.transaction(() => {
    db.run(db.q.updateTable('tokens').set({ revoked_at: now }).where('id', '=', id));
    recordTokenEvent(ctx, 'token.revoked', row);
  });
  return { status: 200 as const, body: tokenView({ ...row, revoked_at: now }, now) };
}

/**
 * Refuses an attenuated caller revoking or rotating its own identifier, by either route (`DELETE
 * /v1/viewer/token` or `DELETE /v1/tokens/{its id}`; `POST /v1/viewer/token/rotate` or `POST
 * /v1/tokens/{its id}/rotate`). Both go by identifier, which attenuation keeps: a token narrowed
 * offline revoking or rotating itself would end the wider token it came from (and every sibling).
 * Only the token as minted may; an attenuated one carries more caveats than its kind is minted
 * with.
 * @throws ProblemError 403 `forbidden` naming the parent token.
 */
export function refuseActingOnParent(
  caller: Caller,
  row: TokenRow,
  verb: 'revoke' | 'rotate',
): void {
  if (row.id !== caller.token.id) return;
  if (attenuatedFrom(caller.caveats, row)) {
    const ending = verb === 'revoke' ? 'revoking it would also revoke' : 'rotating it would end';
    throw problem(
      'forbidden',
      `This token was attenuated from ${row.id}; ${ending} ${row.id} and every token attenuated from it. ${verb === 'revoke' ? 'Revoke' : 'Rotate'} ${row.id} by id with a token allowed to, or let this one expire.`,
    );
  }
}

/**
 * Tokens: create (org, read-only, deploy), list (per org: org + read-only kinds; per app: deploy
 * tokens; the caller's personal tokens; newest first, revoked, expired and rotated included,
 * `status` filters), get, revoke, rotate (token-rotation.ts), and both for the current token.
 */
export const tokenHandlers = {
  createOrgToken(ctx) {
    const org = ctx.authorizeOrg(ctx.params.org);
    return createToken(ctx, 'org', { orgId: org.id, appId: null }, 'Org deploy token');
  },

  createReadonlyToken(ctx) {
    const org = ctx.authorizeOrg(ctx.params.org);
    return createToken(ctx, 'readonly', { orgId: org.id, appId: null }, 'Read-only org token');
  },

  createDeployToken(ctx) {
    const app = ctx.authorizeApp(ctx.params.app);
    return createToken(ctx, 'deploy', { orgId: app.org_id, appId: app.id }, 'Deploy token');
  },

  listOrgTokens(ctx) {
    const org = ctx.authorizeOrg(ctx.params.org);
    return tokenPage(ctx, { orgId: org.id });
  },

  listAppTokens(ctx) {
    const app = ctx.authorizeApp(ctx.params.app);
    return tokenPage(ctx, { appId: app.id });
  },

  listPersonalTokens(ctx) {
    const caller = ctx.authorizeCaller();
    // Personal tokens belong to the user: only a token not limited to an org or apps sees them,
    // as tokenTarget (auth/authorize.ts) decides for getToken; others get the same 404.
    if (caller.scope.org !== null || caller.scope.apps !== null) {
      throw problem(
        'not_found',
        'Personal tokens are visible only to a token not limited to an organization or apps (log in with "hangar auth login" to use a personal token)',
      );
    }
    return tokenPage(ctx, { userId: caller.user.id });
  },

  getToken(ctx) {
    const token = ctx.authorizeToken(ctx.params.token_id);
    const now = ctx.services.clock.nowMs();
    return { status: 200, body: tokenView(token, now) };
  },

  revokeToken(ctx) {
    const row = ctx.authorizeToken(ctx.params.token_id);
    refuseActingOnParent(ctx.caller, row, 'revoke');
    return revoke(ctx, row);
  },

  revokeCurrentToken(ctx) {
    const caller = ctx.authorizeCaller();
    const row = tokenRow(ctx.services.db, caller.token.id);
    refuseActingOnParent(caller, row, 'revoke');
    return revoke(ctx, row);
  },

  rotateToken(ctx) {
    const row = ctx.authorizeToken(ctx.params.token_id);
    refuseActingOnParent(ctx.caller, row, 'rotate');
    return rotate(ctx, row);
  },

  rotateCurrentToken(ctx) {
    const caller = ctx.authorizeCaller();
    const row = tokenRow(ctx.services.db, caller.token.id);
    refuseActingOnParent(caller, row, 'rotate');
    return rotate(ctx, row);
  },
} satisfies HandlerMap<
  | 'createOrgToken'
  | 'createReadonlyToken'
  | 'createDeployToken'
  | 'listOrgTokens'
  | 'listAppTokens'
  | 'getToken'
  | 'revokeToken'
  | 'revokeCurrentToken'
  | 'listPersonalTokens'
  | 'rotateToken'
  | 'rotateCurrentToken'
>;
