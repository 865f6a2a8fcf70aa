/**
 * List page latency with 100 and with 100,000 tokens in an org, on one hangar-mock process:
 * org `acme` holds 100 tokens (made through the API), org `bench-big` 100,000 (100 through the
 * API, the rest cloned in bulk, see seed-bulk.ts). Latency is per request over one keep-alive
 * connection (no concurrency: what one CLI or CI job sees), sequential, the two orgs measured
 * in turn each round. Pages: the first (default limit 20) and a deep one (limit 20 from a
 * cursor half-way through the org). Target: p50 ratio (100k / 100) at most 1.3.
 * Every timed request is computed in full (hangar-mock caches no reply and no list page, see
 * apps/mock-server/src/caches.ts), so the figure is the index's.
 * Also reports the server's resident memory before the bulk rows and after the case.
 */
import { OneConnection } from '../http.js';
import { createOrgTokens, type RunningMock, seedMock, startMock } from '../mock.js';
import { rssMiB } from '../proc.js';
import { makeRow } from '../report.js';
import { cloneTokenRows } from '../seed-bulk.js';
import { median } from '../stats.js';
import type { BenchCase, CaseContext, Row } from '../types.js';

const SMALL = { org: 'acme', tokens: 100 };
const BIG = { org: 'bench-big', tokens: 100_000 };
const VIA_API = 100;

interface Page {
  items: { id: string }[];
  next_cursor: string | null;
}

/** The cursor after the first `skip` tokens of `org`, walking pages of 100. */
async function cursorAfter(
  mock: RunningMock,
  conn: OneConnection,
  org: string,
  skip: number,
): Promise<string> {
  const auth = { authorization: `Bearer ${mock.token}` };
  let cursor: string | null = null;
  for (let seen = 0; seen < skip; ) {
    const limit = Math.min(100, skip - seen);
    const query: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : '';
    const res = await conn.get(`${mock.url}/v1/orgs/${org}/tokens?limit=${limit}${query}`, auth);
    const page = JSON.parse(res.body.toString('utf8')) as Page;
    if (res.status !== 200 || !page.next_cursor) throw new Error(`walking ${org}: ${res.status}`);
    seen += page.items.length;
    cursor = page.next_cursor;
  }
  if (!cursor) throw new Error(`no cursor after ${skip} tokens of ${org}`);
  return cursor;
}

/** Counts an org's tokens by listing them all (pages of 100); used to check the setup. */
async function countTokens(mock: RunningMock, org: string): Promise<number> {
  let n = 0;
  for await (const _token of mock.client.tokens.iterateOrg(org, { limit: 100 })) n++;
  return n;
}

export const listScaleCase: BenchCase = {
  name: 'list-scale',
  description: 'list page p50 latency, org with 100,000 tokens vs org with 100; server RSS',
  async run(context: CaseContext): Promise<Row[]> {
    const rounds = context.quick ? 2 : 5;
    const requests = context.quick ? 50 : 200;
    const mock = await startMock();
    const conn = new OneConnection();
    try {
      await seedMock(mock, {
        users: [],
        orgs: [
          {
            slug: BIG.org,
            name: 'Bench big org',
            type: 'shared',
            members: [{ email: 'dev@hangar.local', role: 'admin' }],
          },
        ],
        apps: [],
      });
      await createOrgTokens(mock.client, SMALL.org, SMALL.tokens, 4);
      await createOrgTokens(mock.client, BIG.org, VIA_API, 4);
      const rssBefore = await rssMiB(mock.process.child.pid as number);
      const started = performance.now();
      cloneTokenRows(mock.dbFile, BIG.org, BIG.tokens - VIA_API);
      context.log(
        `list-scale: cloned ${BIG.tokens - VIA_API} rows in ${(performance.now() - started).toFixed(0)} ms`,
      );
      const counted = await countTokens(mock, BIG.org);
      if (counted !== BIG.tokens) throw new Error(`${BIG.org} lists ${counted} tokens`);

      const auth = { authorization: `Bearer ${mock.token}` };
      const urls = async (org: string, total: number) => ({
        first: `${mock.url}/v1/orgs/${org}/tokens`,
        deep: `${mock.url}/v1/orgs/${org}/tokens?limit=20&cursor=${encodeURIComponent(
          await cursorAfter(mock, conn, org, total / 2),
        )}`,
      });
      const small = await urls(SMALL.org, SMALL.tokens);
      const big = await urls(BIG.org, BIG.tokens);
      // The cloned rows must read like API-made ones (same org and creator in the view).
      const deep = await conn.get(big.deep, auth);
      const items = (JSON.parse(deep.body.toString('utf8')) as { items: Record<string, unknown>[] })
        .items;
      if (items.length !== 20 || items.some((t) => t.org !== BIG.org || !t.created_by)) {
        throw new Error(`cloned rows do not list like API-made ones: ${JSON.stringify(items[0])}`);
      }
      const p50s = { smallFirst: [], smallDeep: [], bigFirst: [], bigDeep: [] } as Record<
        'smallFirst' | 'smallDeep' | 'bigFirst' | 'bigDeep',
        number[]
      >;
      for (const url of [small.first, small.deep, big.first, big.deep]) {
        await conn.timeGets(url, auth, 50); // warm-up
      }
      for (let round = 0; round < rounds; round++) {
        const runs: [keyof typeof p50s, string][] = [
          ['smallFirst', small.first],
          ['bigFirst', big.first],
          ['smallDeep', small.deep],
          ['bigDeep', big.deep],
        ];
        if (round % 2 === 1) runs.reverse();
        for (const [key, url] of runs) {
          p50s[key].push(median(await conn.timeGets(url, auth, requests)));
        }
      }
      const rssAfter = await rssMiB(mock.process.child.pid as number);
      context.log(`list-scale: ${rounds} rounds x ${requests} requests per page`);
      const note = `p50 of ${requests} sequential requests per round, ${rounds} rounds, one keep-alive connection, every one computed (no cache)`;
      return [
        makeRow({
          case: 'list-scale',
          metric: 'first page p50, org of 100,000 tokens',
          unit: 'ms',
          samples: p50s.bigFirst,
          baselineName: 'org of 100',
          baselineSamples: p50s.smallFirst,
          target: { on: 'ratio', op: '<=', value: 1.3 },
          note,
        }),
        makeRow({
          case: 'list-scale',
          metric: 'page at the middle p50, org of 100,000 tokens',
          unit: 'ms',
          samples: p50s.bigDeep,
          baselineName: 'org of 100',
          baselineSamples: p50s.smallDeep,
          target: { on: 'ratio', op: '<=', value: 1.3 },
          note: `${note}; cursor after token 50,000 (big) / 50 (small)`,
        }),
        makeRow({
          case: 'list-scale',
          metric: 'hangar-mock RSS after the 100,000-token case',
          unit: 'MiB',
          samples: [rssAfter],
          baselineName: 'before bulk rows',
          baselineSamples: [rssBefore],
          note: 'VmRSS from /proc; before = after 200 tokens made through the API',
        }),
      ];
    } finally {
      conn.close();
      await mock.stop();
    }
  },
};
