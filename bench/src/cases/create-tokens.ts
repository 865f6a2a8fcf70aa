/**
 * Token creation through the API (POST /v1/orgs/acme/tokens/org via @hangar/sdk, as a CI job
 * would call it): sequentially from one client, then from 10 concurrent clients, in turns each
 * round. Afterwards every org token is listed (all pages) and each id the API returned must be
 * there exactly once, with nothing extra: lost or duplicated rows fail the case.
 */
import { createHangarClient } from '@hangar/sdk';
import { createOrgTokens, type RunningMock, startMock } from '../mock.js';
import { makeRow } from '../report.js';
import { nowMs } from '../stats.js';
import type { BenchCase, CaseContext, Row } from '../types.js';

const ORG = 'acme';
const CLIENTS = 10;

/** Creations per second for `count` tokens made by `clients` clients sharing the work. */
async function createRate(
  mock: RunningMock,
  count: number,
  clients: number,
  ids: string[],
): Promise<number> {
  const perClient = Math.ceil(count / clients);
  const started = nowMs();
  const made = await Promise.all(
    Array.from({ length: clients }, () =>
      createOrgTokens(createHangarClient({ baseUrl: mock.url, token: mock.token }), ORG, perClient),
    ),
  );
  const elapsedS = (nowMs() - started) / 1000;
  for (const list of made) ids.push(...list);
  return (perClient * clients) / elapsedS;
}

export const createTokensCase: BenchCase = {
  name: 'create',
  description: `token creation, sequential vs ${CLIENTS} concurrent clients; then no lost or duplicated rows`,
  async run(context: CaseContext): Promise<Row[]> {
    const rounds = context.quick ? 1 : 3;
    const perRound = context.quick ? 50 : 200;
    const mock = await startMock();
    try {
      const before = new Set<string>();
      for await (const t of mock.client.tokens.iterateOrg(ORG, { limit: 100 })) before.add(t.id);
      // Warm-up (JIT, statement cache); its tokens are checked below like the rest.
      const created: string[] = await createOrgTokens(mock.client, ORG, 20);
      const warmUp = created.length;
      const sequential: number[] = [];
      const concurrent: number[] = [];
      for (let round = 0; round < rounds; round++) {
        sequential.push(await createRate(mock, perRound, 1, created));
        concurrent.push(await createRate(mock, perRound, CLIENTS, created));
        context.log(
          `create round ${round + 1}/${rounds}: ${sequential.at(-1)?.toFixed(0)}/s sequential, ${concurrent.at(-1)?.toFixed(0)}/s with ${CLIENTS} clients`,
        );
      }
      // The check: list everything and compare with what the API said it created.
      const listed = new Map<string, number>();
      for await (const t of mock.client.tokens.iterateOrg(ORG, { limit: 100 })) {
        listed.set(t.id, (listed.get(t.id) ?? 0) + 1);
      }
      const expected = new Set([...created]);
      const lost = [...expected].filter((id) => !listed.has(id)).length;
      const duplicated =
        [...listed.values()].filter((n) => n > 1).length + (created.length - expected.size);
      const unexpected = [...listed.keys()].filter(
        (id) => !expected.has(id) && !before.has(id),
      ).length;
      const note = `${rounds} rounds x ${perRound} creations each way; listed ${listed.size} tokens (${before.size} before, ${warmUp} warm-up)`;
      return [
        makeRow({
          case: 'create',
          metric: 'POST .../tokens/org, 1 client (sequential)',
          unit: 'tokens/s',
          samples: sequential,
          note,
        }),
        makeRow({
          case: 'create',
          metric: `POST .../tokens/org, ${CLIENTS} concurrent clients`,
          unit: 'tokens/s',
          samples: concurrent,
          baselineName: 'sequential',
          baselineSamples: sequential,
          note,
        }),
        makeRow({
          case: 'create',
          metric: 'rows lost + duplicated + unexpected after creation',
          unit: 'rows',
          samples: [lost + duplicated + unexpected],
          target: { on: 'value', op: '==', value: 0 },
          note: `lost ${lost}, duplicated ${duplicated}, unexpected ${unexpected} of ${created.length} created`,
        }),
      ];
    } finally {
      await mock.stop();
    }
  },
};
