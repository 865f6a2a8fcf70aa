/**
 * hangar-mock start-up as users meet it (issue 14), each round interleaving:
 * - the binary, default settings (request log on): spawn to its first 200 (GET /v1/viewer with
 *   the token it printed), on a fresh data directory (keys, migrations, seed) and again on that
 *   directory (a restart); target <= 2.0x bare Express;
 * - Prism mocking the contract: spawn to its first 200 on the same route (information);
 * - in-process (servers/in-process-start.mjs in a fresh process): `import` plus the first
 *   `startMockServer` to its first 200 (target <= 1.2x bare Express's spawn to first 200), each
 *   later start to its first 200 (target <= 0.1x), `POST /_admin/reset` on a seeded server
 *   (target: median < 5 ms) beside a single SQLite write.
 * Baseline: the bare Express 5 app's spawn to its first 200.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OneConnection } from '../http.js';
import { BARE_EXPRESS_SERVER, IN_PROCESS_START, MOCK_BIN } from '../paths.js';
import { prismArgs } from '../prism.js';
import { type ServerProcessOptions, startServerProcess } from '../proc.js';
import { makeRow } from '../report.js';
import { median, nowMs } from '../stats.js';
import type { BenchCase, CaseContext, Row } from '../types.js';

/**
 * Milliseconds from spawning `node <args>` to the first 200 answer of `pathFor(announcement)`
 * (asked as soon as the URL is announced). Stops the process afterwards.
 */
async function timeToFirst200(
  args: string[],
  request: (announcement: Record<string, unknown> | null) => {
    path: string;
    headers: Record<string, string>;
  },
  options: ServerProcessOptions = {},
): Promise<number> {
  const env = { ...process.env };
  delete env.NODE_ENV;
  const started = nowMs();
  const server = await startServerProcess(args, { env, ...options });
  const conn = new OneConnection();
  try {
    const { path, headers } = request(server.announcement);
    const res = await conn.get(`${server.url}${path}`, headers);
    const elapsed = nowMs() - started;
    if (res.status !== 200) throw new Error(`first request to ${path} answered ${res.status}`);
    return elapsed;
  } finally {
    conn.close();
    await server.stop();
  }
}

/** What servers/in-process-start.mjs prints (milliseconds). */
interface InProcessTimes {
  importMs: number;
  firstMs: number;
  laterMs: number[];
  resetMs: number[];
  writeMs: number[];
}

/** Runs servers/in-process-start.mjs in a fresh Node process and returns its timings. */
function timeInProcess(work: string): Promise<InProcessTimes> {
  const env = { ...process.env };
  delete env.NODE_ENV;
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [IN_PROCESS_START, work], { env }, (error, stdout, stderr) => {
      if (error) return reject(new Error(`in-process-start failed: ${error.message}\n${stderr}`));
      resolve(JSON.parse(stdout) as InProcessTimes);
    });
  });
}

function prismRequest() {
  return { path: '/v1/orgs/acme/tokens', headers: { authorization: 'Bearer prism' } };
}

function viewerRequest(announcement: Record<string, unknown> | null) {
  const token = announcement?.token;
  if (typeof token !== 'string') throw new Error('hangar-mock --json printed no token');
  return { path: '/v1/viewer', headers: { authorization: `Bearer ${token}` } };
}

export const serverStartCase: BenchCase = {
  name: 'server-start',
  description:
    'hangar-mock spawn to first 200 (fresh, restart), in-process starts, reset; Prism; vs bare Express 5',
  async run(context: CaseContext): Promise<Row[]> {
    const rounds = context.quick ? 2 : 5;
    const work = await mkdtemp(join(tmpdir(), 'hangar-bench-start-'));
    try {
      const body = join(work, 'body.json');
      await writeFile(body, '{"ok":true}');
      const fresh: number[] = [];
      const restart: number[] = [];
      const express: number[] = [];
      const prism: number[] = [];
      const inProcess: InProcessTimes[] = [];
      for (let round = 0; round < rounds; round++) {
        const dataDir = join(work, `data-${round}`);
        const mockArgs = [MOCK_BIN, '--data-dir', dataDir, '--port', '0', '--json'];
        const log = { stderrFile: join(work, `mock-${round}.log`) };
        express.push(
          await timeToFirst200([BARE_EXPRESS_SERVER, body, '/'], () => ({
            path: '/',
            headers: {},
          })),
        );
        fresh.push(await timeToFirst200(mockArgs, viewerRequest, log));
        restart.push(await timeToFirst200(mockArgs, viewerRequest, log));
        prism.push(
          await timeToFirst200(await prismArgs(), prismRequest, {
            announce: /listening/i,
            timeoutMs: 60_000,
          }),
        );
        inProcess.push(await timeInProcess(work));
        await rm(dataDir, { recursive: true, force: true });
      }
      context.log(`server-start: ${rounds} rounds`);
      const note = `median of ${rounds} cold spawns, interleaved; spawn to the first 200 response`;
      return [
        makeRow({
          case: 'server-start',
          metric: 'hangar-mock to first 200, fresh data dir (request log on)',
          unit: 'ms',
          samples: fresh,
          baselineName: 'bare Express 5',
          baselineSamples: express,
          target: { on: 'ratio', op: '<=', value: 2 },
          note,
        }),
        makeRow({
          case: 'server-start',
          metric: 'hangar-mock to first 200, restart (request log on)',
          unit: 'ms',
          samples: restart,
          baselineName: 'bare Express 5',
          baselineSamples: express,
          target: { on: 'ratio', op: '<=', value: 2 },
          note,
        }),
        makeRow({
          case: 'server-start',
          metric: 'Prism 5.16 mocking openapi/hangar.yaml to first 200, same route',
          unit: 'ms',
          samples: prism,
          baselineName: 'bare Express 5',
          baselineSamples: express,
          note,
        }),
        makeRow({
          case: 'server-start',
          metric: "in-process: import('@hangar/mock-server') + first start to first 200",
          unit: 'ms',
          samples: inProcess.map((t) => t.importMs + t.firstMs),
          baselineName: 'bare Express 5 spawn',
          baselineSamples: express,
          target: { on: 'ratio', op: '<=', value: 1.2 },
          note: `${note}; startMockServer({ port: 0, memory: true }), timed inside a fresh process`,
        }),
        makeRow({
          case: 'server-start',
          metric: 'in-process: a later start to first 200 (median per process)',
          unit: 'ms',
          samples: inProcess.map((t) => median(t.laterMs)),
          baselineName: 'bare Express 5 spawn',
          baselineSamples: express,
          target: { on: 'ratio', op: '<=', value: 0.1 },
          note: `${note}; ${inProcess[0]?.laterMs.length} later starts per process`,
        }),
        makeRow({
          case: 'server-start',
          metric: 'POST /_admin/reset on a seeded server, HTTP round trip (median per process)',
          unit: 'ms',
          samples: inProcess.map((t) => median(t.resetMs)),
          baselineName: 'one SQLite write',
          baselineSamples: inProcess.map((t) => median(t.writeMs)),
          target: { on: 'value', op: '<=', value: 5 },
          note: '30 resets per process, file-backed data dir, 5 tokens created before each; baseline one autocommitted INSERT (WAL, synchronous NORMAL)',
        }),
      ];
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  },
};
