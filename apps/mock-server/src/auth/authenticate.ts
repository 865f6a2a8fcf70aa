import { authenticate, type Caveat, deriveRootKey, type Scope } from '@hangar/tokens';
import { formatTime } from '../clock.js';
import type { TokensTable } from '../db/schema.js';
import { problem } from '../problems.js';
import type { Services } from '../services.js';

/** The authenticated caller of a request: the token's row, its user and its effective scope. */
export interface Caller {
  token: TokensTable;
  user: { id: string; email: string };
  scope: Scope;
  caveats: Caveat[];
}

/** `last_used_at` is written at most once per token per this many milliseconds. */
const LAST_USED_RESOLUTION_MS = 60_000;

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
  const result = authenticate(header, (id) => deriveRootKey(masterKey, id), now);
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
  const found = db.first(
    db.q
      .selectFrom('tokens')
      .innerJoin('users', 'users.id', 'tokens.created_by')
      .selectAll('tokens')
      .select('users.email as user_email')
      .where('tokens.id', '=', result.identifier),
  );
  if (!found) throw problem('token_invalid', 'The token is not known to this server');
  const { user_email, ...token } = found;
  if (token.revoked_at !== null) {
    throw problem('token_revoked', `The token was revoked at ${formatTime(token.revoked_at)}`);
  }
  const nowMs = now.getTime();
  if (token.last_used_at === null || nowMs - token.last_used_at >= LAST_USED_RESOLUTION_MS) {
    db.run(db.q.updateTable('tokens').set({ last_used_at: nowMs }).where('id', '=', token.id));
    token.last_used_at = nowMs;
  }
  return {
    token,
    user: { id: token.created_by, email: user_email },
    scope: result.scope,
    caveats: result.caveats,
  };
}
