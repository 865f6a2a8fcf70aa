import { formatTimeMs } from '../clock.js';
import { type EventOrigin, recordTokenEvent } from '../events.js';
import { problem } from '../problems.js';
import type { Services } from '../services.js';

/** What {@link refuseRotatedToken} needs of the rotated-away token's row. */
export interface RotatedAway {
  /** The token's id (its macaroon identifier: tokens attenuated from it share it). */
  id: string;
  /** When it became refused: the rotation time plus the grace period, in ms on the server clock. */
  rotatedAtMs: number;
  /** The id of the token that replaced it. */
  replacedBy: string | null;
}

/**
 * Refuses a rotated-away token used after its grace period (rotateToken, rotateCurrentToken),
 * and every token attenuated from it (they share its id). The one place this refusal happens,
 * so the audit event for it is recorded here.
 *
 * It deliberately does NOT revoke the token that replaced it: reuse detection that revokes the
 * whole chain (GitLab issue 472006) lets anyone still holding an old token (a forgotten CI
 * variable, a leaked log) break the integration that rotated it. The old token is refused; the
 * new one keeps working (docs/architecture.md#token-rotation).
 * With `origin` (the request, without its actor: the rotated-away token is the actor), the
 * refusal is recorded as a `token.used_after_rotation` audit event.
 * @throws ProblemError 401 `token_rotated`, always.
 */
export function refuseRotatedToken(
  services: Services,
  token: RotatedAway,
  origin?: Omit<EventOrigin, 'actor'>,
): never {
  if (origin) recordRotatedUse(services, token.id, origin);
  const replacement = token.replacedBy
    ? `; use the token that replaced it, ${token.replacedBy}`
    : '';
  throw problem(
    'token_rotated',
    `The token was rotated and is refused since ${formatTimeMs(token.rotatedAtMs)}${replacement}`,
  );
}

/** Records `token.used_after_rotation`: the rotated-away token `id` was presented. */
function recordRotatedUse(services: Services, id: string, origin: Omit<EventOrigin, 'actor'>) {
  const { db } = services;
  const row = db.first(db.q.selectFrom('tokens').selectAll().where('id', '=', id));
  if (!row) return;
  const actor = { tokenId: row.id, tokenKind: row.kind, email: row.creator_email };
  db.transaction(() =>
    recordTokenEvent(services, { ...origin, actor }, 'token.used_after_rotation', row),
  );
}
