import type { components } from '@hangar/sdk';
import { scopeOf } from '@hangar/tokens';
import { requireWithin, workingUntil } from '../auth/authorize.js';
import { caveatsFor, issueToken, rowActions } from '../auth/issue.js';
import { formatTimeMs } from '../clock.js';
import type { OperationContext } from '../context.js';
import { problem } from '../problems.js';
import { recordTokenEvent, type TokenRow, tokenView } from './tokens.js';

type CreatedToken = components['schemas']['CreatedToken'];
type RotateTokenRequest = components['schemas']['RotateTokenRequest'];

/**
 * Rotates the token of `row` (rotateToken, rotateCurrentToken; the caller is already authorized
 * as for revoking it): in one transaction, mints its replacement — a new identifier and secret,
 * the same kind, name, org and app, `replaces` = the old id — and marks the old token
 * `replaced_by` the new one with `rotated_at` = now + `grace_period` seconds (default 0), from
 * which authentication refuses it and everything attenuated from it (auth/rotation.ts).
 *
 * Lifetime: `expires_in` seconds, else the old token's original lifetime (`expires_at -
 * created_at`), shortened to the caller's own expiry; both under the minting rule
 * (requireWithin: an explicit lifetime past the caller's is 403 `exceeds_token_lifetime`).
 * @returns 201 with the new token and its secret (the only time it is shown).
 * @throws ProblemError 409 `token_already_revoked`, `token_already_rotated` or
 *   `token_already_expired` (past expires_at, as its status says); 403 from the
 *   minting rule.
 */
export function rotate<K extends 'rotateToken' | 'rotateCurrentToken'>(
  ctx: OperationContext<K>,
  row: TokenRow,
): { status: 201; body: CreatedToken } {
  const { caller, services } = ctx;
  const { db, clock } = services;
  if (row.revoked_at !== null) {
    throw problem(
      'token_already_revoked',
      `Token ${row.id} was revoked at ${formatTimeMs(row.revoked_at)}; a revoked token cannot be rotated`,
    );
  }
  if (row.replaced_by !== null) {
    throw problem(
      'token_already_rotated',
      `Token ${row.id} was already rotated; it was replaced by ${row.replaced_by} (rotate that one instead)`,
    );
  }
  const nowMs = clock.nowMs();
  if (nowMs > row.expires_at) {
    // Renewing an expired credential would undo its expiry: whoever holds a leaked, expired
    // token could get a live one. The holder creates a new token instead.
    throw problem(
      'token_already_expired',
      `Token ${row.id} expired at ${formatTimeMs(row.expires_at)}; an expired token cannot be rotated, create a new one`,
    );
  }
  const body: RotateTokenRequest = ctx.body ?? {};
  const nowSeconds = Math.floor(nowMs / 1000);
  // In whole seconds on both ends, as minted: created_at keeps milliseconds, the not-after caveat
  // (expires_at) does not, and their raw difference would lose up to a second per rotation.
  const originalSeconds = Math.max(
    1,
    Math.floor(row.expires_at / 1000) - Math.floor(row.created_at / 1000),
  );
  let notAfter = nowSeconds + (body.expires_in ?? originalSeconds);
  const until = workingUntil(caller);
  if (body.expires_in === undefined && until !== null) {
    notAfter = Math.min(notAfter, until);
  }
  const actions = rowActions(row);
  requireWithin(caller, scopeOf(caveatsFor(row.kind, row.org_id, row.app_id, notAfter, actions)));
  const rotatedAt = nowMs + (body.grace_period ?? 0) * 1000;
  return db.transaction(() => {
    const { row: created, secret } = issueToken(services, {
      kind: row.kind,
      name: row.name,
      userId: caller.user.id,
      orgId: row.org_id,
      appId: row.app_id,
      notAfter,
      parentId: caller.token.id,
      replaces: row.id,
      actions,
      createdAtMs: nowMs,
    });
    db.run(
      db.q
        .updateTable('tokens')
        .set({ rotated_at: rotatedAt, replaced_by: created.id })
        .where('id', '=', row.id),
    );
    recordTokenEvent(ctx, 'token.rotated', row);
    ctx.carriesSecret();
    return { status: 201 as const, body: { ...tokenView(created, nowMs), token: secret } };
  });
}
