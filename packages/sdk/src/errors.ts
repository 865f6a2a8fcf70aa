import { redactJwts, redactTokens } from '@hangar/tokens/redact';
import type { components } from './generated/schema.js';

/**
 * An RFC 9457 problem body (`application/problem+json`) as the contract declares it, with the
 * extras some codes carry: `errors` (validation_failed) and `required_access` (forbidden and the
 * minting refusals).
 */
export type Problem = components['schemas']['Problem'] & {
  code: ProblemCode;
  errors?: components['schemas']['FieldError'][];
  required_access?: components['schemas']['RequiredAccess'];
};

type Schemas = components['schemas'];
type ProblemSchema = Exclude<Extract<keyof Schemas, `${string}Problem`>, 'Problem'>;

/** A problem code from the contract: its problem schemas' `code` enums and the server-level ones. */
export type ProblemCode =
  | { [K in ProblemSchema]: NonNullable<Schemas[K]['code']> }[ProblemSchema]
  // Server-level problems, outside any one operation (the contract's info.description):
  | 'method_not_allowed'
  | 'request_header_fields_too_large'
  | 'internal';

/**
 * Every problem `code` the contract declares. Checked against the generated contract types at
 * compile time: a code missing here, or one the contract does not have, fails the build.
 */
const CODES: { [K in ProblemCode]: true } = {
  validation_failed: true,
  malformed_json: true,
  unauthenticated: true,
  token_malformed: true,
  token_invalid: true,
  token_expired: true,
  token_revoked: true,
  token_rotated: true,
  invalid_credentials: true,
  forbidden: true,
  exceeds_token_scope: true,
  exceeds_token_lifetime: true,
  not_found: true,
  conflict: true,
  token_already_revoked: true,
  token_already_rotated: true,
  token_already_expired: true,
  idempotency_key_in_use: true,
  idempotency_key_reused: true,
  rate_limited: true,
  payload_too_large: true,
  unsupported_media_type: true,
  method_not_allowed: true,
  request_header_fields_too_large: true,
  bad_request: true,
  misdirected_request: true,
  internal: true,
};

/** Every problem `code` the contract declares. */
export const PROBLEM_CODES = Object.keys(CODES) as readonly ProblemCode[];

/**
 * Codes the SDK itself produces, never the server:
 * - `network_error`: fetch threw (DNS, refused connection, reset, abort); status 0.
 * - `http_error`: the server answered an error status without a problem body (an HTML 502 from
 *   a proxy, an empty 500, a problem with a code this SDK does not know), or a success status
 *   with a body no Hangar API sends (an HTML page from another server answering 200, a list
 *   without an `items` array).
 * `token_malformed` is also raised locally, before any request, for a token that fails the
 * format check, and `validation_failed` (status 0, `problem.errors` naming `path.<name>`) for a
 * path parameter that is empty, `.` or `..`; `local` is true then.
 * - `timeout`: no response headers arrived within `timeoutMs` (thrown as {@link HangarTimeoutError},
 *   after the retries the call was allowed); status 0.
 * - `aborted`: the caller's `signal` aborted the call (never retried); status 0.
 */
export type LocalErrorCode = 'network_error' | 'http_error' | 'timeout' | 'aborted';

/** Everything `HangarApiError.code` can be. */
export type HangarErrorCode = ProblemCode | LocalErrorCode;

const KNOWN_CODES: ReadonlySet<string> = new Set(PROBLEM_CODES);

export interface HangarApiErrorInit {
  status: number;
  code: HangarErrorCode;
  title: string;
  detail: string;
  problem?: Problem | undefined;
  method?: string | undefined;
  url?: string | undefined;
  local?: boolean | undefined;
  serverCode?: string | undefined;
  requestId?: string | null | undefined;
  cause?: unknown;
}

/**
 * An API call that did not succeed. Thrown by every resource helper.
 *
 * - `status`: HTTP status (0 when no response arrived: `network_error`)
 * - `code`: the problem's stable code, or a local code (see {@link LocalErrorCode})
 * - `title`, `detail`: from the problem body (or written by the SDK for local errors)
 * - `problem`: the parsed problem body when the server sent one
 * - `method`, `url`: the request (the URL never carries secrets; headers are never kept)
 * - `local`: true when the SDK refused the call itself and sent nothing
 * - `serverCode`: the problem's `code` as the server sent it; for a code the contract does not
 *   declare (a mock fault rule's `injected_fault`, a newer server's) `code` is `http_error`
 *   while `title`, `detail` and `serverCode` keep what the server said
 * - `requestId`: the answer's `X-Request-Id` (`req_…`), the id the server's logs and audit
 *   events know the request by: quote it when reporting a problem; null when no answer arrived
 *   (`network_error`, `timeout`, `aborted`, a local refusal) or it carried no such header
 *
 * `message` is `detail` (or `title`) followed by `(status code)`, the server's code when it sent
 * one; it never holds a token.
 */
export class HangarApiError extends Error {
  override readonly name = 'HangarApiError';
  readonly status: number;
  readonly code: HangarErrorCode;
  readonly title: string;
  readonly detail: string;
  readonly problem: Problem | undefined;
  readonly method: string | undefined;
  readonly url: string | undefined;
  readonly local: boolean;
  readonly serverCode: string | undefined;
  /** The answer's `X-Request-Id`; null when no answer arrived or it had none. */
  readonly requestId: string | null;

