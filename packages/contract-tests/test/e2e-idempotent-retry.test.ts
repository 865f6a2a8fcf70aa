/**
 * The key test of safe retries (issue 16): a connection dropped AFTER createOrgToken committed,
 * retried by the SDK with its Idempotency-Key, yields exactly one token, and the server answers
 * the same token string for that key every time. Needs the server's Idempotency-Key handling;
 * without it the retry mints a second token and this test fails.
 */
import { type MockServer, startMockServer } from '@hangar/mock-server';
import { createHangarClient } from '@hangar/sdk';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { e2eClients } from './e2e-helpers.js';

let server: MockServer;

beforeAll(async () => {
  server = await startMockServer({ port: 0, memory: true });
}, 60_000);
afterAll(() => server?.close());

it('a createOrgToken dropped after commit and retried yields one token, the same string each time', async () => {
  const { hangar, admin } = e2eClients(server);
  await admin.reset();
  await admin.faults.add({ operation_id: 'createOrgToken', drop: 'after', times: 1 });
  const key = `ci-run-${Date.now()}`;
  const once = hangar.withOptions({ idempotencyKey: key });
  const created = await once.tokens.createOrg('acme', { name: 'dropped-after-commit' });

  const sent = await admin.requests.list({ operationId: 'createOrgToken' });
  expect(sent.map((entry) => [entry.status, entry.idempotency_key])).toEqual([
    [null, key],
    [201, key],
  ]);
  const named = (await hangar.tokens.listOrg('acme', { limit: 100 })).items.filter(
    (token) => token.name === 'dropped-after-commit',
  );
  expect(named.map((token) => token.id)).toEqual([created.id]);
  // The same key and body again: the same token string, still one token.
  const again = await once.tokens.createOrg('acme', { name: 'dropped-after-commit' });
  expect(again.token).toBe(created.token);
  expect(again.id).toBe(created.id);
  const viewer = await createHangarClient({
    baseUrl: server.url,
    token: created.token,
  }).viewer.get();
  expect(viewer.token.id).toBe(created.id);
});
