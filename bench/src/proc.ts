/** Child processes: servers under test (one core for them, one for the load generator) and timed commands. */
import { type ChildProcess, spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { nowMs } from './stats.js';

export interface ServerProcess {
  child: ChildProcess;
  /** Base URL, e.g. http://127.0.0.1:41234 */
  url: string;
  /** Milliseconds from spawn to the line that announced the URL. */
  announcedAfterMs: number;
  /** Everything the child printed so far (stdout + stderr), for error messages. */
  output(): string;
  /** SIGTERM, then SIGKILL after 3 s; resolves when the child has exited. */
  stop(): Promise<void>;
}

const URL_PATTERN = /http:\/\/127\.0\.0\.1:(\d+)/;

/**
 * Spawns `node <args>` and resolves once it prints a `http://127.0.0.1:<port>` URL on stdout or
 * stderr. Rejects if it exits first or prints nothing usable within `timeoutMs`.
 */
export function startServerProcess(
  args: string[],
  options: { env?: NodeJS.ProcessEnv; cwd?: string; timeoutMs?: number } = {},
): Promise<ServerProcess> {
  const started = nowMs();
  const child = spawn(process.execPath, args, {
    cwd: options.cwd,
    env: options.env ?? process.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
    await exited;
    clearTimeout(timer);
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void stop();
      reject(
        new Error(
          `server did not announce a URL within ${options.timeoutMs ?? 30000} ms:\n${output}`,
        ),
      );
    }, options.timeoutMs ?? 30000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      const match = URL_PATTERN.exec(output);
      if (match) {
        clearTimeout(timer);
        child.stdout?.off('data', onData);
        child.stderr?.off('data', onData);
        // Keep draining so a chatty child never blocks on a full pipe.
        child.stdout?.on('data', (c: Buffer) => {
          output += c.toString('utf8');
        });
        child.stderr?.on('data', (c: Buffer) => {
          output += c.toString('utf8');
        });
        resolve({
          child,
          url: `http://127.0.0.1:${match[1]}`,
          announcedAfterMs: nowMs() - started,
          output: () => output,
          stop,
        });
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`server exited (${code ?? signal}) before announcing a URL:\n${output}`));
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
