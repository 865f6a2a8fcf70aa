/**
 * Fault rules and the request journal (openapi/hangar-admin.yaml, tags `faults` and `journal`),
 * through the SDK's admin client and an SDK client with retries off, so each fault is seen as
 * the client sees it.
 */
import { createHangarClient, type HangarClient } from '@hangar/sdk';
import { type AdminClient, createAdminClient } from '@hangar/sdk/admin';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { parseLatency } from '../src/cli.js';
import { pathPattern } from '../src/faults.js';
import type { MockServer } from '../src/index.js';
import { expectProblem, http, startServer, withServer } from './helpers.js';

let server: MockServer;
let admin: AdminClient;
let hangar: HangarClient;

beforeAll(async () => {
  server = await startServer();
  admin = createAdminClient({ baseUrl: server.url, adminKey: server.adminKey });
  hangar = createHangarClient({ baseUrl: server.url, token: server.devToken, maxRetries: 0 });
}, 60_000);
afterAll(() => server?.close());
beforeEach(() => admin.reset());

describe('fault rules', () => {
  it('answers a status with Retry-After and a problem body, `times` times, then passes', async () => {
    const fault = await admin.faults.add({
      operation_id: 'listOrgs',
      status: 503,
      retry_after_seconds: 7,
      times: 1,
    });
    expect(fault).toMatchObject({ id: expect.stringMatching(/^flt_/), fired: 0, remaining: 1 });
    const response = await fetch(`${server.url}/v1/orgs`);
    expect([response.status, response.headers.get('retry-after')]).toEqual([503, '7']);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    expect(await response.json()).toMatchObject({ status: 503, code: 'injected_fault' });
    await expect(hangar.orgs.list()).resolves.toMatchObject({ items: expect.any(Array) });
    expect(await admin.faults.list()).toMatchObject([{ id: fault.id, fired: 1, remaining: 0 }]);
  });

  it('429 defaults to code rate_limited; a rule matches only its method and path', async () => {
    await admin.faults.add({ method: 'GET', path: '/v1/orgs/*', status: 429 });
    await expectProblem(hangar.orgs.get('acme'), 429, 'rate_limited');
    const response = await fetch(`${server.url}/v1/orgs/acme`, {
      headers: { authorization: `Bearer ${server.devToken}` },
    });
    expect(((await response.json()) as { code: string }).code).toBe('rate_limited');
    // Another path, and the same path's other operations, are untouched.
    await expect(hangar.orgs.list()).resolves.toBeDefined();
    await expect(hangar.apps.list('acme')).resolves.toBeDefined();
  });

  it('drop before: the connection closes and the operation never runs', async () => {
    await admin.faults.add({ operation_id: 'createApp', drop: 'before', times: 1 });
    await expectProblem(hangar.apps.create('acme', 'never-made'), 0, 'network_error');
    await expectProblem(hangar.apps.get('never-made'), 404, 'not_found');
  });

  it('drop after: the operation commits, the answer is discarded', async () => {
    const fault = await admin.faults.add({ operation_id: 'createApp', drop: 'after', times: 1 });
    await expectProblem(hangar.apps.create('acme', 'made-anyway'), 0, 'network_error');
    await expect(hangar.apps.get('made-anyway')).resolves.toMatchObject({ name: 'made-anyway' });
    const [entry] = await admin.requests.list({ operationId: 'createApp' });
    expect(entry).toMatchObject({
      status: null,
      fault_id: fault.id,
      body: { name: 'made-anyway' },
    });
  });

  it('adds latency, then runs the operation', async () => {
    await admin.faults.add({ operation_id: 'getViewer', latency_ms: 300 });
    const started = performance.now();
    await expect(hangar.viewer.get()).resolves.toBeDefined();
    expect(performance.now() - started).toBeGreaterThanOrEqual(290);
    const [entry] = await admin.requests.list({ operationId: 'getViewer' });
    expect(entry?.duration_ms).toBeGreaterThanOrEqual(290);
  });

  it('a seeded probability fires on the same requests every time', async () => {
    const pattern = async () => {
      await admin.faults.clear();
      await admin.faults.add({ operation_id: 'listOrgs', status: 500, probability: 0.5, seed: 7 });
      const statuses: number[] = [];
      for (let i = 0; i < 16; i++) statuses.push((await fetch(`${server.url}/v1/orgs`)).status);
      return statuses;
    };
    const first = await pattern();
    expect(await pattern()).toEqual(first);
    expect(first.filter((s) => s === 500).length).toBeGreaterThan(0);
    expect(first.filter((s) => s !== 500).length).toBeGreaterThan(0);
  });

  it('refuses a bad rule with 400 naming each field; delete, clear and reset remove rules', async () => {
    const bad = await http(server, 'POST', '/_admin/faults', {
      headers: { 'x-hangar-admin-key': server.adminKey, 'content-type': 'application/json' },
      body: JSON.stringify({ operation_id: 'noSuchOperation', status: 200, probability: 2 }),
    });
    expect(bad.status).toBe(400);
    expect((bad.body.errors as { field: string }[]).map((e) => e.field)).toEqual([
      'body.operation_id',
      'body.status',
      'body.probability',
    ]);
    const nothing = await http(server, 'POST', '/_admin/faults', {
      headers: { 'x-hangar-admin-key': server.adminKey, 'content-type': 'application/json' },
      body: JSON.stringify({ operation_id: 'listOrgs' }),
    });
    expect(nothing.status).toBe(400);
    const one = await admin.faults.add({ operation_id: 'listOrgs', latency_ms: 1 });
    await admin.faults.add({ operation_id: 'getOrg', latency_ms: 1 });
    await expect(admin.faults.delete(one.id)).resolves.toMatchObject({ id: one.id });
    await expectProblem(admin.faults.delete(one.id), 404, 'not_found');
    expect(await admin.faults.clear()).toBe(1);
    await admin.faults.add({ operation_id: 'getOrg', status: 500 });
    await admin.reset();
    expect(await admin.faults.list()).toEqual([]);
  });

  it('refuses a path no request could match with 400 naming body.path, and adds nothing', async () => {
    const post = (body: unknown) =>
      http(server, 'POST', '/_admin/faults', {
        headers: { 'x-hangar-admin-key': server.adminKey, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    for (const [path, says] of [
      ['/_admin/**', /under \/v1/],
      ['/openapi.yaml', /under \/v1/],
      ['/v1/**/tokens', /\*\* only as the whole last segment/],
      ['/v1/orgs/ac*/apps', /only as a whole segment/],
    ] as const) {
      const refused = await post({ path, status: 503 });
      expect(refused.status, path).toBe(400);
      const errors = refused.body.errors as { field: string; message: string }[];
      expect(errors.map((e) => e.field)).toEqual(['body.path']);
      expect(errors[0]?.message).toMatch(says);
    }
    expect(await admin.faults.list()).toEqual([]);
    // Still accepted: a final **, whole-segment wildcards, and ** for everything.
    for (const path of ['/v1/apps/**', '/v1/orgs/{org}/tokens/*', '/**', '/*/orgs']) {
      expect((await post({ path, status: 503 })).status, path).toBe(201);
    }
    await admin.faults.clear();
    await admin.faults.add({ path: '/*/orgs', method: 'GET', status: 503 });
    const fired = await fetch(`${server.url}/v1/orgs`);
    expect(fired.status).toBe(503);
    expect(await fired.json()).toMatchObject({ code: 'injected_fault' });
  });
});

describe('reset while a request waits', () => {
  it('drops a request still waiting on a latency fault: its operation never runs', async () => {
    await admin.faults.add({ operation_id: 'createOrgToken', latency_ms: 300 });
    const inFlight = hangar.tokens.createOrg('acme', { expiresIn: '1h' });
    await vi.waitFor(async () => expect(await admin.faults.list()).toMatchObject([{ fired: 1 }]));
    await admin.reset();
    await expect(inFlight).rejects.toThrow();
    await expect(hangar.tokens.listOrg('acme')).resolves.toMatchObject({ items: [] });
  });

  it('lets it run when only the fault rules are cleared', async () => {
    await admin.faults.add({ operation_id: 'createOrgToken', latency_ms: 300 });
    const inFlight = hangar.tokens.createOrg('acme', { expiresIn: '1h' });
    await vi.waitFor(async () => expect(await admin.faults.list()).toMatchObject([{ fired: 1 }]));
    await admin.faults.clear();
    const created = await inFlight;
    expect((await hangar.tokens.listOrg('acme')).items.map((t) => t.id)).toEqual([created.id]);
  });
});

describe('request journal', () => {
  const FILTERS = 'operation_id, status, token_id, since';
  it.each([
    ['/_admin/requests?method=POST', 'query.method', expect.stringContaining(FILTERS)],
    ['/_admin/requests/count?path=/v1/orgs', 'query.path', expect.stringContaining(FILTERS)],
    ['/_admin/requests/count?limit=5', 'query.limit', expect.stringContaining(FILTERS)],
    // An operation that does not exist would count 0 and pass a "never called" assertion.
    [
      '/_admin/requests?operation_id=listOrg',
      'query.operation_id',
      'must be an operationId of hangar.yaml',
    ],
    [
      '/_admin/requests/count?operation_id=createOrgTokens',
      'query.operation_id',
      'must be an operationId of hangar.yaml',
    ],
  ])(
    'refuses a filter it does not know, or an operation that is none (%s): 400 naming it, never every entry or 0',
    async (path, field, message) => {
      await hangar.orgs.list();
      const answer = await http(server, 'GET', path, {
        headers: { 'x-hangar-admin-key': server.adminKey },
      });
      expect(answer.status).toBe(400);
      expect(answer.body).toMatchObject({
        code: 'validation_failed',
        errors: [{ field, message }],
      });
    },
  );

  it.each([
    ['resetServer', () => admin.reset()],
    ['clearRequests', () => admin.requests.clear()],
  ])('a request in flight during %s is not recorded after it', async (_name, clear) => {
    // The server holds getViewer until it is cleared; the test waits on the fault's `fired`.
    await admin.faults.add({ operation_id: 'getViewer', latency_ms: 300 });
    const inFlight = fetch(`${server.url}/v1/viewer`, {
      headers: { authorization: `Bearer ${server.devToken}` },
    });
    await vi.waitFor(async () => expect(await admin.faults.list()).toMatchObject([{ fired: 1 }]));
    await clear();
    // clearRequests lets it answer; resetServer drops it (see "reset while a request waits").
    await inFlight.catch(() => undefined);
    await expect(admin.requests.count()).resolves.toBe(0);
    await hangar.orgs.list();
    expect((await admin.requests.list()).map((e) => e.operation_id)).toEqual(['listOrgs']);
  });

  it('records operation, status, token, request id and redacted bodies, never a secret', async () => {
    const viewer = await hangar.viewer.get();
    await fetch(`${server.url}/v1/orgs`, {
      headers: { authorization: `Bearer ${server.devToken}` },
    });
    const session = await hangar.sessions.create(server.devUser.email, server.devUser.password);
    // A token pasted where a name goes is redacted too.
    await hangar.apps.create('acme', server.devToken).catch(() => undefined);
    const entries = await admin.requests.list();
    expect(entries.map((e) => [e.operation_id, e.status])).toEqual([
      ['getViewer', 200],
      ['listOrgs', 200],
      ['createSession', 201],
      ['createApp', 400],
    ]);
    expect(entries[1]).toMatchObject({
      method: 'GET',
      path: '/v1/orgs',
      token_id: viewer.token.id,
      request_id: expect.stringMatching(/^req_[0-9a-f]{24}$/),
      fault_id: null,
      body: null,
    });
    expect(entries[2]?.body).toEqual({ email: server.devUser.email, password: '[redacted]' });
    expect(entries[3]?.body).toEqual({ name: 'hangar_[redacted]' });
    const text = JSON.stringify(entries);
    for (const secret of [server.devToken, server.devUser.password, session.token]) {
      expect(text).not.toContain(secret);
    }
  });

  it('filters by operation, status, token and time; counts; clears', async () => {
    await hangar.orgs.list();
    await hangar.orgs.get('nope').catch(() => undefined);
    // The server clock moves a minute on, so the three requests below are the only ones at or
    // after `start` (a wall-clock reading taken here could fall within the last request's ms).
    const start = new Date(await admin.advance(60));
    await hangar.orgs.get('acme');
    await fetch(`${server.url}/v1/orgs`); // no token: 401
    const viewer = await hangar.viewer.get();
    expect(await admin.requests.count({ operationId: 'getOrg' })).toBe(2);
    expect(await admin.requests.count({ status: 404 })).toBe(1);
    expect(await admin.requests.count({ status: 401 })).toBe(1);
    expect(await admin.requests.count({ tokenId: viewer.token.id })).toBe(4);
    expect(await admin.requests.count({ operationId: 'listOrgs', tokenId: viewer.token.id })).toBe(
      1,
    );
    const since = await admin.requests.list({ since: start });
    expect(since.map((e) => e.operation_id)).toEqual(['getOrg', 'listOrgs', 'getViewer']);
    const newest = await admin.requests.list({ limit: 2 });
    expect(newest.map((e) => e.operation_id)).toEqual(['listOrgs', 'getViewer']);
    expect(await admin.requests.clear()).toBe(5);
    expect(await admin.requests.count()).toBe(0);
  });

  it('refuses bad filters with 400 naming them', async () => {
    const bad = await http(server, 'GET', '/_admin/requests?status=abc&since=yesterday&limit=0', {
      headers: { 'x-hangar-admin-key': server.adminKey },
    });
    expect(bad.status).toBe(400);
    expect((bad.body.errors as { field: string }[]).map((e) => e.field).sort()).toEqual([
      'query.limit',
      'query.since',
      'query.status',
    ]);
  });
});

describe('server-wide latency', () => {
  it('latencyMs delays every /v1 operation', async () => {
    await withServer({ latencyMs: 250 }, async (slow) => {
      const started = performance.now();
      const response = await fetch(`${slow.url}/v1/orgs`);
      expect(response.status).toBe(401);
      expect(performance.now() - started).toBeGreaterThanOrEqual(240);
    });
  }, 60_000);

  it('--latency takes 50ms, 1.5s or milliseconds', () => {
    expect([parseLatency('50ms'), parseLatency('1.5s'), parseLatency('20')]).toEqual([
      50, 1500, 20,
    ]);
    for (const bad of ['fast', '601s', '5m']) {
      expect(() => parseLatency(bad)).toThrow(/--latency must be a duration/);
    }
    expect(() => parseLatency('-5ms')).toThrow(
      '--latency must be 0 or more, e.g. 50ms, got "-5ms"',
    );
  });

  it('path patterns: * and {name} are one segment, a final ** any rest', () => {
    expect(pathPattern('/v1/orgs/*/tokens/org').test('/v1/orgs/acme/tokens/org')).toBe(true);
    expect(pathPattern('/v1/orgs/{org}').test('/v1/orgs/acme/apps')).toBe(false);
    expect(pathPattern('/v1/apps/**').test('/v1/apps/a/machines/m/start')).toBe(true);
    expect(pathPattern('/v1/orgs.x').test('/v1/orgsax')).toBe(false);
  });
});
