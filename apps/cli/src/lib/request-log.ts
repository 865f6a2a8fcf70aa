import { STATUS_CODES } from 'node:http';
import type { RequestLogEntry, RequestLogger } from '@hangar/sdk';
import { printError } from './output.js';
import { redactTokens } from './redact.js';

/** A retry wait longer than this (ms) is announced even without --verbose: a silent CLI looks hung. */
const ANNOUNCED_WAIT_MS = 2_000;

/** `ms` as seconds for a message: `3 s`, `0.5 s`. */
function seconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(1))} s`;
}

/** What came back: `503 Service Unavailable`, or the reason no answer came (`network_error`). */
function answer(entry: RequestLogEntry): string {
  if (entry.status === 0) return entry.error ?? 'no response';
  const text = STATUS_CODES[entry.status];
  return text ? `${entry.status} ${text}` : String(entry.status);
}

/**
 * The SDK request logger of the CLI (packages/sdk/src/retry.ts RequestLogEntry), writing to
 * stderr only: with `verbose`, one line per attempt (with its `X-Request-Id`) and one per retry
 * wait; without, one line when the SDK is about to wait over 2 s before a retry (a 429/503
 * `Retry-After`, or backoff), so a long wait is not mistaken for a hang.
 *
 * @param verbose whether `--verbose` was given
 * @param maxRetries the client's retries after the first attempt, for "attempt N of M"
 */
export function requestLogger(verbose: boolean, maxRetries: number): RequestLogger {
  return (entry) => {
    // The server's id for the attempt, to quote when reporting a problem.
    const request = entry.requestId ? `, request ${redactTokens(entry.requestId)}` : '';
    if (verbose) {
      printError(
        `[verbose] ${entry.method} ${entry.url} -> ${entry.status || 'no response'} (${entry.durationMs} ms${request})`,
      );
    }
    if (entry.retryInMs === undefined) return;
    if (verbose) {
      printError(
        `[verbose] ${answer(entry)} from ${entry.method} ${entry.url}: retrying in ${seconds(entry.retryInMs)} (attempt ${entry.attempt + 1} of ${maxRetries + 1})`,
      );
    } else if (entry.retryInMs > ANNOUNCED_WAIT_MS) {
      const from =
        entry.status === 0 ? `No answer (${answer(entry)})` : `Server answered ${answer(entry)}`;
      printError(`${from}; retrying in ${seconds(entry.retryInMs)}, waiting… (Ctrl-C to stop)`);
    }
  };
}
