/**
 * Safe retries, timeouts and per-attempt logging, as a fetch wrapper under openapi-fetch (so the
 * middleware of client.ts sees one request and one response per logical call).
 *
 * What is retried (see the package README, "Retries and timeouts"):
 * - a fetch that threw (refused connection, reset, DNS) or an attempt that timed out, and the
 *   statuses 429, 502, 503 and 504;
 * - only when repeating the request is safe: GET, HEAD, PUT and OPTIONS always, POST, PATCH and
 *   DELETE only with an `Idempotency-Key` header (the client sends one on every POST and DELETE
 *   unless told not to, the same on each attempt of one call);
 * - at most `maxRetries` times, waiting `Retry-After` when the answer has one (RFC 9110 section
 *   10.2.3: seconds or an HTTP-date), else exponential backoff with full jitter (AWS Architecture
 *   Blog, "Exponential Backoff And Jitter"): a random delay in [0, min(cap, base * 2^retry)).
 */
import { HangarApiError, HangarTimeoutError } from './errors.js';

/** The header that makes a POST or DELETE safe to repeat (Stripe's, and the IETF draft's). */
export const IDEMPOTENCY_KEY_HEADER = 'Idempotency-Key';

/** Statuses a retry may cure: throttled (429) and the gateway/availability errors. */
export const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([429, 502, 503, 504]);

/** Methods that are safe to repeat without a key (RFC 9110 section 9.2.2, idempotent methods). */
const IDEMPOTENT_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'PUT', 'OPTIONS']);

/** Methods the client gives an `Idempotency-Key` (the contract's unsafe operations). */
const KEYED_METHODS: ReadonlySet<string> = new Set(['POST', 'DELETE', 'PATCH']);

/** Backoff defaults, in milliseconds: first retry within 500 ms, none waits over 8 s. */
export const DEFAULT_BACKOFF = { baseMs: 500, capMs: 8_000 } as const;
/** A `Retry-After` longer than this (ms) is not waited out: the answer is returned as is. */
export const DEFAULT_MAX_RETRY_AFTER_MS = 60_000;

/** What the logger hears about each attempt: never headers (but the request id), bodies or tokens. */
export interface RequestLogEntry {
  /** 1 for the first attempt of a call, 2 for its first retry, ... */
  attempt: number;
  /** HTTP method, upper case. */
  method: string;
  /** Full request URL (paths and query hold names and cursors, never secrets). */
  url: string;
  /** The URL's path, without the query. */
  path: string;
  /** Response status; 0 when no response arrived (network error, timeout, abort). */
  status: number;
  /** Why no response arrived: `network_error`, `timeout` or `aborted`; absent with a status. */
  error?: 'network_error' | 'timeout' | 'aborted';
  /** The response's `X-Request-Id` (the server's id for this attempt); absent when it had none. */
  requestId?: string;
  /** Wall time from sending to the response headers (or the failure), in milliseconds. */
  durationMs: number;
  /** When this attempt is retried: the wait before the next one, in milliseconds. */
  retryInMs?: number;
}

export type RequestLogger = (entry: RequestLogEntry) => void;

/** How one logical call is attempted. */
export interface RetryPolicy {
  /** Retries after the first attempt; 0 turns retrying off. */
  maxRetries: number;
  /** Per-attempt limit until the response headers, in milliseconds; undefined for none. */
  timeoutMs?: number | undefined;
  /** Aborts the call, its retries and its waits (`aborted`). */
  signal?: AbortSignal | undefined;
  /**
   * The `Idempotency-Key` for POST, PATCH and DELETE: a string to send, undefined for a fresh
   * `crypto.randomUUID()` per call, null to send none (the call is then never retried). A key
   * the request already carries (a raw call's `headers`) is kept.
   */
  idempotencyKey?: string | null | undefined;
  logger?: RequestLogger | undefined;
  /** Waits `ms` milliseconds or rejects when `signal` aborts; tests inject one. */
  sleep?: ((ms: number, signal?: AbortSignal) => Promise<void>) | undefined;
  /** Uniform in [0, 1); tests inject one. Default `Math.random`. */
  random?: (() => number) | undefined;
  /** Longest `Retry-After` waited out, in milliseconds; default 60000. */
  maxRetryAfterMs?: number | undefined;
}

