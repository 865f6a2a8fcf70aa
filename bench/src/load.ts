/** HTTP load with autocannon: a warm-up run that is thrown away, then the measured run. */
import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';

export interface LoadOptions {
  url: string;
  headers?: Record<string, string>;
  /** Concurrent keep-alive connections (issue 7: 10). */
  connections: number;
  /** Measured seconds (issue 7: 10). */
  durationS: number;
  /** Thrown-away seconds first, so JIT, caches and sockets are warm. */
  warmupS: number;
  /** The server's process id, to read the CPU time it spent on the measured run (Linux). */
  serverPid?: number | undefined;
}

export interface LoadResult {
  /** Mean of autocannon's per-second request counts (2xx and others). */
  reqPerSec: number;
  /** Completed 2xx responses over the measured duration, per second. */
  okPerSec: number;
  latencyP50Ms: number;
  latencyP99Ms: number;
  /** Responses that were not 2xx, plus connection errors and timeouts: should be 0. */
  failures: number;
  /**
   * Microseconds of the server's CPU time (user + system, every thread) per completed request
   * in the measured run, or null without `serverPid` or `/proc`. Unlike req/s it does not
   * depend on how much of a core the server got, so it moves less on a shared machine.
   */
  cpuUsPerRequest: number | null;
}

/** CPU time (user + system) of process `pid` so far, in microseconds, from /proc; else null. */
function cpuTimeUs(pid: number | undefined): number | null {
  if (pid === undefined) return null;
  try {
    // /proc/<pid>/stat: fields 14 and 15 (utime, stime) in clock ticks, after the ")" of comm.
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    const ticks = Number(fields[11]) + Number(fields[12]);
    // Linux reports 100 ticks a second to user space (USER_HZ) on every architecture Node runs.
    return Number.isFinite(ticks) ? ticks * 10_000 : null;
  } catch {
    return null;
  }
}

async function once(options: LoadOptions, durationS: number) {
  return await autocannon({
    url: options.url,
    headers: options.headers,
    connections: options.connections,
    duration: durationS,
    timeout: 10,
  });
}

/**
 * Warms up, then measures. Loopback only: refuses any URL whose host is not 127.0.0.1, so a
 * misconfigured run cannot load someone else's server.
 */
export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  if (new URL(options.url).hostname !== '127.0.0.1') {
    throw new Error(`refusing to load ${options.url}: bench targets 127.0.0.1 only`);
  }
  if (options.warmupS > 0) await once(options, options.warmupS);
  const cpuBefore = cpuTimeUs(options.serverPid);
  const result = await once(options, options.durationS);
  const cpuAfter = cpuTimeUs(options.serverPid);
  const completed = result.requests.total;
  return {
    cpuUsPerRequest:
      cpuBefore === null || cpuAfter === null || completed === 0
        ? null
        : (cpuAfter - cpuBefore) / completed,
    reqPerSec: result.requests.average,
    okPerSec: result['2xx'] / result.duration,
    latencyP50Ms: result.latency.p50,
    latencyP99Ms: result.latency.p99,
    failures: result.non2xx + result.errors + result.timeouts,
  };
}
