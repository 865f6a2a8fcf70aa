import {
  type AuthenticateResult,
  authenticate,
  type Caveat,
  deriveRootKey,
  type Scope,
} from '@hangar/tokens';
import type { Kysely } from 'kysely';
import { formatTime } from '../clock.js';
import type { Database, TokensTable } from '../db/schema.js';
import { problem } from '../problems.js';
import type { Services } from '../services.js';

/** The authenticated caller of a request: the token's id, its user and its effective scope. */
export interface Caller {
  token: { id: string };
  user: { id: string; email: string };
  scope: Scope;
  caveats: Caveat[];
  /**
   * Server-clock milliseconds (exclusive) until which this same answer holds for this token if
   * no database row changes: its expiry, or when its last use is next due to be written,
   * whichever comes first. What lets a repeated read be answered from the response cache.
   */
  unchangedUntilMs: number;
}

/**
 * What a request needs of its token's row (prepared once, read raw: every request runs it):
 * revocation, the last-use time, the creator. Not the whole row: each column costs a value
 * conversion per request.
 */
const callerRowById = (q: Kysely<Database>, p: { id: string }) =>
  q
    .selectFrom('tokens')
    .select(['revoked_at', 'last_used_at', 'created_by', 'creator_email'])
    .where('id', '=', p.id);

/** Tokens whose signature and caveats checked out, per master key, by Authorization header. */
const verifiedCache = new WeakMap<Uint8Array, Map<string, Verified>>();
const VERIFIED_CACHE_SIZE = 10_000;
/** Longer headers are verified every time: 10,000 keys of at most 4 KiB stay under 40 MiB. */
const VERIFIED_HEADER_MAX = 4096;

type Verified = Extract<AuthenticateResult, { ok: true }>;

/**
 * `authenticate` from @hangar/tokens, remembering successes: a given token string always has the
 * same signature verdict and caveats, so only its expiry (and, in the caller, revocation) must be
 * checked again on each request. Saves the HMAC chain on every repeated request.
 */
function verifiedToken(masterKey: Uint8Array, header: string, now: Date): AuthenticateResult {
  let cache = verifiedCache.get(masterKey);
  if (!cache) {
    cache = new Map();
    verifiedCache.set(masterKey, cache);
  }
  const hit = cache.get(header);
  if (hit) {
    const { notAfter } = hit.scope;
    if (notAfter === null || now.getTime() <= notAfter * 1000) return hit;
    cache.delete(header);
    return authenticate(header, (id) => deriveRootKey(masterKey, id), now);
  }
  const result = authenticate(header, (id) => deriveRootKey(masterKey, id), now);
  if (result.ok && header.length <= VERIFIED_HEADER_MAX) {
    if (cache.size >= VERIFIED_CACHE_SIZE) cache.delete(cache.keys().next().value as string);
    cache.set(header, result);
  }
  return result;
}

/** `last_used_at` is written at most once per token per this many milliseconds. */
const LAST_USED_RESOLUTION_MS = 60_000;

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
 * Step 1 of the authorization order (PLAN.md "Server authorization order"): the token in the
 * Authorization header, checked for format, signature, caveat grammar and expiry (on the server
 * clock), then revocation by identifier — so a revoked token and everything attenuated from it
 * is refused on the very next request.
 * @throws ProblemError 401 `unauthenticated`, `token_malformed`, `token_invalid`,
 *   `token_expired` or `token_revoked`.
 */
export function authenticateRequest(services: Services, header: string | undefined): Caller {
  const { db, clock, masterKey } = services;
  if (header === undefined || header.replace(/^\s*bearer\b/i, '').trim() === '') {
    throw problem('unauthenticated', 'Send a token: Authorization: Bearer hangar_...');
  }
  const now = clock.now();
  const result = verifiedToken(masterKey, header, now);
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
  const [revokedAt, lastUsedAt, createdBy, creatorEmail] = row as [
    TokensTable['revoked_at'],
    TokensTable['last_used_at'],
    TokensTable['created_by'],
    TokensTable['creator_email'],
  ];
  if (revokedAt !== null) {
    throw problem('token_revoked', `The token was revoked at ${formatTime(revokedAt)}`);
  }
  const nowMs = now.getTime();
  // When the next last-use write is due (server-clock ms); now, while a write fails.
  let lastUseDueMs = lastUsedAt === null ? nowMs : lastUsedAt + LAST_USED_RESOLUTION_MS;
  if (lastUseDueMs <= nowMs && recordLastUse(services, id, nowMs)) {
    lastUseDueMs = nowMs + LAST_USED_RESOLUTION_MS;
  }
  const { notAfter } = result.scope;
  // Valid while now <= notAfter (in ms), as @hangar/tokens checks expiry.
  const expiresAfterMs = notAfter === null ? Number.POSITIVE_INFINITY : notAfter * 1000 + 1;
  return {
    token: { id },
    user: { id: createdBy, email: creatorEmail },
    scope: result.scope,
    caveats: result.caveats,
    unchangedUntilMs: Math.min(expiresAfterMs, lastUseDueMs),
  };
}
