/**
 * A token rotating itself (rotateCurrentToken, grace 0) whose answer is lost after the commit:
 * the SDK's automatic retry with the same Idempotency-Key and the same (now rotated-away) token
 * must get the stored answer replayed, not 401 `token_rotated`, or the new token is lost for
 * good (the server keeps no secret to show it again).
 */
import { type MockServer, startMockServer } from '@hangar/mock-server';
import { createHangarClient, HangarApiError } from '@hangar/sdk';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { e2eClients } from './e2e-helpers.js';

let server: MockServer;

beforeAll(async () => {
  server = await startMockServer({ port: 0, memory: true });
}, 60_000);
afterAll(() => server?.close());

it('a rotateCurrentToken dropped after commit and retried by the SDK yields a working new token, one rotation', async () => {
  const { hangar: dev, admin } = e2eClients(server);
  await admin.reset();
  const old = await dev.tokens.createOrg('acme', { name: 'ci-self-rotating' });
  await admin.faults.add({ operation_id: 'rotateCurrentToken', drop: 'after', times: 1 });
  const key = `rotate-${Date.now()}`;
  const { hangar: ci } = e2eClients(server, { token: old.token });
  const fresh = await ci.withOptions({ idempotencyKey: key }).tokens.rotateCurrent();

  const sent = await admin.requests.list({ operationId: 'rotateCurrentToken' });
  expect(sent.map((entry) => [entry.status, entry.idempotency_key])).toEqual([
    [null, key],
    [201, key],
  ]);
  expect(fresh.replaces).toBe(old.id);
  const named = (await dev.tokens.listOrg('acme', { limit: 100 })).items.filter(
    (token) => token.name === 'ci-self-rotating',
  );
  expect(named.map((token) => [token.id, token.status])).toEqual([
    [fresh.id, 'active'],
    [old.id, 'rotated'],
  ]);
  const viewer = await createHangarClient({ baseUrl: server.url, token: fresh.token }).viewer.get();
  expect(viewer.token.id).toBe(fresh.id);
  // The old token is refused for anything but that replay.
  const refused = await ci.viewer.get().catch((error: unknown) => error);
  expect(refused).toBeInstanceOf(HangarApiError);
  expect((refused as HangarApiError).code).toBe('token_rotated');
});
