import type { CreatedToken, Token } from '@hangar/sdk';
import { beforeAll, describe, expect, it } from 'vitest';
import { ORG_A, type World } from '../../src/world.js';

const COUNT = 251;
const MAX_PAGES = 1000;

/**
 * Cursor pagination of a token list (an app's deploy tokens; the app is the suite's own, so
 * nothing else adds to it): every token exactly once, at every page size, and still so when
 * tokens are created and revoked between pages.
 */
export function paginationSuite(world: () => World) {
  let app = '';
  let originals: Token[] = [];

  /** Reads every page; `between` runs after each page but the last. */
  async function walk(limit: number | undefined, between?: (seen: Token[]) => Promise<void>) {
    const seen: Token[] = [];
    const sizes: number[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < MAX_PAGES; page += 1) {
      const query = { ...(limit === undefined ? {} : { limit }), ...(cursor ? { cursor } : {}) };
      const { data, response } = await world().personal.GET('/v1/apps/{app}/tokens', {
        params: { path: { app }, query },
      });
      expect(response.status).toBe(200);
      const items = data?.items ?? [];
      sizes.push(items.length);
      seen.push(...items);
      if (!data?.next_cursor) return { seen, sizes };
      cursor = data.next_cursor;
      if (between) await between(seen);
    }
    throw new Error(`more than ${MAX_PAGES} pages: the cursor never ends`);
  }

  /** Each of `ids` listed, and no id (original or new) listed twice. */
  function expectEachOnce(seen: Token[], ids: string[]) {
    const counts = new Map<string, number>();
    for (const t of seen) counts.set(t.id, (counts.get(t.id) ?? 0) + 1);
    const duplicated = [...counts].filter(([, n]) => n > 1).map(([id]) => id);
    const missing = ids.filter((id) => !counts.has(id));
    expect({ duplicated, missing }).toEqual({ duplicated: [], missing: [] });
  }

  describe(`pagination over ${COUNT} tokens`, () => {
    beforeAll(async () => {
      const w = world();
      app = await w.createApp(ORG_A, w.uniqueName('pages'));
      const batch = 10;
      const created: CreatedToken[] = [];
      for (let start = 0; start < COUNT; start += batch) {
        const names = Array.from(
          { length: Math.min(batch, COUNT - start) },
          (_, i) => `page ${start + i}`,
        );
        created.push(
          ...(await Promise.all(names.map((name) => w.createToken('deploy', app, { name })))),
        );
      }
      originals = created.map(({ token: _secret, ...metadata }) => metadata);
    }, 120_000);

    it.each([
      [100, [100, 100, 51]],
      [7, [...Array(35).fill(7), 6]],
      [undefined, [...Array(12).fill(20), 11]],
    ] as const)(
      'limit %s: every token exactly once, pages full but the last, newest first',
      async (limit, sizes) => {
        const walked = await walk(limit);
        expectEachOnce(
          walked.seen,
          originals.map((t) => t.id),
        );
        expect(walked.seen).toHaveLength(COUNT);
        expect(walked.sizes).toEqual(sizes);
        const times = walked.seen.map((t) => Date.parse(t.created_at));
        expect(times.every((time, i) => i === 0 || time <= (times[i - 1] ?? time))).toBe(true);
      },
    );

    it('limit 7 while tokens are created and revoked between pages: no original missing or twice', async () => {
      const w = world();
      const revokedBeforeSeen = new Set<string>();
      const created: string[] = [];
      let turn = 0;
      const walked = await walk(7, async (seen) => {
        turn += 1;
        created.push((await w.createToken('deploy', app, { name: `between pages ${turn}` })).id);
        const seenIds = new Set(seen.map((t) => t.id));
        // Alternate: revoke one already listed, then one not listed yet (it must come back revoked).
        const pool = originals.filter((t) => (turn % 2 === 0) === seenIds.has(t.id));
        const victim = pool[(turn * 13) % Math.max(pool.length, 1)];
        if (!victim || revokedBeforeSeen.has(victim.id)) return;
        const revoked = await w.personal.DELETE('/v1/tokens/{token_id}', {
          params: { path: { token_id: victim.id } },
        });
        if (revoked.response.status === 200 && !seenIds.has(victim.id))
          revokedBeforeSeen.add(victim.id);
      });
      expectEachOnce(
        walked.seen,
        originals.map((t) => t.id),
      );
      const notRevoked = walked.seen.filter(
        (t) => revokedBeforeSeen.has(t.id) && t.status !== 'revoked',
      );
      expect(revokedBeforeSeen.size).toBeGreaterThan(0);
      expect(notRevoked.map((t) => `${t.id} ${t.status}`)).toEqual([]);
      expect(created.length).toBeGreaterThan(0);
    });
  });
}
