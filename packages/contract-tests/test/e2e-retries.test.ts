/**
 * The SDK's retries and timeouts end to end, against a real in-process hangar-mock whose fault
 * rules (openapi/hangar-admin.yaml, `createFault`) make the failures, and whose request journal
 * shows what the SDK sent. (Here rather than in packages/sdk: the mock server depends on the
 * SDK, so the SDK cannot depend on it.)
 */

import { type MockServer, startMockServer } from '@hangar/mock-server';
import { HangarTimeoutError, isHangarApiError } from '@hangar/sdk';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { e2eClients } from './e2e-helpers.js';

let server: MockServer;

beforeAll(async () => {
  server = await startMockServer({ port: 0, memory: true });
}, 60_000);
afterAll(() => server?.close());
beforeEach(() => e2eClients(server).admin.reset());

describe('SDK retries against hangar-mock', () => {
  it('waits out a 429 with Retry-After: 1 and succeeds', async () => {
    const { hangar, admin, waits } = e2eClients(server);
    await admin.faults.add({
      operation_id: 'listOrgs',
      status: 429,
      retry_after_seconds: 1,
      times: 1,
    });
    const page = await hangar.orgs.list();
    expect(page.items.map((org) => org.slug)).toContain('acme');
    expect(waits).toEqual([1000]);
    const sent = await admin.requests.list({ operationId: 'listOrgs' });
    expect(sent.map((entry) => entry.status)).toEqual([429, 200]);
  });

  it('retries a POST answered 503 once, with the same Idempotency-Key: two requests, one token', async () => {
    const { hangar, admin, attempts } = e2eClients(server);
    await admin.faults.add({ operation_id: 'createOrgToken', status: 503, times: 1 });
    const created = await hangar.tokens.createOrg('acme', { name: 'retried-503' });
    const sent = await admin.requests.list({ operationId: 'createOrgToken' });
    expect(sent.map((entry) => entry.status)).toEqual([503, 201]);
    expect(sent[0]?.idempotency_key).toMatch(/^[0-9a-f-]{36}$/);
    expect(sent[1]?.idempotency_key).toBe(sent[0]?.idempotency_key);
    expect(attempts.map((a) => [a.attempt, a.status])).toEqual([
      [1, 503],
      [2, 201],
    ]);
    const named = (await hangar.tokens.listOrg('acme', { limit: 100 })).items.filter(
      (token) => token.name === 'retried-503',
    );
    expect(named.map((token) => token.id)).toEqual([created.id]);
  });

  it('a timeout fires with the typed error when the server is slower than timeoutMs', async () => {
    const { hangar, admin } = e2eClients(server, { maxRetries: 0 });
    await admin.faults.add({ operation_id: 'getViewer', latency_ms: 3000, times: 1 });
    const error = await hangar
      .withOptions({ timeoutMs: 200 })
      .viewer.get()
      .catch((e) => e);
    expect(error).toBeInstanceOf(HangarTimeoutError);
    expect(isHangarApiError(error, 'timeout')).toBe(true);
    expect(error).toMatchObject({ status: 0, timeoutMs: 200 });
  });

  it('a timed-out GET is retried and the retry succeeds', async () => {
    const { hangar, admin } = e2eClients(server, { timeoutMs: 300 });
    await admin.faults.add({ operation_id: 'getViewer', latency_ms: 3000, times: 1 });
    await expect(hangar.viewer.get()).resolves.toMatchObject({
      user: { email: server.devUser.email },
    });
  });

  it('does not retry a POST sent without an Idempotency-Key when the connection drops', async () => {
    const { hangar, admin } = e2eClients(server);
    await admin.faults.add({ operation_id: 'createApp', drop: 'before', times: 1 });
    const error = await hangar
      .withOptions({ idempotencyKey: null })
      .apps.create('acme', 'no-key-app')
      .catch((e) => e);
    expect(isHangarApiError(error, 'network_error')).toBe(true);
    const sent = await admin.requests.list({ operationId: 'createApp' });
    expect(sent.map((entry) => [entry.status, entry.idempotency_key])).toEqual([[null, null]]);
  });

  it('retries a dropped GET (safe to repeat) and succeeds', async () => {
    const { hangar, admin } = e2eClients(server);
    await admin.faults.add({ operation_id: 'getOrg', drop: 'before', times: 1 });
    await expect(hangar.orgs.get('acme')).resolves.toMatchObject({ slug: 'acme' });
    expect(await admin.requests.count({ operationId: 'getOrg' })).toBe(2);
  });
});
