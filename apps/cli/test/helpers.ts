import { spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer as createHttpServer } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startMockServer } from '@hangar/mock-server';
import { afterAll, beforeAll } from 'vitest';
import { runInProcess } from './in-process.js';

/** The built binary: tests run what users run (turbo builds before testing). */
export const BIN = fileURLToPath(new URL('../bin/run.js', import.meta.url));

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  /**
   * Extra environment (HANGAR_*, DEBUG, NO_COLOR and FORCE_COLOR from the parent are removed
   * first: a test states what it depends on); `undefined` removes a variable.
   */
  env?: Record<string, string | undefined>;
  /** Written to standard input, which is then closed (stdin is never a terminal here). */
  input?: string;
  /**
   * Start a real `node bin/run.js` process (what {@link hangarProcess} does) instead of running
   * in this process. Needed for what only a fresh process shows: start-up and its fast paths
   * timing, signals, colour detection from the environment (done once per process), stdin or
   * stdout handling at the file-descriptor level.
   */
  process?: boolean;
  /**
   * With {@link hangarProcess} only: where the process's standard output goes instead of being
   * captured: `'closed'`, a pipe whose reading end is closed at once (a reader that went away,
   * as `| head -1` after its line: writes fail with EPIPE), or a file path opened for writing
   * (`/dev/full`: writes fail with ENOSPC). `stdout` is then empty in the result.
   */
  stdout?: 'closed' | string;
  /** With {@link hangarProcess} only: the same for standard error (`stderr` is then empty). */
  stderr?: 'closed' | string;
}

/** Parent variables a run never inherits (CI sets NO_COLOR for its logs, for one). */
const NOT_INHERITED = new Set(['DEBUG', 'NO_COLOR', 'FORCE_COLOR']);

/** The environment a run sees: this process's, without {@link NOT_INHERITED} and HANGAR_*, plus `extra`. */
function runEnv(extra: RunOptions['env'] = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value !== undefined && !key.startsWith('HANGAR_') && !NOT_INHERITED.has(key)) {
      env[key] = value;
    }
  }
  for (const [key, value] of Object.entries(extra)) {
    if (value === undefined) delete env[key];
    else env[key] = value;
  }
  return env;
}

/**
 * Runs `hangar ...args` and resolves with its exit code and output. By default the real entry
 * point runs inside this process (test/in-process.ts: fast, the same code path users run after
 * start-up); `options.process` starts a subprocess instead. Asynchronous either way: the mock
 * server lives in this process and must keep answering while the CLI runs.
 */
export function hangar(args: string[], options: RunOptions = {}): Promise<RunResult> {
  if (options.process) return hangarProcess(args, options);
  return runInProcess(BIN, args, runEnv(options.env), options.input ?? '');
}

/**
 * Runs `hangar ...args` in process with `env` and resolves with its standard output, trimmed: the
 * one line a command such as `tokens create` or `tokens attenuate` prints (a token).
 */
export async function hangarLine(args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  return (await hangar(args, { env })).stdout.trim();
}

/** Runs `hangar ...args` as a subprocess of the built binary (`node bin/run.js`). */
export function hangarProcess(args: string[], options: RunOptions = {}): Promise<RunResult> {
  const env = runEnv(options.env);
  const target = (to: RunOptions['stdout']) =>
    to && to !== 'closed' ? openSync(to, 'w') : undefined;
  const out = target(options.stdout);
  const err = target(options.stderr);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      env,
      stdio: ['pipe', out ?? 'pipe', err ?? 'pipe'],
    });
    for (const fd of [out, err]) if (fd !== undefined) closeSync(fd);
    let stdout = '';
    let stderr = '';
    if (options.stdout === 'closed') child.stdout?.destroy();
    else
      child.stdout?.setEncoding('utf8').on('data', (d: string) => {
        stdout += d;
      });
    if (options.stderr === 'closed') child.stderr?.destroy();
    else
      child.stderr?.setEncoding('utf8').on('data', (d: string) => {
        stderr += d;
      });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin?.end(options.input ?? '');
  });
}

/** A fresh, empty HANGAR_CONFIG_DIR (the directory itself does not exist yet). */
export async function tempConfigDir(): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const parent = await mkdtemp(join(tmpdir(), 'hangar-cli-test-'));
  return {
    dir: join(parent, 'hangar'),
    cleanup: () => rm(parent, { recursive: true, force: true }),
  };
}

/** Calls a mock-server test control (outside /v1) with the admin key. */
export async function admin(
  url: string,
  adminKey: string,
  path: string,
  body?: unknown,
): Promise<unknown> {
  const response = await fetch(`${url}/_admin/${path}`, {
    method: body === undefined && path === 'clock' ? 'GET' : 'POST',
    headers: { 'X-Hangar-Admin-Key': adminKey, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`admin ${path}: ${response.status} ${await response.text()}`);
  return response.json();
}

/** Matches a whole Hangar token string. */
export const TOKEN_RE = /^hangar_[A-Za-z0-9_-]+_[0-9A-Za-z]{6}$/;

export type MockServer = Awaited<ReturnType<typeof startMockServer>>;

export interface MockFixture {
  server: MockServer;
  /** Points the CLI at the server and a fresh config dir, with the dev user's personal token. */
  env: Record<string, string>;
}

/**
 * Starts an in-process mock server (in memory) and a fresh config dir for the enclosing
 * `describe` block, and stops and removes both after it. Read the fields inside tests or hooks.
 */
export function useMockServer(): MockFixture {
  const fixture = {} as MockFixture;
  let cleanup: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    fixture.server = await startMockServer({ port: 0, memory: true });
    const config = await tempConfigDir();
    cleanup = config.cleanup;
    fixture.env = {
      HANGAR_CONFIG_DIR: config.dir,
      HANGAR_API_URL: fixture.server.url,
      HANGAR_API_TOKEN: fixture.server.devToken,
    };
  });
  afterAll(async () => {
    await fixture.server?.close();
    await cleanup?.();
  });
  return fixture;
}

/** A URL nothing listens on: a port bound, then released. */
export async function closedUrl(): Promise<string> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

/** What a {@link useFakeApi} server answers: status, Content-Type and body text. */
export interface FakeReply {
  status: number;
  type: string;
  body: string;
}

export interface FakeApi {
  url: string;
  /** `METHOD /path?query` of every request received, in order. */
  requests: string[];
}

/**
 * Starts a tiny node:http server for the enclosing `describe` block that answers every request
 * with `reply(method, path)`: a stand-in for a non-Hangar server, or for API data the mock
 * server refuses to store (control characters). Records each request line.
 */
export function useFakeApi(reply: (method: string, path: string) => FakeReply): FakeApi {
  const fake: FakeApi = { url: '', requests: [] };
  const server = createHttpServer((request, response) => {
    const line = `${request.method} ${request.url}`;
    fake.requests.push(line);
    const { status, type, body } = reply(request.method ?? 'GET', request.url ?? '/');
    response.writeHead(status, { 'Content-Type': type }).end(body);
  });
  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    fake.url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return fake;
}
