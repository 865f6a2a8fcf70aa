import { describe, expect, it } from 'vitest';
import { createHangarClient, serverTimeMs, type TokenExpiry } from '../src/index.js';
import { fakeFetch, json, validToken } from './fake-fetch.js';

const DAY_MS = 86_400_000;

/** A response whose `Date` header is `offsetMs` from this machine's clock (or none). */
function answer(offsetMs?: number, headers: Record<string, string> = {}): Response {
  const all = new Headers(headers);
  if (offsetMs !== undefined) all.set('Date', new Date(Date.now() + offsetMs).toUTCString());
  return new Response('{}', { headers: all });
}

describe('serverTimeMs: the server clock from the Date header (RFC 9110 section 6.6.1)', () => {
  it('is this machine clock when the header agrees, is missing or does not parse', () => {
    for (const response of [answer(0), answer(), answer(undefined, { Date: 'soon' })]) {
      const before = Date.now();
      const now = serverTimeMs(response);
      expect(now).toBeGreaterThanOrEqual(before);
      expect(now).toBeLessThanOrEqual(Date.now());
    }
  });

  it('follows a server clock two days ahead (a mock whose /_admin/clock moved)', () => {
    const now = serverTimeMs(answer(2 * DAY_MS));
    // The header holds whole seconds: up to 1 s is lost to truncation, more on a loaded machine.
    expect(Math.abs(now - (Date.now() + 2 * DAY_MS))).toBeLessThan(3000);
  });

  it('onTokenExpiry counts secondsLeft from the server clock', async () => {
    const heard: TokenExpiry[] = [];
    const expiresAt = new Date(Date.now() + 8 * DAY_MS).toISOString().replace(/\.\d+Z$/, 'Z');
    const { fetch } = fakeFetch(() => {
      const response = json({ items: [], next_cursor: null });
      response.headers.set('Hangar-Token-Expires-At', expiresAt);
      response.headers.set('Date', new Date(Date.now() + 2 * DAY_MS).toUTCString());
      return response;
    });
    const hangar = createHangarClient({
      baseUrl: 'http://api.test',
      token: validToken(),
      fetch,
      onTokenExpiry: (expiry) => heard.push(expiry),
    });
    await hangar.orgs.list();
    expect(heard).toHaveLength(1);
    const days = (heard[0]?.secondsLeft ?? 0) / 86_400;
    expect(days).toBeGreaterThan(5.99);
    expect(days).toBeLessThanOrEqual(6);
  });
});
