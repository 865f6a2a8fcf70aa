import type { IncomingMessage } from 'node:http';
import cors from 'cors';
import type { RequestHandler } from 'express';

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/** True for `http://localhost:5173`, `http://127.0.0.1`, `https://[::1]:8443`: any port. */
export function isLoopbackOrigin(origin: string): boolean {
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false;
  }
  return (
    (url.protocol === 'http:' || url.protocol === 'https:') && LOOPBACK_HOSTS.has(url.hostname)
  );
}

/**
 * Checks a `--cors-origin` value and returns it in the form browsers send in `Origin`
 * (`https://app.example.com:8443`, no path, no trailing slash); `*` stays `*`.
 * @throws Error when the value is not `*` or an http(s) origin.
 */
export function normalizeCorsOrigin(value: string): string {
  if (value === '*') return value;
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  const bare = url && (url.pathname === '/' || url.pathname === '') && !url.search && !url.hash;
  if (!url || !bare || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    throw new Error(`CORS origin must be * or like https://app.example.com:8443, got "${value}"`);
  }
  return url.origin;
}

/**
 * Answer headers a page may read: rate limits (rate-limits.ts), replays (idempotency.ts), the
 * token's expiry and the request id.
 */
export const EXPOSED_HEADERS = [
  'RateLimit-Policy',
  'RateLimit',
  'Retry-After',
  'Idempotent-Replayed',
  'Hangar-Token-Expires-At',
  'X-Request-Id',
  'WWW-Authenticate',
];

/**
 * CORS for browsers: pages on loopback origins (any port) may call the server, plus `extra`
 * origins (exact match), or every origin when `extra` holds `*`. Other origins get no
 * `Access-Control-Allow-Origin`, so a page on the web cannot log into a running mock with the
 * well-known dev credentials. Non-browser clients send no `Origin` and are unaffected. Only a
 * preflight (below) is answered here, 204; another OPTIONS goes on to routing.
 * @throws Error for an invalid entry in `extra` (see {@link normalizeCorsOrigin}).
 */
export function corsForOrigins(extra: readonly string[] = []): RequestHandler {
  const allowed = new Set(extra.map(normalizeCorsOrigin));
  const handler = allowed.has('*')
    ? cors({ exposedHeaders: EXPOSED_HEADERS })
    : cors({
        exposedHeaders: EXPOSED_HEADERS,
        origin: (origin, callback) =>
          callback(null, origin !== undefined && (isLoopbackOrigin(origin) || allowed.has(origin))),
      });
  return (req, res, next) => {
    if (req.method === 'OPTIONS' && !isPreflight(req)) return next();
    handler(req, res, next);
  };
}

/**
 * A CORS preflight: OPTIONS with `Origin` and `Access-Control-Request-Method` (Fetch standard,
 * "CORS-preflight request"). Any other OPTIONS is an ordinary request: the path has no OPTIONS
 * operation, so routing.ts answers 405 with `Allow`, as for PATCH.
 */
function isPreflight(req: IncomingMessage): boolean {
  return (
    req.headers.origin !== undefined && req.headers['access-control-request-method'] !== undefined
  );
}
