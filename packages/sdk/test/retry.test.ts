import { describe, expect, it } from 'vitest';
import {
  backoffDelayMs,
  createHangarClient,
  type HangarClientOptions,
  HangarTimeoutError,
  isHangarApiError,
  MAX_TIMER_MS,
  parseRetryAfter,
  type RequestLogEntry,
} from '../src/index.js';
import { fakeFetch, json, problem, rejection, validToken } from './fake-fetch.js';

const baseUrl = 'http://hangar.test';
const token = validToken();
const created = {
  id: 'tok_0123456789abcdef0123456789abcdef',
  name: 'ci',
  kind: 'org',
  org: 'acme',
  app: null,
  created_by: 'dev@hangar.local',
  created_at: '2026-11-30T08:00:00Z',
  expires_at: '2046-11-30T08:00:00Z',
  last_used_at: null,
  revoked_at: null,
  status: 'active',
  token: 'hangar_x',
};

/** A client whose waits are recorded instead of slept, with jitter fixed at `random`. */
function client(
  fetch: (request: Request) => Promise<Response>,
  options: Partial<HangarClientOptions> = {},
) {
  const waits: number[] = [];
  const entries: RequestLogEntry[] = [];
  const hangar = createHangarClient({
    baseUrl,
    token,
    fetch,
    sleep: async (ms) => {
      waits.push(ms);
    },
    random: () => 0.5,
    logger: (entry) => entries.push(entry),
    ...options,
  });
  return { hangar, waits, entries };
}

/** Answers `responses` in order, then the last one again. */
function sequence(...responses: (() => Response | Promise<Response>)[]) {
  let i = 0;
  return fakeFetch(() => (responses[Math.min(i++, responses.length - 1)] as () => Response)());
}

const refused = () => {
  throw new TypeError('fetch failed', { cause: new Error('connect ECONNREFUSED') });
};
const unavailable = (headers: Record<string, string> = {}) => {
  const response = problem(503, 'unavailable', 'try later');
  for (const [name, value] of Object.entries(headers)) response.headers.set(name, value);
  return response;
};

describe('what is retried', () => {
  it.each([429, 502, 503, 504])('retries a GET answered %i, then succeeds', async (status) => {
    const { fetch, calls } = sequence(
      () => problem(status, 'rate_limited', 'slow down'),
      () => json({ slug: 'acme' }),
    );
    const { hangar } = client(fetch);
    await expect(hangar.orgs.get('acme')).resolves.toEqual({ slug: 'acme' });
    expect(calls).toHaveLength(2);
  });

  it.each([400, 401, 403, 404, 409, 500])('does not retry a GET answered %i', async (status) => {
    const { fetch, calls } = fakeFetch(() => problem(status, 'not_found', 'no'));
    const { hangar } = client(fetch);
    await rejection(hangar.orgs.get('acme'));
    expect(calls).toHaveLength(1);
  });

  it('retries a network error, and gives up after maxRetries (default 2) with network_error', async () => {
    const { fetch, calls } = fakeFetch(refused);
    const { hangar, waits } = client(fetch);
    const error = await rejection(hangar.viewer.get());
    expect(error).toMatchObject({ code: 'network_error', status: 0 });
    expect(error.message).toContain('ECONNREFUSED');
    expect(calls).toHaveLength(3);
    // Full jitter with random() = 0.5: half of 500 ms, then half of 1000 ms.
    expect(waits).toEqual([250, 500]);
  });

  it('maxRetries: 0 turns retrying off; the last answer is returned as the error', async () => {
    const { fetch, calls } = fakeFetch(() => unavailable());
    const { hangar } = client(fetch, { maxRetries: 0 });
    expect(await rejection(hangar.viewer.get())).toMatchObject({ status: 503 });
    expect(calls).toHaveLength(1);
  });

  it('maxRetries per call overrides the client', async () => {
    const { fetch, calls } = fakeFetch(() => unavailable());
    const { hangar } = client(fetch, { maxRetries: 0 });
    await rejection(hangar.withOptions({ maxRetries: 4 }).viewer.get());
    expect(calls).toHaveLength(5);
  });
});

