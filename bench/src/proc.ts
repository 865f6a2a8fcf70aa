/** Child processes: servers under test (one core for them, one for the load generator) and timed commands. */
import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { nowMs } from './stats.js';

export interface ServerProcess {
  child: ChildProcess;
  /** Base URL, e.g. http://127.0.0.1:41234 */
  url: string;
  /** The announcing stdout line, parsed, when it was JSON (hangar-mock --json); else null. */
  announcement: Record<string, unknown> | null;
  /** Milliseconds from spawn to the line that announced the URL. */
  announcedAfterMs: number;
  /** What the child wrote on stderr (never stdout: hangar-mock --json prints secrets there). */
  stderr(): string;
  /** SIGTERM, then SIGKILL after 3 s; resolves when the child has exited. */
  stop(): Promise<void>;
}

const URL_PATTERN = /http:\/\/127\.0\.0\.1:(\d+)/;

export interface ServerProcessOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Default 30 s. */
  timeoutMs?: number;
  /**
   * Write the child's stderr to this file (created or truncated) instead of a pipe this process
   * reads, as a user's `2>server.log` would: a request log then costs the server its writes,
   * and never the load generator running here the reading of them.
   */
  stderrFile?: string;
  /** The line that announces the server, besides holding its URL (Prism lists routes first). */
  announce?: RegExp;
}

/**
 * Spawns `node <args>` and resolves at the first complete stdout line holding a
 * `http://127.0.0.1:<port>` URL (and matching `options.announce`; a JSON line is parsed too).
 * Rejects if the child exits first or announces nothing within `timeoutMs` (default 30 s); the
 * error quotes its stderr only.
 */
export function startServerProcess(
  args: string[],
  options: ServerProcessOptions = {},
): Promise<ServerProcess> {
  const started = nowMs();
  const timeoutMs = options.timeoutMs ?? 30_000;
  const stderrFd = options.stderrFile === undefined ? 'pipe' : openSync(options.stderrFile, 'w');
  const child = spawn(process.execPath, args, {
    cwd: options.cwd,
    env: options.env ?? process.env,
    stdio: ['ignore', 'pipe', stderrFd],
  });
  if (typeof stderrFd === 'number') closeSync(stderrFd);
  let stdout = '';
  let stderr = '';
  const stderrText = () =>
    options.stderrFile === undefined
      ? stderr
      : readFileSync(options.stderrFile, 'utf8').slice(-65_536);
  let announced = false;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
    await exited;
    clearTimeout(timer);
  };
  child.stderr?.on('data', (chunk: Buffer) => {
    // Keep the last 64 KiB: enough to explain a failure, bounded for chatty children.
    stderr = (stderr + chunk.toString('utf8')).slice(-65_536);
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`server did not announce a URL within ${timeoutMs} ms:\n${stderrText()}`));
    }, timeoutMs);
    child.stdout?.on('data', (chunk: Buffer) => {
      if (announced) return; // drained and dropped, so a chatty child never blocks
      stdout += chunk.toString('utf8');
      for (const line of stdout.split('\n').slice(0, -1)) {
        const match = URL_PATTERN.exec(line);
        if (!match || (options.announce && !options.announce.test(line))) continue;
        announced = true;
        clearTimeout(timer);
        let announcement: Record<string, unknown> | null = null;
        if (line.trimStart().startsWith('{')) {
          announcement = JSON.parse(line) as Record<string, unknown>;
        }
        stdout = '';
        resolve({
          child,
          url: `http://127.0.0.1:${match[1]}`,
          announcement,
          announcedAfterMs: nowMs() - started,
          stderr: stderrText,
          stop,
        });
        return;
      }
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      if (!announced) {
        reject(
          new Error(`server exited (${code ?? signal}) before announcing a URL:\n${stderrText()}`),
        );
      }
    });
  });
}

/** Resident set size of a live process in MiB, from /proc/<pid>/status (VmRSS). Linux only. */
export async function rssMiB(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
  if (!match) throw new Error(`no VmRSS for pid ${pid}`);
  return Number(match[1]) / 1024;
}

/**
 * Runs `node <args>` to completion and returns its wall-clock milliseconds (spawn to exit).
 * Throws if it exits non-zero (a crashing command must not look fast).
 */
export function timeNode(
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = nowMs();
    const child = spawn(process.execPath, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr?.on('data', (c: Buffer) => {
      stderr += c.toString('utf8');
    });
    child.once('error', reject);
    child.once('exit', (code) => {
      const elapsed = nowMs() - started;
      if (code === 0) resolve(elapsed);
      else reject(new Error(`node ${args.join(' ')} exited ${code}: ${stderr.slice(0, 500)}`));
    });
  });
}
