import type { components } from '@hangar/sdk';
import { scopeOf } from '@hangar/tokens';
import { sql } from 'kysely';
import { requireWithin } from '../auth/authorize.js';
import { caveatsFor, issueToken } from '../auth/issue.js';
import { formatOptionalTime, formatTime } from '../clock.js';
import type { HandlerMap, OperationContext } from '../context.js';
import type { Db } from '../db/database.js';
import type { TokenKind, TokensTable } from '../db/schema.js';
import { afterCursor, DEFAULT_LIMIT, decodeCursor, toPage } from '../pagination.js';
import { problem } from '../problems.js';
import type { Services } from '../services.js';

type Token = components['schemas']['Token'];
type CreatedToken = components['schemas']['CreatedToken'];
type CreateTokenRequest = components['schemas']['CreateTokenRequest'];

/** The contract's default `expires_in`: 20 years of 365.25 days, in seconds. */
export const DEFAULT_EXPIRES_IN = 631_152_000;

/**
 * Lifetimes that mean "the default" when sent explicitly: the contract's, and flyctl's default
 * `-x 175200h0m0s` (20 years of 365 days = 630,720,000 s), which CLIs send when the user gave no
 * expiry. These are shortened to the creator's expiry rather than refused.
 */
const DEFAULT_LIFETIMES: ReadonlySet<number> = new Set([DEFAULT_EXPIRES_IN, 630_720_000]);

/** A token row with the names its API view shows. */
export type TokenRow = TokensTable & {
  org_slug: string | null;
  app_name: string | null;
  creator_email: string;
};

/** Token rows joined with their org slug, app name and creator email. */
export function selectTokens(db: Db) {
  return db.q
    .selectFrom('tokens')
    .innerJoin('users', 'users.id', 'tokens.created_by')
    .leftJoin('orgs', 'orgs.id', 'tokens.org_id')
    .leftJoin('apps', 'apps.id', 'tokens.app_id')
    .selectAll('tokens')
    .select(['orgs.slug as org_slug', 'apps.name as app_name', 'users.email as creator_email']);
}

/** One token row with its names, by id. */
export function tokenRow(db: Db, id: string): TokenRow {
  const row = db.first(selectTokens(db).where('tokens.id', '=', id));
  if (!row) throw problem('not_found', `No token ${id}`);
  return row;
}

/** The API view of a token's metadata (never the secret); `status` is read on the server clock. */
export function tokenView(row: TokenRow, nowMs: number): Token {
  const status =
    row.revoked_at !== null ? 'revoked' : nowMs > row.expires_at ? 'expired' : 'active';
  return {
    id: row.id,
    name: row.name,
    kind: row.kind,
    org: row.org_slug,
    app: row.app_name,
    created_by: row.creator_email,
    created_at: formatTime(row.created_at),
    expires_at: formatTime(row.expires_at),
    last_used_at: formatOptionalTime(row.last_used_at),
    revoked_at: formatOptionalTime(row.revoked_at),
    status,
  };
}

/**
 * One page (plus one row, to know if there is more) of an org's org and read-only tokens, newest
 * first: one range scan of the partial index tokens_org_list.
 */
export function orgTokensPage(db: Db, orgId: string, limit: number, cursor: string | undefined) {
  const query = selectTokens(db)
    .where('tokens.org_id', '=', orgId)
    // Literal, not bound: it must match the partial index's predicate for SQLite to use it.
    .where(sql<boolean>`tokens.kind in ('org', 'readonly')`)
    .orderBy('tokens.created_at', 'desc')
    .orderBy('tokens.id', 'desc')
    .limit(limit + 1);
  return cursor ? query.where(afterCursor('tokens', 'desc', decodeCursor(cursor))) : query;
}

/** One page (plus one row) of an app's deploy tokens, newest first (partial index tokens_app_list). */
export function appTokensPage(db: Db, appId: string, limit: number, cursor: string | undefined) {
  const query = selectTokens(db)
    .where('tokens.app_id', '=', appId)
    .where(sql<boolean>`tokens.kind = 'deploy'`)
    .orderBy('tokens.created_at', 'desc')
    .orderBy('tokens.id', 'desc')
    .limit(limit + 1);
  return cursor ? query.where(afterCursor('tokens', 'desc', decodeCursor(cursor))) : query;
}

