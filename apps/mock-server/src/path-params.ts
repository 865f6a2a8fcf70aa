import type { RequestHandler } from 'express';
import { methodsByPath } from './allowed-methods.js';
import type { OperationRoute } from './auth/access-table.js';
import { problem } from './problems.js';

/**
 * 400 `bad_request` naming the path parameter (`path.app`) whose percent-encoding does not
 * decode to UTF-8 (`/v1/apps/%ZZ`, `/v1/tokens/%C0`; RFC 3986 section 2.1), before routing,
 * so the answer is the same with or without a token. Express would otherwise fail while
 * matching the route and answer 500.
 */
export function decodablePathParams(routes: readonly OperationRoute[]): RequestHandler {
  const patterns = methodsByPath(routes).map(({ pattern }) => pattern);
  return (req, _res, next) => {
    if (!req.path.includes('%')) return next();
    for (const pattern of patterns) {
      const groups = pattern.exec(req.path)?.groups ?? {};
      for (const [name, raw] of Object.entries(groups)) {
        try {
          decodeURIComponent(raw);
        } catch {
          const field = `path.${name}`;
          const message = 'is not valid percent-encoded UTF-8';
          return next(
            problem('bad_request', `${field}: ${message}`, { errors: [{ field, message }] }),
          );
        }
      }
    }
    next();
  };
}
