/**
 * The token-verify benchmark body, used by the `verify` case and by `bench:tokens`
 * (token-verify-main.ts). It lives here, outside the published @hangar/tokens, and uses only that
 * package's public API. It measures, in the same process and interleaved round by round, the time
 * per `verify` of a token with 5 caveats against the raw cost of the HMAC-SHA256 calls that verify
 * cannot avoid (key derivation + identifier + 5 caveats = 7), and reports medians. Nothing is
 * cached between calls: every verify decodes, re-derives and re-checks from scratch.
 */
import { createHmac } from 'node:crypto';
import {
  decodeMacaroon,
  decodeTokenString,
  deriveRootKey,
  mint,
  newIdentifier,
  verify,
} from '@hangar/tokens';

export interface VerifyBenchmarkOptions {
  /** Calls per timed round (default 2000). */
  iterations?: number;
  /** Rounds, each timing both sides back to back; medians are reported (default 51). */
  rounds?: number;
}

export interface VerifyBenchmarkResult {
  /** Median microseconds per verify (decode + signature chain + 5 caveats + authorize). */
  verifyUs: number;
  /** Median microseconds for the same 7 HMAC-SHA256 calls done directly. */
  hmacUs: number;
  /**
   * Median over rounds of (verify time / HMAC time) within the same round: adjacent timings share
   * the machine's load at that moment, so this is steadier than dividing the two medians.
   */
  ratio: number;
  iterations: number;
  rounds: number;
  hmacCalls: number;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

/**
 * Microseconds of process CPU time (user + system, all threads, so GC work counts) per call.
 * CPU time rather than wall time: the machine is shared, and time spent descheduled is not a
 * cost of either side.
 */
function timeUs(iterations: number, fn: () => unknown): number {
  const start = process.cpuUsage();
  for (let i = 0; i < iterations; i++) fn();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / iterations;
}

/** Runs the benchmark; throws if verify unexpectedly denies (the numbers would be meaningless). */
export function runVerifyBenchmark(options: VerifyBenchmarkOptions = {}): VerifyBenchmarkResult {
  const iterations = options.iterations ?? 2_000;
  const rounds = options.rounds ?? 51;
  const identifier = newIdentifier();
  const rootKey = deriveRootKey(Buffer.from('benchmark master key'), identifier);
  const now = new Date('2026-11-30T08:00:00Z');
  const token = mint({
    rootKey,
    identifier,
    caveats: [
      { type: 'org', org: 'org_01HBENCH' },
      { type: 'apps', apps: { app_01HWEB: ['read', 'write', 'create', 'delete', 'control'] } },
      { type: 'actions', actions: ['read', 'write', 'control'] },
      { type: 'not-after', notAfter: 2_427_177_600 },
      { type: 'not-after', notAfter: 2_427_177_000 },
    ],
  });
  const request = {
    level: 'app',
    org: 'org_01HBENCH',
    app: 'app_01HWEB',
    action: 'write',
  } as const;
  if (!verify(token, rootKey, request, now).ok) throw new Error('benchmark token does not verify');

  // The raw baseline hashes the very same inputs the verify call hashes.
  const raw = decodeMacaroon(decodeTokenString(token));
  const keyGenerator = Buffer.from('macaroons-key-generator');
  const caveatIds = raw.caveats.map((c) => c.id);
  const rawHmacs = () => {
    const key = createHmac('sha256', keyGenerator).update(rootKey).digest();
    let sig = createHmac('sha256', key).update(raw.identifier).digest();
    for (const id of caveatIds) sig = createHmac('sha256', sig).update(id).digest();
    return sig;
  };
  const verifyOnce = () => verify(token, rootKey, request, now);

  // Warm up both paths so the JIT has compiled them before timing.
  timeUs(iterations, verifyOnce);
  timeUs(iterations, rawHmacs);
  const verifyTimes: number[] = [];
  const hmacTimes: number[] = [];
  for (let r = 0; r < rounds; r++) {
    verifyTimes.push(timeUs(iterations, verifyOnce));
    hmacTimes.push(timeUs(iterations, rawHmacs));
  }
  const verifyUs = median(verifyTimes);
  const hmacUs = median(hmacTimes);
  return {
    verifyUs,
    hmacUs,
    ratio: verifyUs / hmacUs,
    iterations,
    rounds,
    hmacCalls: 2 + caveatIds.length,
  };
}
