import { DurationError, parseDuration } from './duration.js';
import { toExpiresIn } from './expiry.js';

/** Longest `grace_period` the API accepts: 7 days, in seconds (RotateTokenRequest). */
export const MAX_GRACE_PERIOD = 604_800;

/** Options for rotating a token (rotateToken, rotateCurrentToken). */
export interface RotateTokenOptions {
  /**
   * How long the old token keeps working: whole seconds (0..604800), or a Go duration string
   * such as `1h` or `30m` in whole seconds (`500ms` is refused: see {@link toGracePeriod}).
   * Server default 0: refused at once.
   */
  gracePeriod?: number | string | undefined;
  /**
   * The new token's lifetime, as for token creation (seconds or a Go duration). Server default:
   * the old token's original lifetime, shortened to the calling token's own expiry.
   */
  expiresIn?: number | string | undefined;
}

/** Why a grace period was refused: below 0, not whole seconds, or above 7 days. */
export type GracePeriodErrorReason = 'negative' | 'not_whole_seconds' | 'too_long';

/**
 * A grace period outside what the API takes (see {@link toGracePeriod}). `message` quotes the
 * value as given; `input` is that value and `reason` which rule failed.
 */
export class GracePeriodError extends RangeError {
  override readonly name = 'GracePeriodError';
  constructor(
    readonly input: number | string,
    readonly reason: GracePeriodErrorReason,
  ) {
    const shown = typeof input === 'string' ? JSON.stringify(input) : String(input);
    super(
      `invalid grace period ${shown}: ${GRACE_PROBLEMS[reason]}; use whole seconds from 0 to ${MAX_GRACE_PERIOD} (7 days), e.g. 30, "30s", "10m", "1h"`,
    );
  }
}

const GRACE_PROBLEMS: Record<GracePeriodErrorReason, string> = {
  negative: 'it is negative',
  not_whole_seconds: 'it has a fraction of a second',
  too_long: 'it is longer than 7 days',
};

/**
 * Turns a grace period (seconds, or a Go duration string) into the API's `grace_period`: whole
 * seconds, 0..604800 (7 days; openapi/hangar.yaml RotateTokenRequest). A fraction of a second
 * (`1.5`, `"500ms"`, `"1m0.5s"`) is refused, not dropped: `"500ms"` would otherwise become 0,
 * and the old token would be refused at once, which the caller did not ask for. The CLI's
 * `tokens rotate --grace` applies this function.
 * @throws TypeError for a value that is neither a number nor a string (`null` from JSON), or NaN
 * @throws DurationError for a string that is not a Go duration, or a negative one
 * @throws GracePeriodError (a RangeError) for a value below 0 or above 604800 seconds (also one
 *   too large for a Go duration), or one
 *   that is not whole seconds; its message quotes the value
 */
export function toGracePeriod(grace: number | string): number {
  let seconds: number;
  if ((typeof grace !== 'number' && typeof grace !== 'string') || Number.isNaN(grace)) {
    throw new TypeError(
      `invalid grace period ${shownValue(grace)}: it is neither a number of seconds nor a duration string; pass whole seconds from 0 to ${MAX_GRACE_PERIOD} (7 days), e.g. 30, "30s", "10m", "1h", or leave it out for 0`,
    );
  }
  if (typeof grace === 'string') {
    const ns = graceNs(grace);
    if (ns < 0n) {
      throw new DurationError(grace, 'not_positive', 'a grace period cannot be negative');
    }
    if (ns % 1_000_000_000n !== 0n) throw new GracePeriodError(grace, 'not_whole_seconds');
    seconds = Number(ns / 1_000_000_000n);
  } else {
    seconds = grace;
    if (seconds < 0) throw new GracePeriodError(grace, 'negative');
  }
  if (seconds > MAX_GRACE_PERIOD) throw new GracePeriodError(grace, 'too_long');
  if (!Number.isInteger(seconds)) throw new GracePeriodError(grace, 'not_whole_seconds');
  return seconds;
}

/** A value of the wrong type, for an error message: `null`, `NaN`, `a boolean`, `an object`. */
function shownValue(value: unknown): string {
  if (value === null || value === undefined || Number.isNaN(value)) return String(value);
  return /^[aeiou]/.test(typeof value) ? `an ${typeof value}` : `a ${typeof value}`;
}

/**
 * `grace` as nanoseconds (parseDuration). One rule for every value above 168h: one too large
 * for a Go duration (int64 nanoseconds, `1000000000000000000000h`) is `too_long` as well, not a
 * syntax error; a negative one stays a negative one.
 * @throws DurationError as parseDuration, GracePeriodError `too_long` past int64 nanoseconds
 */
function graceNs(grace: string): bigint {
  try {
    return parseDuration(grace);
  } catch (error) {
    if (!(error instanceof DurationError) || error.reason !== 'overflow') throw error;
    if (grace.startsWith('-')) {
      throw new DurationError(grace, 'not_positive', 'a grace period cannot be negative');
    }
    throw new GracePeriodError(grace, 'too_long');
  }
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
