import { describe, expect, it } from 'vitest';
import {
  DurationError,
  formatDuration,
  formatDurationSeconds,
  MAX_DURATION_NS,
  MIN_DURATION_NS,
  parseDuration,
  parseDurationSeconds,
  parseExpiry,
} from '../src/index.js';

const ns = 1n;
const us = 1_000n * ns;
const ms = 1_000n * us;
const s = 1_000n * ms;
const m = 60n * s;
const h = 60n * m;

// Go's parseDurationTests (src/time/time_test.go), expected values in nanoseconds.
const goValid: [string, bigint][] = [
  ['0', 0n],
  ['5s', 5n * s],
  ['30s', 30n * s],
  ['1478s', 1478n * s],
  ['-5s', -5n * s],
  ['+5s', 5n * s],
  ['-0', 0n],
  ['+0', 0n],
  ['5.0s', 5n * s],
  ['5.6s', 5n * s + 600n * ms],
  ['5.s', 5n * s],
  ['.5s', 500n * ms],
  ['1.0s', 1n * s],
  ['1.00s', 1n * s],
  ['1.004s', 1n * s + 4n * ms],
  ['1.0040s', 1n * s + 4n * ms],
  ['100.00100s', 100n * s + 1n * ms],
  ['10ns', 10n * ns],
  ['11us', 11n * us],
  ['12\u00b5s', 12n * us],
  ['12\u03bcs', 12n * us],
  ['13ms', 13n * ms],
  ['14s', 14n * s],
  ['15m', 15n * m],
  ['16h', 16n * h],
  ['3h30m', 3n * h + 30n * m],
  ['10.5s4m', 4n * m + 10n * s + 500n * ms],
  ['-2m3.4s', -(2n * m + 3n * s + 400n * ms)],
  ['1h2m3s4ms5us6ns', 1n * h + 2n * m + 3n * s + 4n * ms + 5n * us + 6n * ns],
  ['39h9m14.425s', 39n * h + 9n * m + 14n * s + 425n * ms],
  ['52763797000ns', 52763797000n],
  ['0.3333333333333333333h', 20n * m],
  ['9007199254740993ns', 2n ** 53n + 1n],
  ['9223372036854775807ns', MAX_DURATION_NS],
  ['9223372036854775.807us', MAX_DURATION_NS],
  ['9223372036s854ms775us807ns', MAX_DURATION_NS],
  ['-9223372036854775808ns', MIN_DURATION_NS],
  ['-9223372036854775.808us', MIN_DURATION_NS],
  ['-9223372036s854ms775us808ns', MIN_DURATION_NS],
  ['-2562047h47m16.854775808s', MIN_DURATION_NS],
  ['0.100000000000000000000h', 6n * m],
  ['0.830103483285477580700h', 49n * m + 48n * s + 372539827n * ns],
];

// Our extension: d = 24h, and the spellings the CLI documents.
const hangarValid: [string, bigint][] = [
  ['1d', 24n * h],
  ['30d', 720n * h],
  ['1.5d', 36n * h],
  ['1d12h', 36n * h],
  ['175200h0m0s', 175200n * h],
  ['1.5h', 90n * m],
  ['.5s', 500n * ms],
  ['2562047h47m16.854775807s', MAX_DURATION_NS],
];

describe('parseDuration', () => {
  it.each(goValid)('parses Go table entry %j', (input, want) => {
    expect(parseDuration(input)).toBe(want);
  });

  it.each(hangarValid)('parses %j', (input, want) => {
    expect(parseDuration(input)).toBe(want);
  });

  // Go's parseDurationErrorTests "invalid" group, minus "1d" (valid here), plus our own.
  it.each([
    ['', 'empty'],
    ['3', 'missing_unit'],
    ['30', 'missing_unit'],
    ['-', 'empty'],
    ['s', 'syntax'],
    ['.', 'syntax'],
    ['-.', 'syntax'],
    ['.s', 'syntax'],
    ['+.s', 'syntax'],
    ['\u0085\u0085', 'syntax'],
    ['\uFFFD', 'syntax'],
    ['hello \u00ffff world', 'syntax'],
    ['1y', 'unknown_unit'],
    ['5 s', 'unknown_unit'],
    ['1h 30m', 'unknown_unit'],
    ['1H', 'unknown_unit'],
    ['1hour', 'unknown_unit'],
    ['1h-30m', 'unknown_unit'],
    [' 1h', 'syntax'],
    ['--1h', 'syntax'],
    ['1e3s', 'unknown_unit'],
    ['0x10s', 'unknown_unit'],
  ] as const)('refuses %j (%s)', (input, reason) => {
    const error = catchError(() => parseDuration(input));
    expect(error).toBeInstanceOf(DurationError);
    expect(error).toMatchObject({ input, reason });
    expect(error.message).toContain(JSON.stringify(input));
    expect(error.message).toContain('ns, us, µs, ms, s, m, h, d');
  });

  // Go's parseDurationErrorTests "overflow" group, plus a few in days and hours.
  it.each([
    '9223372036854775810ns',
    '9223372036854775808ns',
    '-9223372036854775809ns',
    '9223372036854776us',
    '3000000h',
    '9223372036854775.808us',
    '9223372036854ms775us808ns',
    '2562047h47m16.854775808s',
    '9999999999h',
    '106752d',
    '99999999999999999999999999s',
    '1.5s2562047h47m16s',
  ])('refuses overflow %j without wrapping', (input) => {
    const error = catchError(() => parseDuration(input));
    expect(error).toBeInstanceOf(DurationError);
    expect(error).toMatchObject({ reason: 'overflow' });
    expect(error.message).toContain('maximum duration 2562047h47m16.854775807s');
  });

  it('explains a missing unit with the valid units and examples', () => {
    expect(() => parseDuration('30')).toThrow(
      'invalid duration "30": missing unit; use one of ns, us, µs, ms, s, m, h, d (e.g. 30d, 12h, 1h30m)',
    );
  });

  it('names an unexpected character and its position instead of "missing unit"', () => {
    expect(() => parseDuration('1.5.3h')).toThrow(
      'invalid duration "1.5.3h": unexpected "." at position 3, expected a unit; use one of',
    );
    expect(() => parseDuration(' 1h')).toThrow(
      'invalid duration " 1h": unexpected " " at position 0, expected a number followed by a unit',
    );
    expect(catchError(() => parseDuration('1..5h'))).toMatchObject({ reason: 'syntax' });
  });

  it('names an unknown unit', () => {
    expect(() => parseDuration('3w')).toThrow('invalid duration "3w": unknown unit "w"');
  });

  it('accepts 106751d, the largest whole number of days', () => {
    expect(parseDuration('106751d')).toBe(106751n * 24n * h);
  });
});