/**
 * The delay before retry number `retry` (1 for the first retry), in milliseconds: full jitter,
 * `random() * min(capMs, baseMs * 2^(retry - 1))` (AWS Architecture Blog, "Exponential Backoff
 * And Jitter").
 */
export function backoffDelayMs(
  retry: number,
  random: () => number = Math.random,
  { baseMs, capMs } = DEFAULT_BACKOFF,
): number {
  return Math.floor(random() * Math.min(capMs, baseMs * 2 ** (retry - 1)));
}

/**
 * A `Retry-After` value in milliseconds from `nowMs` (RFC 9110 section 10.2.3): delay-seconds
 * (`120`) or an HTTP-date (`Wed, 21 Oct 2026 07:28:00 GMT`; a past date is 0). Undefined when
 * absent or unreadable.
 */
export function parseRetryAfter(value: string | null, nowMs = Date.now()): number | undefined {
  if (value === null) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const date = Date.parse(text);
  if (!/[A-Za-z]/.test(text) || Number.isNaN(date)) return undefined;
  return Math.max(0, date - nowMs);
}

/** True when repeating `request` cannot apply it twice: an idempotent method, or a keyed one. */
export function isSafeToRetry(request: Request): boolean {
  return IDEMPOTENT_METHODS.has(request.method) || request.headers.has(IDEMPOTENCY_KEY_HEADER);
}

/** Waits `ms`, or rejects with the signal's reason when it aborts first. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

type Fetch = (request: Request) => Promise<Response>;

/** One attempt's outcome: a response, or why none came. */
type Outcome =
  | { response: Response }
  | { error: 'network_error' | 'timeout' | 'aborted'; cause: unknown };

/**
 * Wraps `fetch` so that each call is one logical call under `policy`: a POST, PATCH or DELETE
 * gets its `Idempotency-Key` (the same on every attempt), each attempt is limited to
 * `timeoutMs`, failures that a retry may cure are retried while safe, and `logger` hears every
 * attempt.
 * @returns the last response (a retryable status included, once retries are used up).
 * @throws HangarTimeoutError (`timeout`) when the last attempt timed out; HangarApiError
 *   `aborted` when `policy.signal` or the request's own signal aborted; the fetch's own error
 *   when the last attempt threw (client.ts turns it into `network_error`).
 */
export function retryingFetch(fetch: Fetch, policy: RetryPolicy): Fetch {
  const wait = policy.sleep ?? sleep;
  const random = policy.random ?? Math.random;
  const maxRetryAfterMs = policy.maxRetryAfterMs ?? DEFAULT_MAX_RETRY_AFTER_MS;
  return async (original) => {
    const headers = new Headers(original.headers);
    const key = policy.idempotencyKey;
    if (
      KEYED_METHODS.has(original.method) &&
      !headers.has(IDEMPOTENCY_KEY_HEADER) &&
      key !== null
    ) {
      headers.set(IDEMPOTENCY_KEY_HEADER, key ?? crypto.randomUUID());
    }
    // Read once: every attempt sends the same bytes. A Blob, not the ArrayBuffer: Node 20's fetch
    // detaches an ArrayBuffer body on sending and then cannot resend it when following a 307 or
    // 308 ("Cannot perform ArrayBuffer.prototype.slice on a detached ArrayBuffer").
    const body = original.body === null ? undefined : new Blob([await original.arrayBuffer()]);
    const signals = [original.signal, policy.signal].filter((s): s is AbortSignal => !!s);
    const callSignal = signals.length > 1 ? AbortSignal.any(signals) : signals[0];
    const path = new URL(original.url).pathname;
    const attempts = 1 + Math.max(0, policy.maxRetries);
    const init = { method: original.method, headers, body, redirect: original.redirect };
    for (let attempt = 1; ; attempt++) {
      const started = performance.now();
      const { request, outcome } = await attemptOnce(fetch, original.url, init, policy, callSignal);
      const durationMs = Math.round(performance.now() - started);
      const retryInMs =
        attempt < attempts && isSafeToRetry(request)
          ? retryDelay(outcome, attempt, random, maxRetryAfterMs)
          : undefined;
      const requestId = 'response' in outcome ? outcome.response.headers.get('x-request-id') : null;
      hear(policy.logger, {
        attempt,
        method: request.method,
        url: request.url,
        path,
        status: 'response' in outcome ? outcome.response.status : 0,
        ...('error' in outcome ? { error: outcome.error } : {}),
        ...(requestId ? { requestId } : {}),
        durationMs,
        ...(retryInMs === undefined ? {} : { retryInMs }),
      });
      if (retryInMs === undefined) return settle(outcome, request, policy, attempt);
      // Free the connection of an answer that is not passed on.
      if ('response' in outcome) await outcome.response.body?.cancel().catch(() => undefined);
      try {
        await wait(retryInMs, callSignal);
      } catch (cause) {
        return settle({ error: 'aborted', cause }, request, policy, attempt);
      }
    }
  };
}

