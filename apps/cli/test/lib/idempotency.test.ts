import { isIdempotencyKey, MAX_IDEMPOTENCY_KEY_LENGTH } from '@hangar/sdk';
import { describe, expect, it } from 'vitest';
import { perIdKey } from '../../src/lib/idempotency.js';

describe('perIdKey', () => {
  const a = `tok_${'a'.repeat(32)}`;
  const b = `tok_${'b'.repeat(32)}`;

  it('is KEY:ID while that fits 255 characters', () => {
    expect(perIdKey('job-7', a)).toBe(`job-7:${a}`);
  });

  it('past 255 characters stays a valid key, distinct per id and the same on a rerun', () => {
    for (const key of ['k'.repeat(250), 'k'.repeat(255), 'x'.repeat(218)]) {
      const [ka, kb] = [perIdKey(key, a), perIdKey(key, b)];
      expect(ka).not.toBe(kb);
      expect(perIdKey(key, a)).toBe(ka);
      for (const k of [ka, kb]) {
        expect(k.length).toBeLessThanOrEqual(MAX_IDEMPOTENCY_KEY_LENGTH);
        expect(isIdempotencyKey(k)).toBe(true);
      }
    }
  });
});