describe('Idempotency-Key', () => {
  it('sends one generated key per call, the same on every attempt of a POST, and retries it', async () => {
    const { fetch, calls } = sequence(
      refused,
      () => unavailable(),
      () => json(created, 201),
    );
    const { hangar } = client(fetch);
    await expect(hangar.tokens.createOrg('acme', { name: 'ci' })).resolves.toMatchObject({
      id: created.id,
    });
    const keys = calls.map((c) => c.headers.get('Idempotency-Key'));
    expect(keys).toHaveLength(3);
    expect(keys[0]).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    expect(new Set(keys).size).toBe(1);
    // Every attempt sends the same body.
    const bodies = await Promise.all(calls.map((c) => c.text()));
    expect(new Set(bodies)).toEqual(new Set(['{"name":"ci"}']));
  });

  it('gives each call its own key', async () => {
    const { fetch, calls } = fakeFetch(() => json(created, 201));
    const { hangar } = client(fetch);
    await hangar.tokens.createOrg('acme');
    await hangar.tokens.createOrg('acme');
    const [first, second] = calls.map((c) => c.headers.get('Idempotency-Key'));
    expect(first).not.toBe(second);
  });

  it('sends a key on DELETE, none on GET', async () => {
    const { fetch, calls } = fakeFetch((r) =>
      r.method === 'GET' ? json({ slug: 'acme' }) : json(created),
    );
    const { hangar } = client(fetch);
    await hangar.orgs.get('acme');
    await hangar.tokens.revoke(created.id);
    expect(calls.map((c) => c.headers.has('Idempotency-Key'))).toEqual([false, true]);
  });

  it('sends the caller key given per call on every attempt', async () => {
    const { fetch, calls } = sequence(
      () => unavailable(),
      () => json(created, 201),
    );
    const { hangar } = client(fetch);
    await hangar.withOptions({ idempotencyKey: 'ci-run-42-create' }).tokens.createOrg('acme');
    expect(calls.map((c) => c.headers.get('Idempotency-Key'))).toEqual([
      'ci-run-42-create',
      'ci-run-42-create',
    ]);
  });

  it('keeps a key a raw call sets in its headers', async () => {
    const { fetch, calls } = fakeFetch(() => json(created, 201));
    const { hangar } = client(fetch);
    await hangar.raw.POST('/v1/orgs/{org}/tokens/org', {
      params: { path: { org: 'acme' } },
      body: {},
      headers: { 'Idempotency-Key': 'raw-key' },
    });
    expect(calls[0]?.headers.get('Idempotency-Key')).toBe('raw-key');
  });

  it('never retries a POST sent without a key (idempotencyKey: null)', async () => {
    for (const answer of [refused, () => unavailable()]) {
      const { fetch, calls } = fakeFetch(answer);
      const { hangar, entries } = client(fetch);
      await rejection(hangar.withOptions({ idempotencyKey: null }).tokens.createOrg('acme'));
      expect(calls).toHaveLength(1);
      expect(calls[0]?.headers.has('Idempotency-Key')).toBe(false);
      expect(entries[0]?.retryInMs).toBeUndefined();
    }
  });
});

