/**
 * hangar-mock start-up: from spawning the binary to its first 200 (GET /v1/viewer with the
 * token it printed), on a fresh data directory (first start: keys, migrations, seed with a
 * scrypt password hash) and again on that directory (a restart). Baseline: the bare Express 5
 * app's spawn to its first 200. Rounds interleave the three. No target in issue 7: reported.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OneConnection } from '../http.js';
import { BARE_EXPRESS_SERVER, MOCK_BIN } from '../paths.js';
import { startServerProcess } from '../proc.js';
import { makeRow } from '../report.js';
import { nowMs } from '../stats.js';
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
): Promise<number> {
  const env = { ...process.env };
  delete env.NODE_ENV;
  const started = nowMs();
  const server = await startServerProcess(args, { env });
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

function viewerRequest(announcement: Record<string, unknown> | null) {
  const token = announcement?.token;
  if (typeof token !== 'string') throw new Error('hangar-mock --json printed no token');
  return { path: '/v1/viewer', headers: { authorization: `Bearer ${token}` } };
}

export const serverStartCase: BenchCase = {
  name: 'server-start',
  description: 'hangar-mock spawn to first 200 (fresh data dir, restart) vs bare Express 5',
  async run(context: CaseContext): Promise<Row[]> {
    const rounds = context.quick ? 2 : 7;
    const work = await mkdtemp(join(tmpdir(), 'hangar-bench-start-'));
    try {
      const body = join(work, 'body.json');
      await writeFile(body, '{"ok":true}');
      const fresh: number[] = [];
      const restart: number[] = [];
      const express: number[] = [];
      for (let round = 0; round < rounds; round++) {
        const dataDir = join(work, `data-${round}`);
        const mockArgs = [MOCK_BIN, '--data-dir', dataDir, '--port', '0', '--json'];
        mockArgs.push('--log-level', 'warn');
        express.push(
          await timeToFirst200([BARE_EXPRESS_SERVER, body, '/'], () => ({
            path: '/',
            headers: {},
          })),
        );
        fresh.push(await timeToFirst200(mockArgs, viewerRequest));
        restart.push(await timeToFirst200(mockArgs, viewerRequest));
        await rm(dataDir, { recursive: true, force: true });
      }
      context.log(`server-start: ${rounds} rounds`);
      const note = `median of ${rounds} cold spawns, interleaved; spawn to the first 200 response`;
      return [
        makeRow({
          case: 'server-start',
          metric: 'hangar-mock to first 200, fresh data dir',
          unit: 'ms',
          samples: fresh,
          baselineName: 'bare Express 5',
          baselineSamples: express,
          note,
        }),
        makeRow({
          case: 'server-start',
          metric: 'hangar-mock to first 200, restart',
          unit: 'ms',
          samples: restart,
          baselineName: 'bare Express 5',
          baselineSamples: express,
          note,
        }),
      ];
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  },
};
