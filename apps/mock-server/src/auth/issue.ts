import {
  ACTIONS,
  type Action,
  type Caveat,
  deriveRootKey,
  MAX_NOT_AFTER,
  mint,
  newIdentifier,
} from '@hangar/tokens';
import type { TokenKind, TokensTable } from '../db/schema.js';
import type { Services } from '../services.js';

/** Lifetime of personal tokens (sessions, seed): 30 years, so they can mint flyctl's 20-year default. */
export const PERSONAL_TOKEN_SECONDS = 946_728_000;

export interface IssueOptions {
  kind: TokenKind;
  name: string;
  userId: string;
  orgId: string | null;
  appId: string | null;
  /** Unix seconds: the not-after caveat and the row's expires_at. */
  notAfter: number;
  parentId?: string | null;
  /** The id of the token this one replaces by rotation. */
  replaces?: string;
  /** Reuse an identifier (the start-up dev token survives `POST /_admin/reset`). */
  identifier?: string;
  /** Narrower actions (a trust policy's grant): an `actions` caveat after the kind's own. */
  actions?: readonly Action[] | null;
  /**
   * The row's created_at, ms of the server clock: the reading `notAfter` was computed from, so a
   * second boundary between two readings cannot shorten the lifetime. Default: the clock now.
   */
  createdAtMs?: number;
}

/** The narrower actions a token row was minted with (its `actions` column), or null. */
export function rowActions(row: Pick<TokensTable, 'actions'>): Action[] | null {
  return row.actions === null ? null : (JSON.parse(row.actions) as Action[]);
}

/**
 * The caveats a kind of token is minted with (docs/architecture.md#kinds-as-minted):
 * personal none; org `[org]`; readonly `[org, actions=read]`; deploy `[org, apps={app: all}]`;
 * every kind also gets `not-after`. `actions` (a trust policy's narrower grant) adds an
 * `actions` caveat before `not-after`.
 */
export function caveatsFor(
  kind: TokenKind,
  orgId: string | null,
  appId: string | null,
  notAfter: number,
  actions?: readonly Action[] | null,
): Caveat[] {
  const caveats: Caveat[] = [];
  if (kind !== 'personal' && orgId) caveats.push({ type: 'org', org: orgId });
  if (kind === 'readonly') caveats.push({ type: 'actions', actions: ['read'] });
  if (kind === 'deploy' && appId) caveats.push({ type: 'apps', apps: { [appId]: [...ACTIONS] } });
  if (actions) caveats.push({ type: 'actions', actions: [...actions] });
  caveats.push({ type: 'not-after', notAfter });
  return caveats;
}

/**
 * Whether a token presenting `caveats` was attenuated from `row`'s token (they share its
 * identifier): it carries more caveats than the server minted on that token (caveatsFor).
 */
export function attenuatedFrom(
  caveats: readonly Caveat[],
  row: Pick<TokensTable, 'kind' | 'org_id' | 'app_id' | 'actions'>,
): boolean {
  return caveats.length > caveatsFor(row.kind, row.org_id, row.app_id, 0, rowActions(row)).length;
}

/**
 * The token string of an existing row, minted again: same identifier, same caveats, hence the
 * same string (macaroon signatures are deterministic given the master key). Nothing is written.
 */
export function remintToken(masterKey: Uint8Array, row: TokensTable): string {
  return mint({
    rootKey: deriveRootKey(masterKey, row.id),
    identifier: row.id,
    caveats: caveatsFor(
      row.kind,
      row.org_id,
      row.app_id,
      Math.floor(row.expires_at / 1000),
      rowActions(row),
    ),
  });
}

/**
 * Mints a token and records its metadata row (never the secret). Call inside a transaction
 * when other writes must land with it.
 * @returns the row and the token string, which exists only in this return value.
 */
export function issueToken(
  services: Services,
  options: IssueOptions,
): { row: TokensTable; secret: string } {
  const { db, clock, masterKey } = services;
  const identifier = options.identifier ?? newIdentifier();
  const secret = mint({
    rootKey: deriveRootKey(masterKey, identifier),
    identifier,
    caveats: caveatsFor(
      options.kind,
      options.orgId,
      options.appId,
      options.notAfter,
      options.actions,
    ),
  });
  const name = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`issueToken: no ${what}`);
    return value;
  };
  const row: TokensTable = {
    id: identifier,
    name: options.name,
    kind: options.kind,
    org_id: options.orgId,
    app_id: options.appId,
    created_by: options.userId,
    created_at: options.createdAtMs ?? clock.nowMs(),
    expires_at: options.notAfter * 1000,
    last_used_at: null,
    revoked_at: null,
    parent_id: options.parentId ?? null,
    org_slug: options.orgId
      ? name(
          db.first(db.q.selectFrom('orgs').select('slug').where('id', '=', options.orgId))?.slug,
          'org',
        )
      : null,
    app_name: options.appId
      ? name(
          db.first(db.q.selectFrom('apps').select('name').where('id', '=', options.appId))?.name,
          'app',
        )
      : null,
    rotated_at: null,
    replaced_by: null,
    replaces: options.replaces ?? null,
    actions: options.actions ? JSON.stringify(options.actions) : null,
    creator_email: name(
      db.first(db.q.selectFrom('users').select('email').where('id', '=', options.userId))?.email,
      'user',
    ),
  };
  db.run(db.q.insertInto('tokens').values(row));
  return { row, secret };
}

/**
 * A personal token for `userId` (login, seed, start-up), valid {@link PERSONAL_TOKEN_SECONDS},
 * cut to 9999-12-31T23:59:59Z (`MAX_NOT_AFTER`, the last time a caveat can state) when the admin
 * clock is within 30 years of it.
 */
export function issuePersonalToken(
  services: Services,
  userId: string,
  name: string,
  identifier?: string,
): { row: TokensTable; secret: string } {
  const notAfter = Math.min(
    Math.floor(services.clock.nowMs() / 1000) + PERSONAL_TOKEN_SECONDS,
    MAX_NOT_AFTER,
  );
  return issueToken(services, {
    kind: 'personal',
    name,
    userId,
    orgId: null,
    appId: null,
    notAfter,
    ...(identifier ? { identifier } : {}),
  });
}
