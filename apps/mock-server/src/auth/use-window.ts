/**
 * How often a token's use is written down: `last_used_at` (authenticate.ts) and the
 * `token.used_after_rotation` event of a rotated-away token (rotation.ts) are written at most
 * once per token per this many milliseconds of server clock. Anything finer is bookkeeping a
 * busy client (or anyone holding a dead token) would turn into one write per request.
 */
export const USE_RECORD_WINDOW_MS = 60_000;

/**
 * Whether a use at `nowMs` is written down, the last one written at `lastMs` (null: never),
 * both in ms on the server clock: when the window ({@link USE_RECORD_WINDOW_MS}) has passed.
 */
export function useRecordDue(lastMs: number | null, nowMs: number): boolean {
  return lastMs === null || nowMs - lastMs >= USE_RECORD_WINDOW_MS;
}
