import { describe, expect, it } from 'vitest';
import { problemCode } from '../../src/operations.js';
import { ORG_A, type World } from '../../src/world.js';

const REQUESTS = 50;
/** Requests launched once the revoke has returned (the rest race it). */
const AFTER = 15;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Revocation under load: 50 requests with one token while it is revoked. 35 are spread over a
 * window around the revoke (its length scaled to how long a revoke takes on this server, so the
 * revoke lands inside the burst on a slow server too); 15 more start as soon as the revoke has
 * returned, while the others are still in flight. A request that started after the revoke
 * returned must be refused (401 token_revoked); one that started before may go either way.
 */
export function concurrencySuite(world: () => World) {
  describe('revocation under concurrent use', () => {
    it(`${REQUESTS} parallel requests: none started after the revoke returned succeeds`, async () => {
      const w = world();
      const probe = await w.createToken('org', ORG_A, { name: 'revoke latency probe' });
      const probeStart = performance.now();
      await w.revoke(probe.id);
      const window = Math.max(50, 3 * (performance.now() - probeStart));

      const victim = await w.createToken('org', ORG_A, { name: 'revoked under load' });
      const client = w.client(victim.token);
      const send = async (i: number) => {
        const startedAt = performance.now();
        const path = i % 2 === 0 ? '/v1/orgs/{org}/apps' : '/v1/orgs/{org}/tokens';
        const { error, response } = await client.GET(path, { params: { path: { org: ORG_A } } });
        return { i, startedAt, status: response.status, code: problemCode(error) };
      };
      const revoke = (async () => {
        await sleep(window / 4);
        const { response } = await w.personal.DELETE('/v1/tokens/{token_id}', {
          params: { path: { token_id: victim.id } },
        });
        return { status: response.status, returnedAt: performance.now() };
      })();
      const racing = Array.from({ length: REQUESTS - AFTER }, async (_, i) => {
        await sleep((i * window) / (REQUESTS - AFTER));
        return send(i);
      });
      const following = Array.from({ length: AFTER }, async (_, j) => {
        await revoke;
        await sleep(j % 3);
        return send(REQUESTS - AFTER + j);
      });
      const [results, revoked] = await Promise.all([
        Promise.all([...racing, ...following]),
        revoke,
      ]);
      expect(revoked.status).toBe(200);
      const after = results.filter((r) => r.startedAt > revoked.returnedAt);
      const leaked = after.filter((r) => r.status !== 401 || r.code !== 'token_revoked');
      const report = leaked.map(
        (r) =>
          `request ${r.i} started ${(r.startedAt - revoked.returnedAt).toFixed(1)} ms after the revoke returned: ${r.status} ${r.code ?? ''}`,
      );
      const before = results.filter((r) => r.startedAt <= revoked.returnedAt);
      console.log(
        `revocation under load: ${before.length} started before the revoke returned (${before.filter((r) => r.status === 200).length} succeeded), ${after.length} after (${after.length - leaked.length} refused)`,
      );
      expect(report).toEqual([]);
      expect(after.length).toBeGreaterThanOrEqual(AFTER);
      for (const r of before) {
        expect([200, 401]).toContain(r.status);
      }
    });
  });
}
