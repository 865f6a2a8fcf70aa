import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { MockServer } from '../src/index.js';
import { admin, call, startServer, withServer } from './helpers.js';

const login = (server: MockServer, password: string) =>
  call(server, 'POST', '/v1/sessions', {
    token: null,
    body: { email: server.devUser.email, password },
  });

describe('rate limits', () => {
  let server: MockServer;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(() => server.close());
  afterEach(() => admin(server, 'POST', '/reset'));

  it('every answer carries RateLimit-Policy and RateLimit (draft-ietf-httpapi-ratelimit-headers-09)', async () => {
    const ok = await call(server, 'GET', '/v1/viewer');
    expect(ok.status).toBe(200);
    expect(ok.headers.get('ratelimit-policy')).toBe('"address";q=5000;w=60, "token";q=1000;w=60');
    expect(ok.headers.get('ratelimit')).toMatch(/^"address";r=\d+;t=\d+, "token";r=999;t=60$/);
    const refused = await call(server, 'GET', '/v1/viewer', { token: 'hangar_nope' });
    expect(refused.status).toBe(401);
    expect(refused.headers.get('ratelimit-policy')).toBe('"address";q=5000;w=60');
    const session = await login(server, server.devUser.password);
    expect(session.headers.get('ratelimit-policy')).toContain('"login-email";q=10;w=900');
    expect(session.headers.get('ratelimit-policy')).toContain('"login-address";q=50;w=900');
  });

  it('a guessing loop is stopped: after N failed logins even the right password is 429 until the window passes', async () => {
    await admin(server, 'PUT', '/rate-limits', { login_email: { quota: 3, window_seconds: 60 } });
    for (let i = 0; i < 3; i++) {
      expect((await login(server, `guess-${i}`)).status).toBe(401);
    }
    const right = await login(server, server.devUser.password);
    expect(right.status).toBe(429);
    expect(right.body.code).toBe('rate_limited');
    expect(right.body.detail).toMatch(/failed logins for this email/);
    const wait = Number(right.headers.get('retry-after'));
    expect(wait).toBeGreaterThanOrEqual(1);
    expect(wait).toBeLessThanOrEqual(60);
    expect(right.headers.get('ratelimit')).toMatch(/"login-email";r=0;t=\d+/);
    // Still locked one second before the window ends, open after it, on the admin clock.
    if (wait > 1) await admin(server, 'POST', '/clock', { advance_seconds: wait - 1 });
    expect((await login(server, server.devUser.password)).status).toBe(429);
    await admin(server, 'POST', '/clock', { advance_seconds: 1 });
    expect((await login(server, server.devUser.password)).status).toBe(201);
  });

  it('a known Idempotency-Key is no password oracle: wrong passwords with it are 401, counted, then 429', async () => {
    const keyed = (password: string) =>
      call(server, 'POST', '/v1/sessions', {
        token: null,
        key: 'login-known',
        body: { email: server.devUser.email, password },
      });
    expect((await keyed(server.devUser.password)).status).toBe(201);
    const statuses: number[] = [];
    for (let i = 1; i <= 12; i++) statuses.push((await keyed(`guess-${i}`)).status);
    // The default quota: 10 failed logins per email, then 429 (as without a key).
    expect(statuses).toEqual([...Array<number>(10).fill(401), 429, 429]);
  });

  it('after the Nth failed login, RateLimit reports quota - N login attempts left', async () => {
    for (let n = 1; n <= 3; n++) {
      const failed = await login(server, `guess-${n}`);
      expect(failed.status).toBe(401);
      expect(failed.headers.get('ratelimit')).toContain(`"login-email";r=${10 - n};`);
      expect(failed.headers.get('ratelimit')).toContain(`"login-address";r=${50 - n};`);
    }
    // A success is not counted: the next failure is the 4th.
    expect((await login(server, server.devUser.password)).status).toBe(201);
    const fourth = await login(server, 'guess-4');
    expect(fourth.headers.get('ratelimit')).toContain('"login-email";r=6;');
  });

  it('parallel failed logins cannot exceed the quota', async () => {
    await admin(server, 'PUT', '/rate-limits', { login_email: { quota: 3, window_seconds: 60 } });
    const answers = await Promise.all(
      Array.from({ length: 6 }, (_, i) => login(server, `parallel-${i}`)),
    );
    expect(answers.filter((a) => a.status === 401)).toHaveLength(3);
    expect(answers.filter((a) => a.status === 429)).toHaveLength(3);
  });

  it('successful logins do not use up the login quota', async () => {
    await admin(server, 'PUT', '/rate-limits', { login_email: { quota: 2, window_seconds: 60 } });
    for (let i = 0; i < 5; i++) {
      expect((await login(server, server.devUser.password)).status).toBe(201);
    }
  });

  it('failed logins from one address are limited across emails', async () => {
    await admin(server, 'PUT', '/rate-limits', {
      login_address: { quota: 2, window_seconds: 300 },
    });
    for (const email of ['a@x.test', 'b@x.test']) {
      const r = await call(server, 'POST', '/v1/sessions', {
        token: null,
        body: { email, password: 'nope' },
      });
      expect(r.status).toBe(401);
    }
    const third = await login(server, server.devUser.password);
    expect(third.status).toBe(429);
    expect(third.body.detail).toMatch(/failed logins from this address/);
  });

  it('a bounded concurrent load holds the per-token limit exactly, with Retry-After on each 429', async () => {
    await admin(server, 'PUT', '/rate-limits', { token: { quota: 20, window_seconds: 60 } });
    const answers = await Promise.all(
      Array.from({ length: 60 }, () => call(server, 'GET', '/v1/orgs')),
    );
    const ok = answers.filter((a) => a.status === 200);
    const limited = answers.filter((a) => a.status === 429);
    expect(ok).toHaveLength(20);
    expect(limited).toHaveLength(40);
    for (const a of limited) {
      expect(a.body.code).toBe('rate_limited');
      expect(Number(a.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(a.headers.get('ratelimit')).toMatch(/"token";r=0;t=\d+/);
    }
    await admin(server, 'POST', '/clock', { advance_seconds: 60 });
    expect((await call(server, 'GET', '/v1/orgs')).status).toBe(200);
  });

  it('the per-address limit counts requests with bad tokens too', async () => {
    await admin(server, 'PUT', '/rate-limits', { address: { quota: 5, window_seconds: 60 } });
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) {
      statuses.push(
        (await call(server, 'GET', '/v1/viewer', { token: `hangar_guess${i}` })).status,
      );
    }
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429, 429]);
  });

  it('/_admin/rate-limits reads and changes the limits, names a bad field, and reset restores them', async () => {
    const before = await admin(server, 'GET', '/rate-limits');
    expect(before).toEqual({
      enabled: true,
      token: { quota: 1000, window_seconds: 60 },
      address: { quota: 5000, window_seconds: 60 },
      login_email: { quota: 10, window_seconds: 900 },
      login_address: { quota: 50, window_seconds: 900 },
    });
    const changed = await admin(server, 'PUT', '/rate-limits', { enabled: false });
    expect(changed.enabled).toBe(false);
    expect((await call(server, 'GET', '/v1/viewer')).headers.get('ratelimit')).toBeNull();
    const bad = await fetch(`${server.url}/_admin/rate-limits`, {
      method: 'PUT',
      headers: { 'x-hangar-admin-key': server.adminKey, 'content-type': 'application/json' },
      body: JSON.stringify({ token: { quota: 0, window_seconds: 60 } }),
    });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { errors: unknown }).errors).toEqual([
      { field: 'body.token.quota', message: 'must be an integer from 1 to 1000000000' },
    ]);
    await admin(server, 'POST', '/reset');
    expect(await admin(server, 'GET', '/rate-limits')).toEqual(before);
  });
});

describe('rate limits off', () => {
  it('rateLimits: false (--no-rate-limit) sends no RateLimit headers and never answers 429', async () => {
    await withServer({ rateLimits: false }, async (server) => {
      for (let i = 0; i < 12; i++) expect((await login(server, 'wrong')).status).toBe(401);
      const ok = await call(server, 'GET', '/v1/viewer');
      expect(ok.headers.get('ratelimit-policy')).toBeNull();
    });
  });
});
