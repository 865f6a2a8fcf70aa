import { formatTimeMs } from '../clock.js';
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
 * @throws ProblemError 401 `token_rotated`, always.
 */
export function refuseRotatedToken(_services: Services, token: RotatedAway): never {
  // events: record `token.used_after_rotation` here (the lead wires it at merge).
  const replacement = token.replacedBy
    ? `; use the token that replaced it, ${token.replacedBy}`
    : '';
  throw problem(
    'token_rotated',
    `The token was rotated and is refused since ${formatTimeMs(token.rotatedAtMs)}${replacement}`,
  );
}
