import { DurationError, parseDuration } from './duration.js';
import { toExpiresIn } from './expiry.js';

/** Longest `grace_period` the API accepts: 7 days, in seconds (RotateTokenRequest). */
export const MAX_GRACE_PERIOD = 604_800;

/** Options for rotating a token (rotateToken, rotateCurrentToken). */
export interface RotateTokenOptions {
  /**
   * How long the old token keeps working: whole seconds (0..604800), or a Go duration string
   * such as `1h` or `30m` (fractions of a second dropped). Server default 0: refused at once.
   */
  gracePeriod?: number | string | undefined;
  /**
   * The new token's lifetime, as for token creation (seconds or a Go duration). Server default:
   * the old token's original lifetime, shortened to the calling token's own expiry.
   */
  expiresIn?: number | string | undefined;
}

/**
 * Turns a grace period (seconds, or a Go duration string) into the API's `grace_period`: whole
 * seconds, 0..604800 (7 days).
 * @throws DurationError for a string that is not a Go duration, or a negative one
 * @throws RangeError for a value outside 0..604800 seconds or a number that is not an integer
 */
export function toGracePeriod(grace: number | string): number {
  let seconds: number;
  if (typeof grace === 'string') {
    const ns = parseDuration(grace);
    if (ns < 0n) {
      throw new DurationError(grace, 'not_positive', 'a grace period cannot be negative');
    }
    seconds = Number(ns / 1_000_000_000n);
  } else {
    seconds = grace;
  }
  if (!Number.isInteger(seconds) || seconds < 0 || seconds > MAX_GRACE_PERIOD) {
    throw new RangeError(
      `a grace period must be whole seconds between 0 and ${MAX_GRACE_PERIOD} (7 days), got ${grace}`,
    );
  }
  return seconds;
}

/** The JSON body of a rotation: only the fields that were given, converted locally. */
export function rotateTokenBody(options: RotateTokenOptions = {}): {
  grace_period?: number;
  expires_in?: number;
} {
  const body: { grace_period?: number; expires_in?: number } = {};
  if (options.gracePeriod !== undefined) body.grace_period = toGracePeriod(options.gracePeriod);
  if (options.expiresIn !== undefined) body.expires_in = toExpiresIn(options.expiresIn);
  return body;
}
