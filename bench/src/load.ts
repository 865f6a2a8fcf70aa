/** HTTP load with autocannon: a warm-up run that is thrown away, then the measured run. */
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
  const result = await once(options, options.durationS);
  return {
    reqPerSec: result.requests.average,
    okPerSec: result['2xx'] / result.duration,
    latencyP50Ms: result.latency.p50,
    latencyP99Ms: result.latency.p99,
    failures: result.non2xx + result.errors + result.timeouts,
  };
}
