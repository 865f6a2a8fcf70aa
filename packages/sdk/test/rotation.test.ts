import { describe, expect, it } from 'vitest';
import {
  collect,
  createHangarClient,
  DurationError,
  GracePeriodError,
  toGracePeriod,
} from '../src/index.js';
import { fakeFetch, json, validToken } from './fake-fetch.js';

const created = {
  id: `tok_${'1'.repeat(32)}`,
  token: 'hangar_x',
  replaces: `tok_${'0'.repeat(32)}`,
};

describe('rotation and personal-token helpers (issue 15)', () => {
  it('toGracePeriod takes seconds or a Go duration, 0 to 7 days', () => {
    expect(toGracePeriod('1h')).toBe(3600);
    expect(toGracePeriod('1h30m1s')).toBe(5401);
    expect(toGracePeriod(0)).toBe(0);
    expect(toGracePeriod('168h')).toBe(604_800);
    expect(() => toGracePeriod('169h')).toThrow(RangeError);
    expect(() => toGracePeriod(-1)).toThrow(RangeError);
    expect(() => toGracePeriod(1.5)).toThrow(RangeError);
    expect(() => toGracePeriod('-1h')).toThrow(DurationError);
    expect(() => toGracePeriod('soon')).toThrow(DurationError);
  });

  it('rotate refuses a grace period of the wrong type (null, NaN) saying so, not "a fraction of a second"', async () => {
    const { fetch, calls } = fakeFetch(() => json(created, 201));
    const hangar = createHangarClient({ baseUrl: 'http://h.test', token: validToken(), fetch });
    const refused = hangar.tokens.rotate(created.replaces, {
      gracePeriod: null as unknown as number,
    });
    await expect(refused).rejects.toThrow(
      'invalid grace period null: it is neither a number of seconds nor a duration string',
    );
    await expect(refused).rejects.toThrow(TypeError);
    expect(() => toGracePeriod(Number.NaN)).toThrow('invalid grace period NaN: it is neither');
    expect(() => toGracePeriod(true as unknown as number)).toThrow(
      'invalid grace period a boolean: it is neither',
    );
    expect(calls).toHaveLength(0);
  });

  it('toGracePeriod refuses a fraction of a second, naming the value, instead of dropping it', () => {
    for (const grace of ['500ms', '1h30m0.9s', 1.5]) {
      expect(() => toGracePeriod(grace), String(grace)).toThrow(GracePeriodError);
    }
    expect(() => toGracePeriod('500ms')).toThrow(
      'invalid grace period "500ms": it has a fraction of a second; use whole seconds from 0 to 604800',
    );
    expect(() => toGracePeriod('169h')).toThrow(
      'invalid grace period "169h": it is longer than 7 days',
    );
    // Past what a Go duration holds (int64 nanoseconds) is still longer than 7 days.
    expect(() => toGracePeriod('1000000000000000000000h')).toThrow(
      'invalid grace period "1000000000000000000000h": it is longer than 7 days',
    );
  });

  it('rotate posts grace_period and expires_in in seconds; rotateCurrent posts to the viewer path', async () => {
    const { fetch, calls } = fakeFetch(() => json(created, 201));
    const hangar = createHangarClient({ baseUrl: 'http://api.test', token: validToken(), fetch });
    await hangar.tokens.rotate(created.replaces, { gracePeriod: '10m', expiresIn: '24h' });
    await hangar.tokens.rotateCurrent();
    expect(calls.map((r) => `${r.method} ${new URL(r.url).pathname}`)).toEqual([
      `POST /v1/tokens/${created.replaces}/rotate`,
      'POST /v1/viewer/token/rotate',
    ]);
    expect(await calls[0]?.clone().json()).toEqual({ grace_period: 600, expires_in: 86_400 });
    expect(await calls[1]?.clone().json()).toEqual({});
  });

  it('a bad gracePeriod rejects before any request', async () => {
    const { fetch, calls } = fakeFetch(() => json(created, 201));
    const hangar = createHangarClient({ baseUrl: 'http://api.test', token: validToken(), fetch });
    await expect(hangar.tokens.rotate(created.replaces, { gracePeriod: '8d' })).rejects.toThrow(
      RangeError,
    );
    expect(calls).toHaveLength(0);
  });

  it('iteratePersonal follows cursors and sends status on every page', async () => {
    const pages = [
      { items: [{ id: 'a' }], next_cursor: 'c1' },
      { items: [{ id: 'b' }], next_cursor: null },
    ];
    const { fetch, calls } = fakeFetch(() => json(pages[calls.length - 1]));
    const hangar = createHangarClient({ baseUrl: 'http://api.test', token: validToken(), fetch });
    const items = await collect(hangar.tokens.iteratePersonal({ limit: 1, status: 'active' }));
    expect(items.map((t) => t.id)).toEqual(['a', 'b']);
    expect(calls.map((r) => new URL(r.url).search)).toEqual([
      '?limit=1&status=active',
      '?limit=1&cursor=c1&status=active',
    ]);
  });
});
