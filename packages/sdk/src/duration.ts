/**
 * Go-style durations: the grammar of Go's `time.ParseDuration` plus `d` (24h), and Go's
 * `Duration.String()` for display.
 *
 * Source of the rules: golang/go `src/time/format.go` (`ParseDuration`, `leadingInt`,
 * `leadingFraction`, `unitMap`) and `src/time/time.go` (`Duration.String`, `fmtFrac`, `fmtInt`);
 * the tests reuse Go's tables from `src/time/time_test.go`.
 */

/** Largest Go duration, 2562047h47m16.854775807s, in nanoseconds (int64 max). */
export const MAX_DURATION_NS = 2n ** 63n - 1n;
/** Smallest Go duration, -2562047h47m16.854775808s, in nanoseconds (int64 min). */
export const MIN_DURATION_NS = -(2n ** 63n);

const NS_PER_SECOND = 1_000_000_000n;
const HOUR_NS = 3_600n * NS_PER_SECOND;

/**
 * Unit suffix -> nanoseconds. Go's table (both micro signs: U+00B5 and U+03BC), plus `d`.
 * `d` is our extension: Go deliberately stops at hours; we accept `30d` for token expiries.
 */
const UNIT_NS: ReadonlyMap<string, bigint> = new Map([
  ['ns', 1n],
  ['us', 1_000n],
  ['\u00b5s', 1_000n],
  ['\u03bcs', 1_000n],
  ['ms', 1_000_000n],
  ['s', NS_PER_SECOND],
  ['m', 60n * NS_PER_SECOND],
  ['h', HOUR_NS],
  ['d', 24n * HOUR_NS],
]);

/** The hint every duration error ends with, so a user always learns the valid spellings. */
export const DURATION_UNITS_HINT = 'use one of ns, us, µs, ms, s, m, h, d (e.g. 30d, 12h, 1h30m)';

/** Why a duration string was refused. */
export type DurationErrorReason =
  | 'empty'
  | 'syntax'
  | 'missing_unit'
  | 'unknown_unit'
  | 'overflow'
  | 'not_positive'
  | 'too_short';

/**
 * A duration (or expiry) string that is not valid. `message` quotes the input and lists the
 * valid units; `input` is the string as given; `reason` says which rule failed.
 */
export class DurationError extends Error {
  override readonly name = 'DurationError';
  constructor(
    readonly input: string,
    readonly reason: DurationErrorReason,
    problem: string,
  ) {
    super(`invalid duration ${JSON.stringify(input)}: ${problem}; ${DURATION_UNITS_HINT}`);
  }
}

const TWO_63 = 2n ** 63n;
const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';

/**
 * Parses a Go duration string into nanoseconds.
 *
 * Grammar (Go's `time.ParseDuration`): `[-+]?([0-9]*(\.[0-9]*)?unit)+`, or `0` alone (with an
 * optional sign). Units: `ns`, `us`, `µs` (U+00B5 or U+03BC), `ms`, `s`, `m`, `h`, and `d` = 24h.
 * Examples: `300ms`, `-1.5h`, `2h45m`, `.5s`, `5.s`, `175200h0m0s`, `30d`.
 * Fractions are computed exactly as Go does (float64 for the fractional part, truncated), so
 * every string parses to the same nanosecond count as in Go.
 *
 * @returns nanoseconds as a bigint in [MIN_DURATION_NS, MAX_DURATION_NS]
 * @throws DurationError on bad syntax (the message names the unexpected character and its
 *   0-based position; surrounding whitespace is not trimmed, Go refuses it too), a missing or
 *   unknown unit, or a value outside int64 nanoseconds (Go's limit; never wrapped)
 */
export function parseDuration(input: string): bigint {
  let s = input;
  let neg = false;
  if (s[0] === '-' || s[0] === '+') {
    neg = s[0] === '-';
    s = s.slice(1);
  }
  // Go's special case: "0" (optionally signed) needs no unit.
  if (s === '0') return 0n;
  if (s === '') {
    throw new DurationError(input, 'empty', 'expected a number followed by a unit');
  }
  let total = 0n;
  while (s !== '') {
    if (!(s[0] === '.' || isDigit(s[0]))) {
      throw unexpected(input, s, 'expected a number followed by a unit');
    }
    // Integer part; Go's leadingInt fails once the value passes 2^63.
    let i = 0;
    let whole = 0n;
    while (isDigit(s[i])) {
      whole = whole * 10n + BigInt(s.charCodeAt(i) - 48);
      if (whole > TWO_63) throw overflow(input);
      i++;
    }
    const hasWhole = i > 0;
    s = s.slice(i);
    // Fraction part; Go's leadingFraction stops accumulating precision instead of failing.
    let frac = 0n;
    let scale = 1;
    let hasFrac = false;
    if (s[0] === '.') {
      s = s.slice(1);
      let j = 0;
      let saturated = false;
      while (isDigit(s[j])) {
        if (!saturated) {
          const next = frac * 10n + BigInt(s.charCodeAt(j) - 48);
          if (frac > (TWO_63 - 1n) / 10n || next > TWO_63) {
            saturated = true;
          } else {
            frac = next;
            scale *= 10;
          }
        }
        j++;
      }
      hasFrac = j > 0;
      s = s.slice(j);
    }
    if (!hasWhole && !hasFrac) {
      throw new DurationError(input, 'syntax', 'expected digits before the unit');
    }
    // Unit: everything up to the next digit or '.'.
    let k = 0;
    while (k < s.length && s[k] !== '.' && !isDigit(s[k])) k++;
    // Go reports both as one invalid duration; saying which applies is kinder.
    if (k === 0 && s === '') throw new DurationError(input, 'missing_unit', 'missing unit');
    if (k === 0) throw unexpected(input, s, 'expected a unit');
    const unitText = s.slice(0, k);
    s = s.slice(k);
    const unit = UNIT_NS.get(unitText);
    if (unit === undefined) {
      throw new DurationError(input, 'unknown_unit', `unknown unit ${JSON.stringify(unitText)}`);
    }
    if (whole > TWO_63 / unit) throw overflow(input);
    let value = whole * unit;
    if (frac > 0n) {
      // Same float64 arithmetic as Go: uint64(float64(f) * (float64(unit) / scale)).
      value += BigInt(Math.trunc(Number(frac) * (Number(unit) / scale)));
      if (value > TWO_63) throw overflow(input);
    }
    total += value;
    if (total > TWO_63) throw overflow(input);
  }
  if (neg) return -total;
  if (total > MAX_DURATION_NS) throw overflow(input);
  return total;
}

