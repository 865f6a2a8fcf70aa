import createClient, { type Client, type Middleware } from 'openapi-fetch';
import { baseUrlProblem, serverRoot } from './base-url.js';
import { errorFromResponse, notHangarResponseError } from './errors.js';
import type { paths } from './generated/schema.js';
import { checkIdempotencyKey } from './idempotency-key.js';
import { authMiddleware, jsonBodyMiddleware, networkErrorMiddleware } from './middleware.js';
import { checkedPathSerializer } from './path-params.js';
import { type HangarResources, resources } from './resources.js';
import { type RequestLogger, type RetryPolicy, retryingFetch } from './retry.js';

/** Default retries after the first attempt (see {@link HangarClientOptions.maxRetries}). */
export const DEFAULT_MAX_RETRIES = 2;
/** Default per-attempt time limit, in milliseconds (see {@link HangarClientOptions.timeoutMs}). */
export const DEFAULT_TIMEOUT_MS = 60_000;
/**
 * The longest time limit or wait, in milliseconds (2^31 - 1, about 24.8 days): the largest delay
 * Node's and browsers' `setTimeout` honour; a larger one fires after 1 ms.
 */
export const MAX_TIMER_MS = 2_147_483_647;

/**
 * Refuses option values a timer cannot honour or a loop cannot count: `timeoutMs` and
 * `maxRetryAfterMs` must be finite milliseconds (`timeoutMs` above 0) up to {@link MAX_TIMER_MS},
 * `maxRetries` a whole number from 0.
 * @throws RangeError naming the option, its value and the range
 */
function checkLimits(options: {
  timeoutMs?: number | undefined;
  maxRetries?: number | undefined;
  maxRetryAfterMs?: number | undefined;
}): void {
  const { timeoutMs, maxRetries, maxRetryAfterMs } = options;
  const refuse = (name: string, value: unknown, range: string) => {
    const shown =
      typeof value === 'number'
        ? String(value)
        : `${JSON.stringify(value) ?? String(value)} (a ${typeof value})`;
    throw new RangeError(`${name} must be ${range}; got ${shown}`);
  };
  // A JavaScript caller may pass a string ("5000" from an environment variable): `>` would
  // coerce it, so only numbers pass.
  const isNumber = (value: unknown) => typeof value === 'number';
  if (
    timeoutMs !== undefined &&
    !(isNumber(timeoutMs) && timeoutMs > 0 && timeoutMs <= MAX_TIMER_MS)
  ) {
    refuse(
      'timeoutMs',
      timeoutMs,
      `milliseconds above 0 and at most ${MAX_TIMER_MS} (about 24.8 days)`,
    );
  }
  if (
    maxRetryAfterMs !== undefined &&
    !(isNumber(maxRetryAfterMs) && maxRetryAfterMs >= 0 && maxRetryAfterMs <= MAX_TIMER_MS)
  ) {
    refuse('maxRetryAfterMs', maxRetryAfterMs, `milliseconds from 0 to ${MAX_TIMER_MS}`);
  }
  if (maxRetries !== undefined && !(Number.isInteger(maxRetries) && maxRetries >= 0)) {
    refuse('maxRetries', maxRetries, 'a whole number from 0 (0 turns retrying off)');
  }
}

/**
 * Options of one call, given with {@link HangarClient.withOptions}; each overrides the client's.
 */
export interface CallOptions {
  /**
   * The `Idempotency-Key` of this call's POST or DELETE (1 to 255 printable ASCII characters,
   * no space first or last, `IDEMPOTENCY_KEY_RULE`; `withOptions` throws HangarApiError `validation_failed` for another):
   * a string to reuse across your own retries (a CI step re-run), or null to send none (the call
   * is then never retried). Left out, the SDK sends a fresh `crypto.randomUUID()` per call.
   */
  idempotencyKey?: string | null | undefined;
  /** Retries after the first attempt (0 turns them off). */
  maxRetries?: number | undefined;
  /** Per-attempt limit until the response headers arrive, in milliseconds. */
  timeoutMs?: number | undefined;
  /** Aborts the call and its retries: it then throws HangarApiError `aborted`. */
  signal?: AbortSignal | undefined;
}

import { type TokenExpiryListener, tokenExpiryMiddleware } from './token-expiry.js';