type CreateOperation = 'createOrgToken' | 'createReadonlyToken' | 'createDeployToken';

/**
 * Mints a token of `kind` for the caller, under the minting rule: its scope and lifetime must be
 * within the caller's (403 `exceeds_token_scope` / `exceeds_token_lifetime`). The default
 * lifetime (omitted, or sent explicitly: see DEFAULT_LIFETIMES) is shortened to the caller's own
 * expiry instead of refused; any other lifetime past it is refused.
 */
function createToken<K extends CreateOperation>(
  ctx: OperationContext<K>,
  kind: TokenKind,
  target: { orgId: string; appId: string | null },
  defaultName: string,
): { status: 201; body: CreatedToken } {
  const { caller } = ctx;
  const { db, clock } = ctx.services;
  const body: CreateTokenRequest = ctx.body ?? {};
  const nowSeconds = Math.floor(clock.nowMs() / 1000);
  const expiresIn = body.expires_in ?? DEFAULT_EXPIRES_IN;
  let notAfter = nowSeconds + expiresIn;
  if (DEFAULT_LIFETIMES.has(expiresIn) && caller.scope.notAfter !== null) {
    notAfter = Math.min(notAfter, caller.scope.notAfter);
  }
  requireWithin(caller, scopeOf(caveatsFor(kind, target.orgId, target.appId, notAfter)));
  const { row, secret } = issueToken(ctx.services, {
    kind,
    name: body.name ?? defaultName,
    userId: caller.user.id,
    orgId: target.orgId,
    appId: target.appId,
    notAfter,
    parentId: caller.token.id,
  });
  return {
    status: 201,
    body: { ...tokenView(tokenRow(db, row.id), clock.nowMs()), token: secret },
  };
}

/** Revokes the token with `id` (it and every token attenuated from it die at once). */
function revoke({ db, clock }: Services, id: string) {
  const row = tokenRow(db, id);
  if (row.revoked_at !== null) {
    throw problem(
      'token_already_revoked',
      `Token ${id} was already revoked at ${formatTime(row.revoked_at)}`,
    );
  }
  const now = clock.nowMs();
  db.run(db.q.updateTable('tokens').set({ revoked_at: now }).where('id', '=', id));
  return { status: 200 as const, body: tokenView({ ...row, revoked_at: now }, now) };
}

/**
 * Tokens: create (org, read-only, deploy), list (per org: org + read-only kinds; per app: deploy
 * tokens; newest first, revoked and expired included), get, revoke, revoke the current token.
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
    const { db, clock } = ctx.services;
    const limit = ctx.query.limit ?? DEFAULT_LIMIT;
    const query = orgTokensPage(db, org.id, limit, ctx.query.cursor);
    const now = clock.nowMs();
    return { status: 200, body: toPage(db.all(query), limit, (row) => tokenView(row, now)) };
  },

  listAppTokens(ctx) {
    const app = ctx.authorizeApp(ctx.params.app);
    const { db, clock } = ctx.services;
    const limit = ctx.query.limit ?? DEFAULT_LIMIT;
    const query = appTokensPage(db, app.id, limit, ctx.query.cursor);
    const now = clock.nowMs();
    return { status: 200, body: toPage(db.all(query), limit, (row) => tokenView(row, now)) };
  },

  getToken(ctx) {
    const token = ctx.authorizeToken(ctx.params.token_id);
    const { db, clock } = ctx.services;
    return { status: 200, body: tokenView(tokenRow(db, token.id), clock.nowMs()) };
  },

  revokeToken(ctx) {
    const token = ctx.authorizeToken(ctx.params.token_id);
    return revoke(ctx.services, token.id);
  },

  revokeCurrentToken(ctx) {
    const caller = ctx.authorizeCaller();
    return revoke(ctx.services, caller.token.id);
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
>;
