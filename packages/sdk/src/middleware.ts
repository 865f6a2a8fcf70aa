import { decodeTokenString, normalizeToken, TokenFormatError } from '@hangar/tokens';
import type { Middleware } from 'openapi-fetch';
import { HangarApiError, notHangarResponseError } from './errors.js';
import type { paths } from './generated/schema.js';

/** Operations that carry no bearer security in the contract. */
const UNAUTHENTICATED_PATHS: ReadonlySet<string> = new Set(['/v1/sessions']);

/**
 * Sends `Authorization: Bearer <token>` and `User-Agent`. The token is normalised once
 * (whitespace and a leading `Bearer ` removed, `normalizeToken` of @hangar/tokens) and checked
 * offline (`decodeTokenString`): a malformed or truncated token fails every authenticated call
 * with a local `token_malformed` HangarApiError before anything is sent. A blank token sends no
 * header (the server answers `unauthenticated`).
 */
export function authMiddleware(token: string | undefined, userAgent: string): Middleware {
  const bearer = token === undefined ? '' : normalizeToken(token);
  const formatError = bearer === '' ? undefined : checkFormat(bearer);
  return {
    onRequest({ request, schemaPath }) {
      request.headers.set('User-Agent', userAgent);
      if (bearer === '' || UNAUTHENTICATED_PATHS.has(schemaPath)) return request;
      if (formatError) {
        throw new HangarApiError({
          status: 401,
          code: 'token_malformed',
          title: 'Malformed access token',
          detail: `the access token is malformed (${formatError.code}): ${formatError.message}; no request was sent`,
          method: request.method,
          url: request.url,
          local: true,
        });
      }
      request.headers.set('Authorization', `Bearer ${bearer}`);
      return request;
    },
  };
}

function checkFormat(token: string): TokenFormatError | undefined {
  try {
    decodeTokenString(token);
    return undefined;
  } catch (error) {
    if (error instanceof TokenFormatError) return error;
    throw error;
  }
}

/**
 * Turns a fetch that threw (refused connection, DNS failure, reset, abort) into a
 * `network_error` HangarApiError naming the URL, instead of a bare `TypeError: fetch failed`.
 */
export function networkErrorMiddleware(): Middleware {
  return {
    onError({ request, error }) {
      if (error instanceof HangarApiError) return error;
      const reason = describeCause(error);
      return new HangarApiError({
        status: 0,
        code: 'network_error',
        title: 'Network error',
        detail: `could not reach ${request.url}${reason ? `: ${reason}` : ''}`,
        method: request.method,
        url: request.url,
        local: true,
        cause: error,
      });
    },
  };
}

/** Node's fetch hides the useful part (ECONNREFUSED ...) in `cause`. */
function describeCause(error: unknown): string {
  if (!(error instanceof Error)) return String(error ?? '');
  const cause = error.cause;
  if (cause instanceof Error && cause.message) return `${error.message} (${cause.message})`;
  return error.message;
}

type Method = 'get' | 'put' | 'post' | 'delete' | 'patch';

/** `METHOD /path` of every operation whose contract declares a 204 answer. */
type NoContentOperation = {
  [P in keyof paths]: {
    [M in Method]: paths[P][M] extends { responses: { 204: unknown } }
      ? `${Uppercase<M>} ${P & string}`
      : never;
  }[Method];
}[keyof paths];

/**
 * The operations that may answer 204 without a body; every other one answers JSON. Checked
 * against the generated contract types: an operation missing here, or one without a 204 in the
 * contract, fails the build.
 */
const NO_CONTENT: { [K in NoContentOperation]: true } = {
  'DELETE /v1/apps/{app}': true,
  'DELETE /v1/apps/{app}/machines/{machine}': true,
  'DELETE /v1/orgs/{org}/trust-policies/{policy_id}': true,
};
const NO_CONTENT_OPERATIONS: ReadonlySet<string> = new Set(Object.keys(NO_CONTENT));

/**
 * Refuses a 2xx response whose body is not a JSON object, which no Hangar operation sends:
 * typically an HTML page from another server at the base URL, or a 204 from an operation whose
 * contract answers JSON (only the operations in {@link NO_CONTENT} may answer 204). Throws an
 * `http_error` HangarApiError naming the URL, instead of letting a SyntaxError (or an undefined
 * body typed as a token) escape. Reads a clone, so the body stays readable for openapi-fetch.
 */
export function jsonBodyMiddleware(): Middleware {
  return {
    async onResponse({ request, response, schemaPath }) {
      if (!response.ok || request.method === 'HEAD') return undefined;
      if (response.status === 204 && NO_CONTENT_OPERATIONS.has(`${request.method} ${schemaPath}`)) {
        return undefined;
      }
      const what = describeNonJsonObject(
        await response.clone().text(),
        response.headers.get('Content-Type'),
      );
      if (what) throw notHangarResponseError(response, what, request);
      return undefined;
    },
  };
}

/** Says what `text` is when it is not a JSON object (`an empty body`, ...); undefined if it is. */
function describeNonJsonObject(text: string, contentType: string | null): string | undefined {
  if (text.trim() === '') return 'an empty body';
  const type = contentType?.split(';')[0]?.trim();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return type ? `a ${type} body` : 'a body that is not JSON';
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return 'JSON that is not an object';
  }
  return undefined;
}