/** Options of {@link createHangarClient}. */
export interface HangarClientOptions {
  /**
   * The server root, e.g. `http://127.0.0.1:4280`. Trailing slashes and a trailing `/v1` (the
   * contract's base path, which every request path already carries) are dropped, so
   * `http://127.0.0.1:4280/v1/` works too.
   */
  baseUrl: string;
  /**
   * Access token, with or without a leading `Bearer ` and surrounding whitespace. Optional:
   * without one, only `sessions.create` can succeed (the server answers `unauthenticated`).
   */
  token?: string | undefined;
  /** Fetch to use (tests inject one); defaults to `globalThis.fetch`. */
  fetch?: ((request: Request) => Promise<Response>) | undefined;
  /** `User-Agent` header; defaults to `hangar-sdk`. */
  userAgent?: string | undefined;
  /**
   * Hears each attempt: `{ attempt, method, url, path, status, error?, durationMs, retryInMs? }`
   * (status 0 and `error` when no response came; `retryInMs` when it is retried); never headers,
   * bodies or tokens. An exception it throws is ignored.
   */
  logger?: RequestLogger | undefined;
  /**
   * Retries after the first attempt, default 2; 0 turns retrying off. Retried: network errors,
   * timeouts, 429, 502, 503 and 504, for GET/HEAD/PUT and for a POST or DELETE with an
   * `Idempotency-Key` (sent by default), waiting `Retry-After` (seconds or an HTTP-date, RFC 9110
   * section 10.2.3; over 60 s is not waited out) or else exponential backoff with full jitter
   * (random in [0, min(8 s, 0.5 s * 2^retry))).
   */
  maxRetries?: number | undefined;
  /**
   * Per-attempt limit in milliseconds until the response headers arrive, default 60000, at most
   * {@link MAX_TIMER_MS}; a call whose last attempt runs out throws {@link HangarTimeoutError}
   * (`timeout`).
   */
  timeoutMs?: number | undefined;
  /** Aborts every call of this client (HangarApiError `aborted`). */
  signal?: AbortSignal | undefined;
  /**
   * The longest `Retry-After` waited out, in milliseconds (default 60000); an answer asking for
   * longer is returned (thrown) at once, so a throttled login does not hang a script.
   */
  maxRetryAfterMs?: number | undefined;
  /** For tests: replaces the waits between attempts (`ms`, rejecting when `signal` aborts). */
  sleep?: RetryPolicy['sleep'];
  /** For tests: uniform in [0, 1), the jitter's source; default `Math.random`. */
  random?: RetryPolicy['random'];
  /**
   * Hears when the token in use expires, from the `Hangar-Token-Expires-At` header of every
   * answer to an authenticated request (errors too): `{ expiresAt` (RFC 3339 text),
   * `expiresAtMs` (ms since the Unix epoch), `secondsLeft` (whole seconds from this machine's
   * clock, negative once past), `method`, `url }`. Called once per such response; an exception
   * it throws is ignored. The CLI uses it to warn when the token expires within 7 days.
   */
  onTokenExpiry?: TokenExpiryListener | undefined;
}

/** The typed openapi-fetch client over the contract's `paths`. */
export type RawHangarClient = Client<paths>;

/** A Hangar API client: resource helpers plus the raw openapi-fetch client. */
export interface HangarClient extends HangarResources {
  /**
   * The openapi-fetch client with the same middleware (auth, logging, errors). Its calls return
   * `{ data, error, response }` and do not throw on API errors; they throw a HangarApiError only
   * when nothing usable came back: `network_error`, a local `token_malformed` (nothing sent), or
   * `http_error` for a 2xx whose body is not a JSON object.
   */
  raw: RawHangarClient;
  /**
   * The same client with per-call options: `hangar.withOptions({ idempotencyKey: key,
   * timeoutMs: 5000 }).tokens.createOrg('acme')`. Meant for one call: every POST or DELETE made
   * through a view with an `idempotencyKey` sends that key. Throws RangeError for a `timeoutMs`
   * or `maxRetries` out of range (see {@link createHangarClient}).
   */
  withOptions(options: CallOptions): HangarClient;
}

