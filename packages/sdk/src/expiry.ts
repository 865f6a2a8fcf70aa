import { DurationError, formatDuration, parseDuration } from './duration.js';

/**
 * The contract's default `expires_in`: 631152000 s, 20 years of 365.25 days (`175320h0m0s`).
 * Note that flyctl's `175200h0m0s` (20 x 365 days) is 630720000 s.
 */
export const DEFAULT_EXPIRES_IN = 631_152_000;
/** Longest `expires_in` the API accepts: Go's maximum duration in whole seconds. */
export const MAX_EXPIRES_IN = 9_223_372_036;

/**
 * Turns a user's expiry (a Go duration string such as `720h`, `30d`, `175200h0m0s`) into the
 * API's `expires_in`: whole seconds, 1..9223372036.
 *
 * Fractions of a second above 1s are dropped (rounding down can only shorten a token's life,
 * so it never trips the server's minting rule); anything under 1s is refused.
 *
 * @returns whole seconds
 * @throws DurationError (`reason` names the rule) for anything {@link parseDuration} refuses,
 *   and for zero or negative values (`not_positive`) and values under one second (`too_short`)
 */
export function parseExpiry(input: string): number {
  // No trimming: Go's ParseDuration refuses " 1h", and so does the server's grammar.
  const ns = parseDuration(input);
  if (ns <= 0n) {
    throw new DurationError(input, 'not_positive', 'expiry must be a positive duration');
  }
  const seconds = ns / 1_000_000_000n;
  if (seconds < 1n) {
    throw new DurationError(input, 'too_short', 'expiry must be at least 1s');
  }
  return Number(seconds);
}

/**
 * Normalises the `expiresIn` option of the token helpers: a number is taken as whole seconds,
 * a string goes through {@link parseExpiry}.
 *
 * @throws DurationError for a string {@link parseExpiry} refuses
 * @throws RangeError for a number that is not an integer in 1..MAX_EXPIRES_IN
 */
export function toExpiresIn(expiresIn: number | string): number {
  if (typeof expiresIn === 'string') return parseExpiry(expiresIn);
  if (!Number.isInteger(expiresIn) || expiresIn < 1 || expiresIn > MAX_EXPIRES_IN) {
    throw new RangeError(
      `expiresIn must be whole seconds between 1 and ${MAX_EXPIRES_IN} (${formatDuration(MAX_EXPIRES_IN)}), got ${expiresIn}`,
    );
  }
  return expiresIn;
}
