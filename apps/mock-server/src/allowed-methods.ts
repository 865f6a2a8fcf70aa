import type { RequestHandler } from 'express';
import type { OperationRoute } from './auth/access-table.js';
import { problem } from './problems.js';

/** The order methods are listed in an `Allow` header. */
const METHOD_ORDER = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'];

export interface PathMethods {
  /**
   * Matches the contract path exactly as the routes do (strict, case-sensitive): `{param}` is
   * one non-empty segment, captured raw (still percent-encoded) in the group of its name.
   */
  pattern: RegExp;
  methods: Set<string>;
}

function pathPattern(openapiPath: string): RegExp {
  const source = openapiPath
    .split(/(\{[^}]+\})/)
    .map((part) =>
      part.startsWith('{')
        ? `(?<${part.slice(1, -1)}>[^/]+)`
        : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'),
    )
    .join('');
  return new RegExp(`^${source}$`);
}

/** Each contract path with its methods (upper case; HEAD wherever GET is, as Express answers it). */
export function methodsByPath(routes: readonly OperationRoute[]): PathMethods[] {
  const byPath = new Map<string, Set<string>>();
  for (const route of routes) {
    const methods = byPath.get(route.path) ?? new Set<string>();
    methods.add(route.method.toUpperCase());
    if (route.method === 'get') methods.add('HEAD');
    byPath.set(route.path, methods);
  }
  return [...byPath].map(([path, methods]) => ({ pattern: pathPattern(path), methods }));
}

/**
 * 405 for a path of the contract asked with a method it does not have (`PUT /v1/orgs`): a
 * `method_not_allowed` problem with an `Allow` header listing the path's methods, e.g.
 * `Allow: GET, HEAD`. Paths the contract does not have pass through (to the 404 handler), and so
 * do OPTIONS requests (CORS answers those). Runs before authentication: the answer does not
 * depend on the token.
 */
export function allowedMethods(routes: readonly OperationRoute[]): RequestHandler {
  const paths = methodsByPath(routes);
  return (req, res, next) => {
    if (req.method === 'OPTIONS') return next();
    const allowed = new Set<string>();
    for (const { pattern, methods } of paths) {
      if (pattern.test(req.path)) for (const method of methods) allowed.add(method);
    }
    if (allowed.size === 0 || allowed.has(req.method)) return next();
    const allow = METHOD_ORDER.filter((method) => allowed.has(method)).join(', ');
    res.set('Allow', allow);
    next(
      problem('method_not_allowed', `${req.method} is not allowed on ${req.path}; use ${allow}`),
    );
  };
}