/**
 * Creates a client for the Hangar API.
 *
 * Every resource helper resolves to the success body and throws {@link HangarApiError} otherwise
 * (problem codes from the contract, `network_error`, `http_error`, local `token_malformed`, and a
 * local `validation_failed` for a path parameter that is empty, `.` or `..`: nothing is sent).
 *
 * @throws TypeError for a `baseUrl` that is not an absolute http(s) URL, holds a user name or
 *   password, or has a query or fragment
 * @throws RangeError for a `timeoutMs` or `maxRetryAfterMs` no timer can honour (not a number, 0
 *   or less, over {@link MAX_TIMER_MS}) or a `maxRetries` that is not a whole number from 0;
 *   `withOptions` throws the same for its call options
 * @example
 *   const hangar = createHangarClient({ baseUrl: 'http://127.0.0.1:4280', token });
 *   const created = await hangar.tokens.createOrg('acme', { name: 'ci', expiresIn: '720h' });
 *   for await (const t of hangar.tokens.iterateOrg('acme')) console.log(t.id, t.status);
 */
export function createHangarClient(options: HangarClientOptions): HangarClient {
  return clientWith(options, {});
}

function clientWith(options: HangarClientOptions, call: CallOptions): HangarClient {
  checkBaseUrl(options.baseUrl);
  checkLimits(options);
  checkLimits(call);
  // Resolve globalThis.fetch at call time so a later polyfill or test double is honoured.
  const fetch = options.fetch ?? ((request: Request) => globalThis.fetch(request));
  const signals = [options.signal, call.signal].filter((s): s is AbortSignal => !!s);
  const raw = createClient<paths>({
    baseUrl: serverRoot(options.baseUrl),
    fetch: retryingFetch(fetch, {
      maxRetries: call.maxRetries ?? options.maxRetries ?? DEFAULT_MAX_RETRIES,
      timeoutMs: call.timeoutMs ?? options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      signal: signals.length > 1 ? AbortSignal.any(signals) : signals[0],
      idempotencyKey: call.idempotencyKey,
      logger: options.logger,
      sleep: options.sleep,
      random: options.random,
      maxRetryAfterMs: options.maxRetryAfterMs,
    }),
    // Refuses "", "." and ".." as path parameters before any fetch (they rewrite the path).
    pathSerializer: checkedPathSerializer,
  });
  const middleware: Middleware[] = [
    // First in the list, so its onResponse runs last (openapi-fetch runs them in reverse) and the
    // logger still hears a response it refuses.
    jsonBodyMiddleware(),
    authMiddleware(options.token, options.userAgent ?? 'hangar-sdk'),
    networkErrorMiddleware(),
  ];
  if (options.onTokenExpiry) middleware.push(tokenExpiryMiddleware(options.onTokenExpiry));
  // Constructed Responses (and some fetch doubles) carry no URL; remember which request each
  // response answered so errors can name the method and URL.
  const requestOf = new WeakMap<Response, Request>();
  middleware.push({
    onResponse({ request, response }) {
      requestOf.set(response, request);
    },
  });
  raw.use(...middleware);
  async function callOf<T>(pending: Promise<FetchResult<T>>, check?: ShapeCheck): Promise<T> {
    const { data, error, response } = await pending;
    if (!response.ok) throw errorFromResponse(response, error, requestOf.get(response));
    const wrong = check?.(data);
    if (wrong) throw notHangarResponseError(response, wrong, requestOf.get(response));
    // A 2xx without a body (204) leaves data undefined; those helpers return void.
    return data as T;
  }
  return {
    raw,
    ...resources(raw, callOf),
    withOptions: (more) => {
      if (typeof more.idempotencyKey === 'string') checkIdempotencyKey(more.idempotencyKey);
      return clientWith(options, { ...call, ...more });
    },
  };
}

/** The shape openapi-fetch resolves to, narrowed to what a {@link Call} reads. */
export interface FetchResult<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

/**
 * Checks the shape of a 2xx body: returns what is wrong (e.g. `JSON without an "items" array`),
 * or undefined when the body is fine.
 */
export type ShapeCheck = (data: unknown) => string | undefined;

/**
 * Resolves an openapi-fetch call to its data, or throws the HangarApiError for its response
 * (`http_error` when `check` finds the 2xx body misshapen).
 */
export type Call = <T>(pending: Promise<FetchResult<T>>, check?: ShapeCheck) => Promise<T>;

/**
 * Refuses a `baseUrl` no request can be built on ({@link baseUrlProblem} says which).
 * @throws TypeError saying what to pass instead; it never repeats a password
 */
function checkBaseUrl(baseUrl: string): void {
  const problem = baseUrlProblem(baseUrl);
  if (problem) throw new TypeError(problem.message);
}
