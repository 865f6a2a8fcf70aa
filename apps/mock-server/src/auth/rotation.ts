import { formatTimeMs } from '../clock.js';
import { type EventOrigin, recordTokenEvent, tokenEventOrgs } from '../events.js';
import { rowLimit } from '../pagination.js';
import { problem } from '../problems.js';
import type { Services } from '../services.js';
import { useRecordDue } from './use-window.js';

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
 * refusal is recorded as a `token.used_after_rotation` audit event. The detail names the live
 * end of the rotation chain ({@link liveReplacement}), the token to use instead.
 * @throws ProblemError 401 `token_rotated`, always.
 */
export function refuseRotatedToken(
  services: Services,
  token: RotatedAway,
  origin?: Omit<EventOrigin, 'actor'>,
): never {
  if (origin) recordRotatedUse(services, token.id, origin);
  const live = token.replacedBy ? liveReplacement(services, token.replacedBy) : null;
  const replacement = live ? `; use the token that replaced it, ${live}` : '';
  throw problem(
    'token_rotated',
    `The token was rotated and is refused since ${formatTimeMs(token.rotatedAtMs)}${replacement}`,
  );
}

/** The most replacements {@link liveReplacement} follows: a chain longer than this is cut. */
const MAX_CHAIN = 32;

/**
 * The live end of a rotation chain from `id` (the token that replaced the refused one): while
 * that token was itself rotated (`replaced_by` set), its replacement, at most MAX_CHAIN steps
 * (a bound, and no loop even if rows pointed back). So old -> mid -> new names `new`, not `mid`,
 * which would only be refused in turn.
 */
function liveReplacement(services: Services, id: string): string {
  const { db } = services;
  const seen = new Set([id]);
  let current = id;
  for (let step = 0; step < MAX_CHAIN; step++) {
    const row = db.first(db.q.selectFrom('tokens').select('replaced_by').where('id', '=', current));
    const next = row?.replaced_by;
    if (!next || seen.has(next)) break;
    seen.add(next);
    current = next;
  }
  return current;
}

/**
 * Records `token.used_after_rotation`: the rotated-away token `id` was presented. At most once
 * per token per window, as `last_used_at` (use-window.ts): anyone holding a dead token can send
 * refused requests for free, so each must not cost an event.
 */
function recordRotatedUse(services: Services, id: string, origin: Omit<EventOrigin, 'actor'>) {
  const { db, clock } = services;
  const row = db.first(db.q.selectFrom('tokens').selectAll().where('id', '=', id));
  if (!row) return;
  const actor = { tokenId: row.id, tokenKind: row.kind, email: row.creator_email };
  db.transaction(() => {
    const orgIds = tokenEventOrgs(db, row).map((org) => org.id);
    if (orgIds.length === 0) return;
    const last = db.first(
      db.q
        .selectFrom('events')
        .select('created_at')
        .where('org_id', 'in', orgIds)
        .where('type', '=', 'token.used_after_rotation')
        .where('target_id', '=', row.id)
        .orderBy('created_at', 'desc')
        .limit(rowLimit(1)),
    );
    if (!useRecordDue(last?.created_at ?? null, clock.nowMs())) return;
    recordTokenEvent(services, { ...origin, actor }, 'token.used_after_rotation', row);
  });
}