/**
 * A syntax error at the start of `rest` (the unparsed tail of `input`): names the character and
 * its position, counted from 0 like Go's string indices, e.g. `unexpected "." at position 3`.
 */
function unexpected(input: string, rest: string, expected: string): DurationError {
  const position = input.length - rest.length;
  const char = String.fromCodePoint(rest.codePointAt(0) ?? 0);
  return new DurationError(
    input,
    'syntax',
    `unexpected ${JSON.stringify(char)} at position ${position}, ${expected}`,
  );
}

function overflow(input: string): DurationError {
  return new DurationError(
    input,
    'overflow',
    'longer than the maximum duration 2562047h47m16.854775807s (about 292 years)',
  );
}

/**
 * Parses a Go duration string into seconds (a float; sub-second parts are kept as fractions).
 * Same grammar and errors as {@link parseDuration}.
 */
export function parseDurationSeconds(input: string): number {
  const ns = parseDuration(input);
  const whole = ns / NS_PER_SECOND;
  return Number(whole) + Number(ns - whole * NS_PER_SECOND) / 1e9;
}

/**
 * Formats a duration exactly like Go's `Duration.String()`: `0s`, `1ns`, `1.1µs` (U+00B5),
 * `2.2ms`, `3.3s`, `4m5s`, `175200h0m0s`, `-1.5h` is `-1h30m0s`. Hours are the largest unit.
 *
 * @param duration a bigint is nanoseconds; a number is seconds (fractions allowed, rounded to
 *   the nearest nanosecond)
 * @throws RangeError if the value is outside int64 nanoseconds or not finite
 */
export function formatDuration(duration: bigint | number): string {
  const ns = typeof duration === 'bigint' ? duration : secondsToNs(duration);
  if (ns > MAX_DURATION_NS || ns < MIN_DURATION_NS) {
    throw new RangeError(`duration ${ns}ns is outside Go's range`);
  }
  const neg = ns < 0n;
  const u = neg ? -ns : ns;
  const sign = neg ? '-' : '';
  if (u === 0n) return '0s';
  if (u < NS_PER_SECOND) {
    // Below one second Go switches to the smallest unit that keeps an integer part.
    if (u < 1_000n) return `${sign}${u}ns`;
    if (u < 1_000_000n) return `${sign}${withFraction(u, 3)}\u00b5s`;
    return `${sign}${withFraction(u, 6)}ms`;
  }
  const seconds = withFraction(u % (60n * NS_PER_SECOND), 9);
  const totalMinutes = u / (60n * NS_PER_SECOND);
  if (totalMinutes === 0n) return `${sign}${seconds}s`;
  const hours = totalMinutes / 60n;
  const minutes = totalMinutes % 60n;
  if (hours === 0n) return `${sign}${minutes}m${seconds}s`;
  return `${sign}${hours}h${minutes}m${seconds}s`;
}

/** Formats a number of seconds like Go's `Duration.String()`; see {@link formatDuration}. */
export function formatDurationSeconds(seconds: number): string {
  return formatDuration(secondsToNs(seconds));
}

/** `value / 10^digits` written like Go's fmtFrac + fmtInt: trailing zeros and a bare '.' dropped. */
function withFraction(value: bigint, digits: number): string {
  const base = 10n ** BigInt(digits);
  const fraction = (value % base).toString().padStart(digits, '0').replace(/0+$/, '');
  const whole = (value / base).toString();
  return fraction === '' ? whole : `${whole}.${fraction}`;
}

function secondsToNs(seconds: number): bigint {
  if (!Number.isFinite(seconds)) throw new RangeError(`duration ${seconds}s is not finite`);
  if (Number.isInteger(seconds)) return BigInt(seconds) * NS_PER_SECOND;
  return BigInt(Math.round(seconds * 1e9));
}