describe('Retry-After', () => {
  it('waits the seconds Retry-After gives instead of the backoff', async () => {
    const { fetch } = sequence(
      () => problem(429, 'rate_limited', 'slow down', {}),
      () => json({ slug: 'acme' }),
    );
    const limited = fetch;
    const { hangar, waits } = client(async (request) => {
      const response = await limited(request);
      if (response.status === 429) response.headers.set('Retry-After', '3');
      return response;
    });
    await hangar.orgs.get('acme');
    expect(waits).toEqual([3000]);
  });

  it('reads an HTTP-date (RFC 9110 section 10.2.3)', async () => {
    const at = new Date(Date.now() + 10_000).toUTCString();
    const { fetch } = sequence(
      () => unavailable({ 'Retry-After': at }),
      () => json({}),
    );
    const { hangar, waits } = client(fetch);
    await hangar.orgs.get('acme');
    expect(waits).toHaveLength(1);
    expect(waits[0]).toBeGreaterThan(8_000);
    expect(waits[0]).toBeLessThanOrEqual(10_000);
  });

  it('does not wait out a Retry-After over 60 s: the answer is returned', async () => {
    const { fetch, calls } = fakeFetch(() => unavailable({ 'Retry-After': '3600' }));
    const { hangar, waits } = client(fetch);
    expect(await rejection(hangar.orgs.get('acme'))).toMatchObject({ status: 503 });
    expect([calls.length, waits]).toEqual([1, []]);
  });

  it('maxRetryAfterMs lowers the longest Retry-After waited out', async () => {
    const { fetch, calls } = fakeFetch(() => unavailable({ 'Retry-After': '5' }));
    const { hangar, waits } = client(fetch, { maxRetryAfterMs: 1000 });
    expect(await rejection(hangar.orgs.get('acme'))).toMatchObject({ status: 503 });
    expect([calls.length, waits]).toEqual([1, []]);
  });

  it('parseRetryAfter takes seconds and dates, and nothing else', () => {
    const now = Date.parse('2026-12-02T08:00:00Z');
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter(' 0 ', now)).toBe(0);
    expect(parseRetryAfter('Wed, 02 Dec 2026 08:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('Wed, 02 Dec 2026 07:00:00 GMT', now)).toBe(0);
    for (const bad of ['-1', '1.5', 'soon', '', '2026-12-02']) {
      expect(parseRetryAfter(bad, now)).toBeUndefined();
    }
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });

  it('backoff is full jitter under an exponential cap of 8 s', () => {
    expect([1, 2, 3, 4, 5, 6, 10].map((n) => backoffDelayMs(n, () => 0.999999))).toEqual([
      499, 999, 1999, 3999, 7999, 7999, 7999,
    ]);
    expect(backoffDelayMs(3, () => 0)).toBe(0);
  });
});

describe('timeouts and signals', () => {
  /** A fetch that never answers (and ignores the signal, as a careless double would). */
  const hanging = () => fakeFetch(() => new Promise<Response>(() => undefined));

  it('a timeout throws HangarTimeoutError (code timeout) after the retries', async () => {
    const { fetch, calls } = hanging();
    const { hangar, entries } = client(fetch, { timeoutMs: 20 });
    const error = await rejection(hangar.orgs.get('acme'));
    expect(error).toBeInstanceOf(HangarTimeoutError);
    expect(isHangarApiError(error, 'timeout')).toBe(true);
    expect(error).toMatchObject({ code: 'timeout', status: 0, timeoutMs: 20 });
    expect(error.message).toContain('within 20 ms (3 attempts)');
    expect(calls).toHaveLength(3);
    expect(entries.map((e) => e.error)).toEqual(['timeout', 'timeout', 'timeout']);
  });

  it('timeoutMs per call overrides the client default', async () => {
    const { fetch } = hanging();
    const { hangar } = client(fetch, { maxRetries: 0 });
    const error = await rejection(hangar.withOptions({ timeoutMs: 15 }).orgs.get('acme'));
    expect(error).toMatchObject({ code: 'timeout', timeoutMs: 15 });
  });

  it('a per-call signal aborts the call with aborted, not retried', async () => {
    const controller = new AbortController();
    // Aborted while the first attempt is in flight.
    const { fetch, calls } = fakeFetch(() => {
      setTimeout(() => controller.abort(), 5);
      return new Promise<Response>(() => undefined);
    });
    const { hangar } = client(fetch);
    const pending = rejection(hangar.withOptions({ signal: controller.signal }).orgs.get('acme'));
    expect(await pending).toMatchObject({ code: 'aborted', status: 0 });
    expect(calls).toHaveLength(1);
  });

  it('a client signal aborts a wait between attempts', async () => {
    const controller = new AbortController();
    const { fetch, calls } = fakeFetch(() => unavailable());
    const hangar = createHangarClient({
      baseUrl,
      token,
      fetch,
      signal: controller.signal,
      sleep: (_ms, signal) =>
        new Promise((_, reject) => {
          signal?.addEventListener('abort', () => reject(signal.reason));
          controller.abort();
        }),
    });
    expect(await rejection(hangar.orgs.get('acme'))).toMatchObject({ code: 'aborted' });
    expect(calls).toHaveLength(1);
  });

  it('an already aborted signal sends nothing', async () => {
    const { fetch, calls } = fakeFetch(() => json({}));
    const { hangar } = client(fetch, { signal: AbortSignal.abort() });
    expect(await rejection(hangar.orgs.get('acme'))).toMatchObject({ code: 'aborted' });
    expect(calls).toHaveLength(0);
  });
});

describe('logger', () => {
  it('a logger that throws does not turn the answer into an error, nor repeat the call', async () => {
    const { fetch, calls } = fakeFetch(() => json(created, 201));
    const hangar = createHangarClient({
      baseUrl,
      token,
      fetch,
      logger: () => {
        throw new Error('disk full');
      },
    });
    // Before: network_error "could not reach ...: disk full", though the token was created.
    await expect(hangar.tokens.createOrg('acme')).resolves.toMatchObject({ id: created.id });
    expect(calls).toHaveLength(1);
  });

  it('hears every attempt with its number, status or error and the wait, never the token', async () => {
    const { fetch } = sequence(
      refused,
      () => unavailable(),
      () => json(created, 201),
    );
    const { hangar, entries } = client(fetch);
    await hangar.tokens.createOrg('acme');
    expect(entries).toEqual([
      expect.objectContaining({ attempt: 1, status: 0, error: 'network_error', retryInMs: 250 }),
      expect.objectContaining({ attempt: 2, status: 503, retryInMs: 500 }),
      expect.objectContaining({ attempt: 3, status: 201, method: 'POST' }),
    ]);
    expect(entries[2]).not.toHaveProperty('retryInMs');
    expect(entries.every((e) => e.path === '/v1/orgs/acme/tokens/org')).toBe(true);
    expect(JSON.stringify(entries)).not.toContain(token);
  });
});

describe('limits no timer can honour are refused when the client is made', () => {
  const { fetch } = fakeFetch(() => json({}));
  it.each([
    [
      { timeoutMs: 3e9 },
      /timeoutMs must be milliseconds above 0 and at most 2147483647.*got 3000000000/,
    ],
    [{ timeoutMs: 0 }, /timeoutMs .* got 0/],
    [{ timeoutMs: Number.NaN }, /timeoutMs .* got NaN/],
    [{ maxRetryAfterMs: 3e9 }, /maxRetryAfterMs must be milliseconds from 0 to 2147483647/],
    [{ maxRetries: -1 }, /maxRetries must be a whole number from 0/],
    [{ maxRetries: 1.5 }, /maxRetries .* got 1.5/],
    // From JavaScript (a value read from an environment variable): a string is not a number,
    // and the message says it was a string. Before, "5000" was taken as 5000 ms.
    [{ timeoutMs: '5000' as unknown as number }, /timeoutMs .*; got "5000" \(a string\)$/],
    [{ maxRetryAfterMs: '0' as unknown as number }, /maxRetryAfterMs .*; got "0" \(a string\)$/],
    [{ maxRetries: '3' as unknown as number }, /maxRetries .*; got "3" \(a string\)$/],
  ])('%o', (options, message) => {
    expect(() => createHangarClient({ baseUrl, token, fetch, ...options })).toThrow(RangeError);
    expect(() => createHangarClient({ baseUrl, token, fetch, ...options })).toThrow(message);
  });

  it('withOptions refuses them too, and the largest limit is taken', () => {
    const hangar = createHangarClient({ baseUrl, token, fetch, timeoutMs: MAX_TIMER_MS });
    expect(() => hangar.withOptions({ timeoutMs: 2 ** 31 })).toThrow(/timeoutMs/);
    expect(() => hangar.withOptions({ maxRetries: Number.POSITIVE_INFINITY })).toThrow(
      /maxRetries/,
    );
    expect(() => hangar.withOptions({ timeoutMs: 1, maxRetries: 0 })).not.toThrow();
  });
});
