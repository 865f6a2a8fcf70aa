import { describe, expect, it } from 'vitest';
import {
  createHangarClient,
  HangarApiError,
  IDEMPOTENCY_KEY_RULE,
  isIdempotencyKey,
} from '../src/index.js';
import { fakeFetch, json, validToken } from './fake-fetch.js';

describe('Idempotency-Key rule (printable ASCII, 1-255 characters)', () => {
  it('accepts UUIDs, spaces and punctuation up to 255 characters', () => {
    for (const key of [
      '5f0c3f4e-7d1a-4b8e-9c2d-1a2b3c4d5e6f',
      'ci run #42: create',
      'k'.repeat(255),
    ]) {
      expect(isIdempotencyKey(key), key).toBe(true);
    }
  });

  it('refuses empty, too long, non-ASCII and control characters', () => {
    for (const key of ['', 'k'.repeat(256), 'clé', 'key\u{1F511}', 'a\tb', 'a\u007fb']) {
      expect(isIdempotencyKey(key), JSON.stringify(key)).toBe(false);
    }
  });

  it('refuses a key starting or ending with a space (HTTP trims header values: the server would get another key)', () => {
    for (const key of [' ', ' ws-key', 'ws-key ', ' ws-key ', `${'k'.repeat(254)} `]) {
      expect(isIdempotencyKey(key), JSON.stringify(key)).toBe(false);
    }
    for (const key of ['a', 'a b', `!${' '.repeat(253)}~`]) {
      expect(isIdempotencyKey(key), JSON.stringify(key)).toBe(true);
    }
    expect(IDEMPOTENCY_KEY_RULE).toContain('not starting or ending with a space');
  });

  it('withOptions refuses a key the server would refuse, naming the header and the rule; nothing is sent', () => {
    const { fetch, calls } = fakeFetch(() => json({}, 201));
    const hangar = createHangarClient({
      baseUrl: 'http://hangar.test',
      token: validToken(),
      fetch,
    });
    let thrown: unknown;
    try {
      hangar.withOptions({ idempotencyKey: 'clé' });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(HangarApiError);
    const error = thrown as HangarApiError;
    expect({ code: error.code, local: error.local }).toEqual({
      code: 'validation_failed',
      local: true,
    });
    expect(error.problem?.errors).toEqual([
      { field: 'header.Idempotency-Key', message: `must be ${IDEMPOTENCY_KEY_RULE}` },
    ]);
    expect(calls).toHaveLength(0);
  });
});
