import { describe, expect, it } from 'vitest';
import { problemCode } from '../../src/operations.js';
import { ORG_A, type World } from '../../src/world.js';

const REQUESTS = 50;
/** Requests are spread over this window (ms); the revoke is sent a third of the way in. */
const WINDOW_MS = 150;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Revocation under load: 50 requests with one token, spread out in time, while the token is
 * revoked. A request that started after the revoke returned must be refused (401 token_revoked);
 * one that started before may go either way.
 */
export function concurrencySuite(world: () => World) {
  describe('revocation under concurrent use', () => {
    it(`${REQUESTS} parallel requests: none started after the revoke returned succeeds`, async () => {
      const w = world();
      const victim = await w.createToken('org', ORG_A, { name: 'revoked under load' });
      const client = w.client(victim.token);
      const started = performance.now();
      const requests = Array.from({ length: REQUESTS }, async (_, i) => {
        await sleep((i * WINDOW_MS) / REQUESTS);
        const startedAt = performance.now();
        const path = i % 2 === 0 ? '/v1/orgs/{org}/apps' : '/v1/orgs/{org}/tokens';
        const { error, response } = await client.GET(path, { params: { path: { org: ORG_A } } });
        return { i, startedAt, status: response.status, code: problemCode(error) };
      });
      const revoke = (async () => {
        await sleep(WINDOW_MS / 3);
        const { response } = await w.personal.DELETE('/v1/tokens/{token_id}', {
          params: { path: { token_id: victim.id } },
        });
        return { status: response.status, returnedAt: performance.now() };
      })();
      const [results, revoked] = await Promise.all([Promise.all(requests), revoke]);
      expect(revoked.status).toBe(200);
      const after = results.filter((r) => r.startedAt > revoked.returnedAt);
      const leaked = after.filter((r) => r.status !== 401 || r.code !== 'token_revoked');
      const report = leaked.map(
        (r) =>
          `request ${r.i} started ${(r.startedAt - revoked.returnedAt).toFixed(1)} ms after the revoke returned: ${r.status} ${r.code ?? ''}`,
      );
      expect(report).toEqual([]);
      // Otherwise the test proved nothing: the revoke must land inside the burst.
      expect(
        after.length,
        `requests after the revoke (window ${(performance.now() - started).toFixed(0)} ms)`,
      ).toBeGreaterThan(0);
      const before = results.filter((r) => r.startedAt <= revoked.returnedAt);
      for (const r of before) expect([200, 401]).toContain(r.status);
    });
  });
}
