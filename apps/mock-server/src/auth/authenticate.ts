import type { Caveat, CaveatScope } from '@hangar/tokens';
import type { Kysely } from 'kysely';
import { formatTimeMs } from '../clock.js';
import type { Database, TokensTable } from '../db/schema.js';
import type { EventOrigin } from '../events.js';
import { problem } from '../problems.js';
import type { Services } from '../services.js';
import { refuseRotatedToken } from './rotation.js';
import { useRecordDue } from './use-window.js';

/** The authenticated caller of a request: the token's id, its user and its effective scope. */
export interface Caller {
  token: { id: string };
  user: { id: string; email: string };
  scope: CaveatScope;
  caveats: Caveat[];
  /**
   * When a rotated token stops working (its rotation time plus its grace period, ms on the
   * server clock), or null when the token is not rotated: its children are capped there as at
   * its expiry (authorize.ts workingUntil).
   */
  rotatedAtMs: number | null;
  /**
   * Set only when the token is revoked or rotated away but the request may be the retry of the
   * very request that did it (`mayReplay`): the request may then only replay that stored answer
   * (idempotency.ts); anything else calls this, which throws the 401 authentication deferred.
   */
  replayOnly?: () => never;
}

/**
 * What a request needs of its token's row (prepared once, read raw: every request runs it):
 * revocation, the last-use time, the creator. Not the whole row: each column costs a value
 * conversion per request.
 */
const callerRowById = (q: Kysely<Database>, p: { id: string }) =>
  q
    .selectFrom('tokens')
    .select([
      'revoked_at',
      'last_used_at',
      'created_by',
      'creator_email',
      'rotated_at',
      'replaced_by',
    ])
    .where('id', '=', p.id);

/** Databases whose last failed last-use write was logged (until one succeeds again). */
const lastUseFailing = new WeakSet<object>();

/**
 * Writes `last_used_at`, best effort: it is bookkeeping, and a request must not fail because it
 * could not be written (disk full, read-only file). A failure is logged once, as a warning, until
 * a write succeeds again (logged too); a failing write is simply tried again on the next request.
 * @returns whether the write succeeded.
 */
function recordLastUse({ db, logger }: Services, id: string, nowMs: number): boolean {
  try {
    db.run(db.q.updateTable('tokens').set({ last_used_at: nowMs }).where('id', '=', id));
  } catch (error) {
    if (!lastUseFailing.has(db)) {
      lastUseFailing.add(db);
      logger.warn(
        { err: error },
        'cannot record when tokens were last used (requests still work; last_used_at goes stale)',
      );
    }
    return false;
  }
  if (lastUseFailing.delete(db)) logger.info('recording when tokens were last used again');
  return true;
}

/**
 * Step 1 of the authorization order (docs/architecture.md#authorization-order): the token in the
 * Authorization header, checked for format, signature, caveat grammar and expiry (on the server
 * clock), then revocation by identifier — so a revoked token and everything attenuated from it
 * is refused on the very next request — then rotation: a rotated-away token past its grace
 * period is refused (rotation.ts), except as `replayOnly` for the retry of the request that
 * revoked or rotated it (`options.mayReplay`). `options.recordUse: false` leaves
 * `last_used_at` alone.
 * @throws ProblemError 401 `unauthenticated`, `token_malformed`, `token_invalid`,
 *   `token_expired`, `token_revoked` or `token_rotated`.
 */
export function authenticateRequest(
  services: Services,
  header: string | undefined,
  options: {
    recordUse?: boolean;
    /** The request, for the audit event of a rotated-away token's use (auth/rotation.ts). */
    source?: () => Omit<EventOrigin, 'actor'>;
    /**
     * Whether this request may be the retry of the request by which this token (not one
     * attenuated from it: `caveats` as presented) revoked or rotated itself; then a token
     * refused as revoked or rotated passes as {@link Caller.replayOnly}.
     */
    mayReplay?: (token: { id: string; caveats: readonly Caveat[] }) => boolean;
  } = {},
): Caller {
  const { db, clock, caches } = services;
  if (header === undefined || header.replace(/^\s*bearer\b/i, '').trim() === '') {
    throw problem('unauthenticated', 'Send a token: Authorization: Bearer hangar_...');
  }
  const now = clock.now();
  // Signature and caveats: remembered per token string (caches.ts); expiry checked every time.
  const result = caches.verifiedTokens.authenticate(header, now);
  if (!result.ok) {
    switch (result.reason) {
      case 'malformed':
        throw problem('token_malformed', `The token is malformed: ${result.detail}`);
      case 'expired':
        throw problem('token_expired', `The token has expired: ${result.detail}`);
      default:
        throw problem('token_invalid', `The token is not valid: ${result.detail}`);
    }
  }
  const id = result.identifier;
  const row = db.firstRawWith(callerRowById, { id });
  if (!row) throw problem('token_invalid', 'The token is not known to this server');
  const [revokedAt, lastUsedAt, createdBy, creatorEmail, rotatedAt, replacedBy] = row as [
    TokensTable['revoked_at'],
    TokensTable['last_used_at'],
    TokensTable['created_by'],
    TokensTable['creator_email'],
    TokensTable['rotated_at'],
    TokensTable['replaced_by'],
  ];
  const nowMs = now.getTime();
  let refusal: (() => never) | undefined;
  if (revokedAt !== null) {
    refusal = () => {
      throw problem('token_revoked', `The token was revoked at ${formatTimeMs(revokedAt)}`);
    };
  } else if (rotatedAt !== null && nowMs >= rotatedAt) {
    const rotated = { id, rotatedAtMs: rotatedAt, replacedBy };
    refusal = () => refuseRotatedToken(services, rotated, options.source?.());
  }
  const caller: Caller = {
    token: { id },
    user: { id: createdBy, email: creatorEmail },
    scope: result.scope,
    caveats: result.caveats,
    rotatedAtMs: rotatedAt,
  };
  if (refusal) {
    if (!options.mayReplay?.({ id, caveats: result.caveats })) refusal();
    // Not a use: it either replays an answer already given or is refused.
    return { ...caller, replayOnly: refusal };
  }
  // checkAccess passes recordUse: false: asking what a token may do is not using it.
  const recordUse = options.recordUse ?? true;
  if (recordUse && useRecordDue(lastUsedAt, nowMs)) {
    recordLastUse(services, id, nowMs);
  }
  return caller;
}
