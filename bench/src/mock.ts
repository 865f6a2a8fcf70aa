/**
 * Driving the real `hangar-mock` binary for the HTTP cases: started as a separate process (so
 * it has a core of its own and the load generator the other), on a fresh data directory (the
 * default file-backed SQLite), with its default request log, as `hangar-mock` runs for its users.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHangarClient, type HangarClient } from '@hangar/sdk';
import { MOCK_BIN } from './paths.js';
import { type ServerProcess, startServerProcess } from './proc.js';

export interface RunningMock {
  process: ServerProcess;
  url: string;
  /** The dev user's personal token (from the --json start-up line). Never print it. */
  token: string;
  adminKey: string;
  /** The data directory; the SQLite file is `<dataDir>/hangar.db`. */
  dataDir: string;
  dbFile: string;
  client: HangarClient;
  /** Stops the server and deletes its data directory. */
  stop(): Promise<void>;
}

/**
 * A per-token rate limit no bench case reaches: the limits do their default work on every
 * request (counted, answered in `RateLimit` headers) and never answer 429 in a load run.
 * `--no-rate-limit` would skip that work, which users' servers do not.
 */
const UNREACHED_RATE_LIMIT = '1000000000/1m';

/**
 * Starts `hangar-mock --data-dir <fresh tmp dir> --port 0 --json --rate-limit <unreached>`, then `flags` (e.g.
 * `--log-level warn`, which turns off the per-request log line, `--seed FILE`). Its stderr (the
 * JSON log, one line per request at the default level) goes to `<dataDir>.log`, as a user's
 * `2>mock.log` would (see proc.ts). NODE_ENV is cleared so response validation stays off (it
 * is a test-time setting). Throws if the binary is not built or does not start.
 */
export async function startMock(flags: string[] = []): Promise<RunningMock> {
  const dataDir = await mkdtemp(join(tmpdir(), 'hangar-bench-'));
  const logFile = `${dataDir}.log`;
  const env = { ...process.env };
  delete env.NODE_ENV;
  let server: ServerProcess;
  try {
    server = await startServerProcess(
      [
        MOCK_BIN,
        '--data-dir',
        dataDir,
        '--port',
        '0',
        '--json',
        '--rate-limit',
        UNREACHED_RATE_LIMIT,
        ...flags,
      ],
      { env, stderrFile: logFile },
    );
  } catch (error) {
    await rm(dataDir, { recursive: true, force: true });
    await rm(logFile, { force: true });
    throw error;
  }
  const { token, admin_key: adminKey } = server.announcement ?? {};
  if (typeof token !== 'string' || typeof adminKey !== 'string') {
    await server.stop();
    throw new Error('hangar-mock --json did not print token and admin_key');
  }
  return {
    process: server,
    url: server.url,
    token,
    adminKey,
    dataDir,
    dbFile: join(dataDir, 'hangar.db'),
    client: createHangarClient({ baseUrl: server.url, token }),
    stop: async () => {
      await server.stop();
      await rm(dataDir, { recursive: true, force: true });
      await rm(logFile, { force: true });
    },
  };
}

/** POSTs a seed fixture to `/_admin/seed` (adds orgs/users; see apps/mock-server/src/seed.ts). */
export async function seedMock(mock: RunningMock, fixture: unknown): Promise<void> {
  const res = await fetch(`${mock.url}/_admin/seed`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-hangar-admin-key': mock.adminKey },
    body: JSON.stringify(fixture),
  });
  if (!res.ok) throw new Error(`/_admin/seed answered ${res.status}: ${await res.text()}`);
}

/**
 * Creates `count` org tokens in `org` through the API, `concurrency` requests at a time.
 * Returns their ids in completion order. Throws on the first failed creation.
 */
export async function createOrgTokens(
  client: HangarClient,
  org: string,
  count: number,
  concurrency = 1,
): Promise<string[]> {
  const ids: string[] = [];
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const n = next++;
      const created = await client.tokens.createOrg(org, { name: `bench token ${n}` });
      ids.push(created.id);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  return ids;
}