describe('parseDurationSeconds', () => {
  it.each([
    ['1h30m', 5400],
    ['1.5s', 1.5],
    ['-2m', -120],
    ['0', 0],
    ['175200h0m0s', 630720000],
    ['250ms', 0.25],
  ])('%j is %d seconds', (input, want) => {
    expect(parseDurationSeconds(input)).toBe(want);
  });
});

// Go's durationTests (src/time/time_test.go): String() of each value and of its negation.
const goFormat: [string, bigint][] = [
  ['0s', 0n],
  ['1ns', 1n * ns],
  ['1.1µs', 1100n * ns],
  ['2.2ms', 2200n * us],
  ['3.3s', 3300n * ms],
  ['4m5s', 4n * m + 5n * s],
  ['4m5.001s', 4n * m + 5001n * ms],
  ['5h6m7.001s', 5n * h + 6n * m + 7001n * ms],
  ['8m0.000000001s', 8n * m + 1n * ns],
  ['2562047h47m16.854775807s', MAX_DURATION_NS],
  ['-2562047h47m16.854775808s', MIN_DURATION_NS],
];

describe('formatDuration', () => {
  it.each(goFormat)('formats %s like Go', (want, value) => {
    expect(formatDuration(value)).toBe(want);
    if (value > 0n) expect(formatDuration(-value)).toBe(`-${want}`);
  });

  it.each([
    [631152000, '175320h0m0s'],
    [630720000, '175200h0m0s'],
    [1.5, '1.5s'],
    [0, '0s'],
    [3600, '1h0m0s'],
    [60, '1m0s'],
    [86400, '24h0m0s'],
    [0.001, '1ms'],
    [-90, '-1m30s'],
  ])('formats %d seconds as %s', (seconds, want) => {
    expect(formatDuration(seconds)).toBe(want);
    expect(formatDurationSeconds(seconds)).toBe(want);
  });

  it('round-trips with parseDuration (Go TestParseDurationRoundTrip)', () => {
    for (const value of [MAX_DURATION_NS, MIN_DURATION_NS, 0n, 1n, 999n, 1_500_000n]) {
      expect(parseDuration(formatDuration(value))).toBe(value);
    }
    for (let i = 0; i < 100; i++) {
      const value = BigInt(Math.floor(Math.random() * 2 ** 31)) * ms;
      expect(parseDuration(formatDuration(value))).toBe(value);
    }
  });

  it('refuses values outside int64 nanoseconds', () => {
    expect(() => formatDuration(MAX_DURATION_NS + 1n)).toThrow(RangeError);
    expect(() => formatDuration(Number.POSITIVE_INFINITY)).toThrow(RangeError);
  });
});

describe('parseExpiry', () => {
  it.each([
    ['30d', 2592000],
    ['720h', 2592000],
    ['175200h0m0s', 630720000],
    ['1s', 1],
    ['1.9s', 1],
    ['90m', 5400],
    ['2562047h47m16.854775807s', 9223372036],
  ])('%j is %d whole seconds', (input, want) => {
    expect(parseExpiry(input)).toBe(want);
  });

  it.each([
    ['0', 'not_positive', 'expiry must be a positive duration'],
    ['0s', 'not_positive', 'expiry must be a positive duration'],
    ['-5h', 'not_positive', 'expiry must be a positive duration'],
    ['-0', 'not_positive', 'expiry must be a positive duration'],
    ['500ms', 'too_short', 'expiry must be at least 1s'],
    ['30', 'missing_unit', 'missing unit'],
    ['9999999999h', 'overflow', 'maximum duration'],
    ['soon', 'syntax', 'expected a number'],
    [' 1h', 'syntax', 'unexpected " " at position 0'],
    ['1h ', 'unknown_unit', 'unknown unit "h "'],
    ['1.5.3h', 'syntax', 'unexpected "." at position 3'],
  ])('refuses %j (%s)', (input, reason, text) => {
    const error = catchError(() => parseExpiry(input));
    expect(error).toBeInstanceOf(DurationError);
    expect(error).toMatchObject({ reason });
    expect(error.message).toContain(text);
    expect(error.message).toContain(JSON.stringify(input));
    expect(error.message).toContain('use one of ns, us, µs, ms, s, m, h, d');
  });
});

function catchError(fn: () => unknown): Error {
  try {
    fn();
  } catch (error) {
    if (error instanceof Error) return error;
    throw new Error(`threw a non-Error: ${String(error)}`);
  }
  throw new Error('expected an error, none was thrown');
}