/**
 * Tells `logger` about an attempt. An exception it throws is ignored (as `onTokenExpiry`'s is):
 * a logger that fails must not turn an answer, maybe a token already created, into an error.
 */
function hear(
  logger: RetryPolicy['logger'],
  entry: Parameters<NonNullable<RetryPolicy['logger']>>[0],
) {
  try {
    logger?.(entry);
  } catch {
    // ignored, see above
  }
}

/** Sends one attempt, racing it against the timeout and the call's signal. */
async function attemptOnce(
  fetch: Fetch,
  url: string,
  init: RequestInit,
  { timeoutMs }: RetryPolicy,
  callSignal: AbortSignal | undefined,
): Promise<{ request: Request; outcome: Outcome }> {
  const controller = new AbortController();
  const request = new Request(url, { ...init, signal: controller.signal });
  if (callSignal?.aborted)
    return { request, outcome: { error: 'aborted', cause: callSignal.reason } };
  let timedOut = false;
  const timer =
    timeoutMs === undefined
      ? undefined
      : setTimeout(() => {
          timedOut = true;
          controller.abort(new DOMException('timed out', 'TimeoutError'));
        }, timeoutMs);
  const onAbort = () => controller.abort(callSignal?.reason);
  callSignal?.addEventListener('abort', onAbort, { once: true });
  const signal = controller.signal;
  // A fetch that ignores the signal (a test double) still loses the race.
  const aborted = new Promise<never>((_, reject) => {
    signal.addEventListener('abort', () => reject(signal.reason), { once: true });
  });
  try {
    const response = await Promise.race([fetch(request), aborted]);
    return { request, outcome: { response } };
  } catch (cause) {
    const error = timedOut ? 'timeout' : callSignal?.aborted ? 'aborted' : 'network_error';
    return { request, outcome: { error, cause } };
  } finally {
    clearTimeout(timer);
    callSignal?.removeEventListener('abort', onAbort);
  }
}

/** The wait before the next attempt, or undefined when this outcome is final. */
function retryDelay(
  outcome: Outcome,
  attempt: number,
  random: () => number,
  maxRetryAfterMs: number,
): number | undefined {
  if ('error' in outcome) {
    return outcome.error === 'aborted' ? undefined : backoffDelayMs(attempt, random);
  }
  const { response } = outcome;
  if (!RETRYABLE_STATUSES.has(response.status)) return undefined;
  const retryAfter = parseRetryAfter(response.headers.get('Retry-After'));
  if (retryAfter === undefined) return backoffDelayMs(attempt, random);
  return retryAfter <= maxRetryAfterMs ? retryAfter : undefined;
}

/** The final outcome as the call's result: the response, or the error to throw. */
function settle(outcome: Outcome, request: Request, policy: RetryPolicy, attempts: number) {
  if ('response' in outcome) return outcome.response;
  const { method, url } = request;
  if (outcome.error === 'timeout') {
    throw new HangarTimeoutError({ method, url, timeoutMs: policy.timeoutMs ?? 0, attempts });
  }
  if (outcome.error === 'aborted') {
    throw new HangarApiError({
      status: 0,
      code: 'aborted',
      title: 'Request aborted',
      detail: `${method} ${url} was aborted by the caller's signal`,
      method,
      url,
      local: true,
      cause: outcome.cause,
    });
  }
  throw outcome.cause;
}