  constructor(given: HangarApiErrorInit) {
    // A server (or a proxy in front of it) may echo the request's token or an ID token back.
    const init = {
      ...given,
      title: redactSecrets(given.title),
      detail: redactSecrets(given.detail),
      problem:
        given.problem && (JSON.parse(redactSecrets(JSON.stringify(given.problem))) as Problem),
    };
    super(
      `${init.detail || init.title} (${init.status || 'no response'} ${init.serverCode ?? init.code})`,
      {
        cause: init.cause,
      },
    );
    this.status = init.status;
    this.code = init.code;
    this.title = init.title;
    this.detail = init.detail;
    this.problem = init.problem;
    this.method = init.method;
    this.url = init.url;
    this.local = init.local ?? false;
    this.serverCode = init.serverCode;
    this.requestId = init.requestId ?? null;
  }
}

/**
 * `text` with Hangar token strings and JWTs blanked out (`hangar_[redacted]`, `[redacted JWT]`);
 * the replacements hold no quote or backslash, so JSON text stays JSON.
 */
export function redactSecrets(text: string): string {
  return redactJwts(redactTokens(text));
}

/** True for an object shaped like a contract problem with a code this SDK knows. */
export function isProblem(body: unknown): body is Problem {
  if (typeof body !== 'object' || body === null) return false;
  const { code, title } = body as Record<string, unknown>;
  return typeof code === 'string' && KNOWN_CODES.has(code) && typeof title === 'string';
}

/** True when `error` is a {@link HangarApiError}, optionally with one of the given codes. */
export function isHangarApiError(
  error: unknown,
  ...codes: HangarErrorCode[]
): error is HangarApiError {
  return error instanceof HangarApiError && (codes.length === 0 || codes.includes(error.code));
}

/**
 * The title, detail and code of an RFC 9457 problem whose `code` the contract does not declare
 * (a string `code` and a string `title` or `detail`); undefined for anything else.
 */
function unknownProblem(
  body: unknown,
): { title: string; detail: string; serverCode: string } | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const { code, title, detail } = body as Record<string, unknown>;
  if (typeof code !== 'string' || (typeof title !== 'string' && typeof detail !== 'string')) {
    return undefined;
  }
  const text = (value: unknown) => (typeof value === 'string' ? value : '');
  return { title: text(title) || code, detail: text(detail), serverCode: code };
}

/**
 * Builds the error for a non-2xx response. A problem body keeps its code, title and detail; a
 * problem with a code the contract does not declare becomes `http_error` keeping its title,
 * detail and `serverCode`; anything else (HTML, plain text, empty) becomes `http_error` with the
 * status text, and a short excerpt of a text body in `detail`.
 */
export function errorFromResponse(
  response: Response,
  body: unknown,
  request?: Request,
): HangarApiError {
  const where = {
    method: request?.method,
    url: request?.url ?? (response.url || undefined),
    status: response.status,
    requestId: response.headers.get('x-request-id'),
  };
  if (isProblem(body)) {
    return new HangarApiError({
      ...where,
      code: body.code,
      title: body.title,
      detail: typeof body.detail === 'string' ? body.detail : '',
      problem: body,
      serverCode: body.code,
    });
  }
  const unknown = unknownProblem(body);
  if (unknown) return new HangarApiError({ ...where, code: 'http_error', ...unknown });
  const title = response.statusText || `HTTP ${response.status}`;
  // Blanked before cutting, so a cut cannot leave a secret too short to be recognised.
  const excerpt =
    typeof body === 'string' ? redactSecrets(body).replace(/\s+/g, ' ').trim().slice(0, 120) : '';
  return new HangarApiError({
    ...where,
    code: 'http_error',
    title,
    detail: `unexpected ${response.status} response from the server${excerpt ? `: ${excerpt}` : ''}`,
  });
}

/**
 * Builds the `http_error` for a 2xx response that cannot come from a Hangar API: `what` says
 * what arrived instead, e.g. `a text/html body` or `JSON without an "items" array`. The detail
 * names the method and URL, so a wrong base URL is easy to spot; the status is kept.
 */
export function notHangarResponseError(
  response: Response,
  what: string,
  request?: Request,
): HangarApiError {
  const method = request?.method;
  const url = request?.url ?? (response.url || undefined);
  const call = [method, url].filter(Boolean).join(' ') || 'the request';
  return new HangarApiError({
    method,
    url,
    status: response.status,
    requestId: response.headers.get('x-request-id'),
    code: 'http_error',
    title: 'Not a Hangar API response',
    detail: `${call} answered ${response.status} with ${what}, not JSON from a Hangar API`,
  });
}

/**
 * A call whose attempt got no response headers within `timeoutMs` milliseconds (per attempt; see
 * `HangarClientOptions.timeoutMs`). `code` is `timeout` and `status` 0, so
 * `isHangarApiError(error, 'timeout')` and `error instanceof HangarTimeoutError` both tell it
 * apart. Thrown once the call's retries are used up (a timed-out attempt is retried like a network
 * error when the request is safe to repeat). The request may have reached the server.
 */
export class HangarTimeoutError extends HangarApiError {
  override readonly code = 'timeout';
  /** The per-attempt limit that ran out, in milliseconds. */
  readonly timeoutMs: number;

  constructor(init: { method: string; url: string; timeoutMs: number; attempts: number }) {
    const tries = init.attempts === 1 ? '1 attempt' : `${init.attempts} attempts`;
    super({
      status: 0,
      code: 'timeout',
      title: 'Request timed out',
      detail: `${init.method} ${init.url} got no response within ${init.timeoutMs} ms (${tries})`,
      method: init.method,
      url: init.url,
      local: true,
    });
    this.timeoutMs = init.timeoutMs;
  }
}
