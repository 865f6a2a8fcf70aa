/**
 * CLI commands that do work (issue 14): `hangar tokens inspect` (offline: decodes the token in
 * use), `hangar tokens list -o acme` and `hangar orgs list` against a local hangar-mock started
 * here, each spawn to exit beside `node -e 0`. Rounds interleave the four so background load
 * hits each alike; the ratio is of medians within this run, and the note gives the per-round
 * ratio range. Target: every command at most 2.0x `node -e 0`.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createOrgTokens, startMock } from '../mock.js';
import { CLI_BIN } from '../paths.js';
import { timeNode } from '../proc.js';
import { makeRow } from '../report.js';
import type { BenchCase, CaseContext, Row } from '../types.js';

/** The seeded shared org of hangar-mock's dev user (apps/mock-server's default seed). */
const ORG = 'acme';
/** Org tokens created before timing, so `tokens list` prints a real table. */
const LISTED_TOKENS = 20;

const COMMANDS: { metric: string; args: string[] }[] = [
  { metric: 'hangar tokens inspect (offline)', args: ['tokens', 'inspect'] },
  { metric: `hangar tokens list -o ${ORG} (local mock)`, args: ['tokens', 'list', '-o', ORG] },
  { metric: 'hangar orgs list (local mock)', args: ['orgs', 'list'] },
];

/** "1.52x-2.10x": the lowest and highest per-round ratio of `samples` to `base`. */
function roundRange(samples: number[], base: number[]): string {
  const ratios = samples.map((s, i) => s / (base[i] as number));
  return `${Math.min(...ratios).toFixed(2)}x-${Math.max(...ratios).toFixed(2)}x`;
}

export const cliCommandsCase: BenchCase = {
  name: 'cli-commands',
  description: 'hangar tokens inspect / tokens list / orgs list spawn to exit vs node -e 0',
  async run(context: CaseContext): Promise<Row[]> {
    const rounds = context.quick ? 5 : 15;
    const mock = await startMock();
    // An empty config directory: the token and URL come from the environment, never from the
    // config of whoever runs the bench.
    const configDir = await mkdtemp(join(tmpdir(), 'hangar-bench-cli-'));
    try {
      await createOrgTokens(mock.client, ORG, LISTED_TOKENS, 4);
      const env = {
        ...process.env,
        HANGAR_API_URL: mock.url,
        HANGAR_API_TOKEN: mock.token,
        HANGAR_CONFIG_DIR: configDir,
      };
      const node: number[] = [];
      const times = COMMANDS.map(() => [] as number[]);
      // One untimed pass warms the page cache (and proves every command exits 0).
      for (const c of COMMANDS) await timeNode([CLI_BIN, ...c.args], { env });
      for (let round = 0; round < rounds; round++) {
        node.push(await timeNode(['-e', '0'], { env }));
        for (const [i, c] of COMMANDS.entries()) {
          times[i]?.push(await timeNode([CLI_BIN, ...c.args], { env }));
        }
      }
      context.log(`cli-commands: ${rounds} interleaved rounds`);
      return COMMANDS.map((c, i) =>
        makeRow({
          case: 'cli-commands',
          metric: c.metric,
          unit: 'ms',
          samples: times[i] ?? [],
          baselineName: 'node -e 0',
          baselineSamples: node,
          target: { on: 'ratio', op: '<=', value: 2 },
          note: `median of ${rounds} interleaved rounds; per-round ratio ${roundRange(times[i] ?? [], node)}`,
        }),
      );
    } finally {
      await mock.stop();
      await rm(configDir, { recursive: true, force: true });
    }
  },
};
