import type { Contract, HttpMethod, PathMatch } from '@hangar/contract';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { OperationRoute } from './auth/access-table.js';
import { problem } from './problems.js';

/** The order methods are listed in an `Allow` header. */
const METHOD_ORDER = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'];

/** Runs `steps` in order as Express would (an error or a rejected promise goes to `done`). */
function chain(steps: readonly RequestHandler[]): RequestHandler {
  return (req, res, done) => {
    let i = 0;
    const next: NextFunction = (err?: unknown) => {
      if (err !== undefined && err !== 'route') return done(err);
      const step = steps[i++];
      if (!step) return done();
      try {
        const result = step(req, res, next) as unknown;
        if (result instanceof Promise) result.catch(next);
      } catch (error) {
        next(error);
      }
    };
    next();
  };
}

/**
 * The path parameters decoded (RFC 3986 section 2.1), or a 400 `bad_request` naming the one
 * (`path.app`) whose percent-encoding is not UTF-8 (`/v1/apps/%ZZ`, `/v1/tokens/%C0`).
 */
function decoded(raw: Record<string, string>): Record<string, string> {
  const params: Record<string, string> = {};
  for (const [name, value] of Object.entries(raw)) {
    try {
      params[name] = value.includes('%') ? decodeURIComponent(value) : value;
    } catch {
      const field = `path.${name}`;
      const message = 'is not valid percent-encoded UTF-8';
      throw problem('bad_request', `${field}: ${message}`, { errors: [{ field, message }] });
    }
  }
  return params;
}

/** Every method of the matched paths (upper case; HEAD wherever GET is), in `Allow` order. */
function allowed(paths: readonly PathMatch[]): string {
  const methods = new Set<string>();
  for (const { operations } of paths) {
    for (const method of operations.keys()) {
      methods.add(method.toUpperCase());
      if (method === 'get') methods.add('HEAD');
    }
  }
  return METHOD_ORDER.filter((method) => methods.has(method)).join(', ');
}

/**
 * Routes each request to its contract operation with the contract's strict matchers (exact
 * segments, case-sensitive: `/v1/apps/x/` is not `/v1/apps/x`, so a client that built the path
 * from `..` must not delete the app), in this order:
 * - a path parameter that does not decode: 400 `bad_request` naming it, whatever the method or
 *   token;
 * - a contract path asked with a method it does not have (`PUT /v1/orgs`): 405
 *   `method_not_allowed` with an `Allow` header (`Allow: GET, HEAD`), OPTIONS included (CORS
 *   preflights were answered before, cors-origins.ts), and HEAD runs the GET operation (Node
 *   sends no body);
 * - else the operation's steps (`stepsFor(route)`), with `req.params` the decoded parameters.
 * Paths the contract does not have pass through (to the 404 handler).
 */
export function contractRouter(
  contract: Contract,
  routes: readonly OperationRoute[],
  stepsFor: (route: OperationRoute) => RequestHandler[],
): RequestHandler {
  const byOperation = new Map(routes.map((route) => [route.operation, chain(stepsFor(route))]));
  return (req: Request, res: Response, next: NextFunction) => {
    const paths = contract.paths(req.path);
    if (paths.length === 0) return next();
    const method = (req.method === 'HEAD' ? 'get' : req.method.toLowerCase()) as HttpMethod;
    const found = paths.find(({ operations }) => operations.has(method));
    let params: Record<string, string>;
    try {
      params = decoded(found?.params ?? (paths[0] as PathMatch).params);
      if (!found) for (const { params: other } of paths) decoded(other);
    } catch (error) {
      return next(error);
    }
    const operation = found?.operations.get(method);
    const run = operation && byOperation.get(operation);
    if (!run) {
      const allow = allowed(paths);
      res.set('Allow', allow);
      return next(
        problem('method_not_allowed', `${req.method} is not allowed on ${req.path}; use ${allow}`),
      );
    }
    req.params = params;
    run(req, res, next);
  };
}
