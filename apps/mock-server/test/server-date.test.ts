import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MockServer } from '../src/index.js';
import { admin, rawExchange, startServer } from './helpers.js';

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

  it('follows /_admin/clock on the 421 for a Host it does not serve and on a CORS preflight too', async () => {
    const moved = await admin(server, 'POST', '/clock', { advance_seconds: 7 * 24 * 3600 });
    const clockMs = Date.parse(String(moved.now));
    const { port } = new URL(server.url);
    const answer = (method: string, headers: Record<string, string>) =>
      new Promise<{ status: number; date: string }>((resolve, reject) => {
        const req = request(
          { host: '127.0.0.1', port, method, path: '/v1/viewer', headers },
          (res) => {
            res.resume();
            res.on('end', () =>
              resolve({ status: res.statusCode ?? 0, date: String(res.headers.date) }),
            );
          },
        );
        req.on('error', reject);
        req.end();
      });
    const misdirected = await answer('GET', { host: 'evil.example' });
    const preflight = await answer('OPTIONS', {
      origin: 'http://localhost:3000',
      'access-control-request-method': 'GET',
    });
    expect(misdirected.status).toBe(421);
    for (const [what, { date }] of Object.entries({ misdirected, preflight })) {
      expect(Date.parse(date), what).toBeGreaterThanOrEqual(Math.floor(clockMs / 1000) * 1000);
      expect(Date.parse(date), what).toBeLessThan(clockMs + 60_000);
    }
  });

  it('follows /_admin/clock on the raw 400 and 431 for requests Node cannot parse', async () => {
    const moved = await admin(server, 'POST', '/clock', { advance_seconds: 3 * 24 * 3600 });
    const clockMs = Date.parse(String(moved.now));
    const rawDate = async (request: string) =>
      /^date: (.*)$/m.exec((await rawExchange(server, request)).headers)?.[1]?.trim() ?? '';
    const bad = await rawDate('HELLO THERE\r\n\r\n');
    const tooLarge = await rawDate(
      `GET /v1/orgs HTTP/1.1\r\nHost: localhost\r\nX-Padding: ${'a'.repeat(20_000)}\r\n\r\n`,
    );
    for (const [what, date] of Object.entries({ bad, tooLarge })) {
      expect(Date.parse(date), what).toBeGreaterThanOrEqual(Math.floor(clockMs / 1000) * 1000);
      expect(Date.parse(date), what).toBeLessThan(clockMs + 60_000);
    }
  });
});
