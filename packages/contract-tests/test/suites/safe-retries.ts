import { describe, expect, it } from 'vitest';
import { problemCode } from '../../src/operations.js';
import { ORG_A, type World } from '../../src/world.js';

/** Calls a `/_admin/rate-limits` control (openapi/hangar-admin.yaml) on the target. */
async function rateLimits(world: World, body?: unknown): Promise<Record<string, unknown>> {
  const { baseUrl, adminKey } = world.target;
  const response = await fetch(`${baseUrl}/_admin/rate-limits`, {
    method: body === undefined ? 'GET' : 'PUT',
    headers: { 'x-hangar-admin-key': adminKey, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  expect(response.status).toBe(200);
  return (await response.json()) as Record<string, unknown>;
}

/**
 * Issue 16's statuses: `Idempotency-Key` replays (same answer, `Idempotent-Replayed: true`),
 * 422 `idempotency_key_reused`, 429 `rate_limited` with `Retry-After`, and the RateLimit headers
 * on answers. Every answer is checked against the contract as the other suites' are.
 */
export function safeRetriesSuite(world: () => World) {
  describe('safe retries: Idempotency-Key and rate limits', () => {
    const createOrgToken = (key: string, name: string) =>
      world().personal.POST('/v1/orgs/{org}/tokens/org', {
        params: { path: { org: ORG_A }, header: { 'Idempotency-Key': key } },
        body: { name },
      });

    it('a retried create with the same Idempotency-Key answers the same token, marked replayed', async () => {
      const key = world().uniqueName('idem');
      const first = await createOrgToken(key, key);
      const again = await createOrgToken(key, key);
      expect([first.response.status, again.response.status]).toEqual([201, 201]);
      expect(again.response.headers.get('idempotent-replayed')).toBe('true');
      expect(again.data?.token).toBe(first.data?.token);
      expect(again.data?.id).toBe(first.data?.id);
    });

    it('the same key with another body is 422 idempotency_key_reused', async () => {
      const key = world().uniqueName('idem');
      await createOrgToken(key, key);
      const other = await createOrgToken(key, `${key}-other`);
      expect(other.response.status).toBe(422);
      expect(problemCode(other.error)).toBe('idempotency_key_reused');
    });

    it('answers carry RateLimit-Policy and RateLimit, problems included', async () => {
      const ok = await world().personal.GET('/v1/orgs');
      const missing = await world().personal.GET('/v1/orgs/{org}', {
        params: { path: { org: 'no-such-org' } },
      });
      for (const { response } of [ok, missing]) {
        expect(response.headers.get('ratelimit-policy')).toMatch(/"token";q=\d+;w=\d+/);
        expect(response.headers.get('ratelimit')).toMatch(/"token";r=\d+;t=\d+/);
      }
    });

    it('over the per-token limit: 429 rate_limited with Retry-After', async () => {
      const before = await rateLimits(world());
      try {
        await rateLimits(world(), { token: { quota: 1, window_seconds: 60 } });
        expect((await world().personal.GET('/v1/viewer')).response.status).toBe(200);
        const { error, response } = await world().personal.GET('/v1/viewer');
        expect(response.status).toBe(429);
        expect(problemCode(error)).toBe('rate_limited');
        expect(Number(response.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      } finally {
        const { token, address, login_email, login_address, enabled } = before;
        await rateLimits(world(), { enabled, token, address, login_email, login_address });
      }
    });
  });
}
