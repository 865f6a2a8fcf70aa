import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MockServer } from '../src/index.js';
import { admin, startServer } from './helpers.js';

describe('the Date header is the server clock (RFC 9110 section 6.6.1)', () => {
  let server: MockServer;
  beforeAll(async () => {
    server = await startServer();
  }, 60_000);
  afterAll(() => server.close());

  it('follows /_admin/clock on API answers, problems and unknown paths alike', async () => {
    const moved = await admin(server, 'POST', '/clock', { advance_seconds: 30 * 24 * 3600 });
    const clockMs = Date.parse(String(moved.now));
    for (const path of ['/v1/viewer', '/v1/orgs/nope', '/nowhere']) {
      const response = await fetch(`${server.url}${path}`, {
        headers: { authorization: `Bearer ${server.devToken}` },
      });
      const date = Date.parse(response.headers.get('date') ?? '');
      // Whole seconds; the server clock runs on in real time between the two reads.
      expect(date, path).toBeGreaterThanOrEqual(Math.floor(clockMs / 1000) * 1000);
      expect(date, path).toBeLessThan(clockMs + 60_000);
    }
  });
});
