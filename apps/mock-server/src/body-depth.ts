import type { RequestHandler } from 'express';
import { type ProblemError, problem } from './problems.js';

/**
 * The deepest nesting of objects and arrays a JSON request body may have (`{}` is 1 level,
 * `{"a":[1]}` is 2), as openapi/hangar.yaml states beside the 64 KiB size limit. No operation
 * needs more than 3; the limit keeps every walk over client data (journal redaction, Unicode
 * checks, validation, idempotency fingerprints) bounded, however a 64 KiB body nests.
 */
export const MAX_BODY_DEPTH = 32;

/**
 * Whether `value` nests objects and arrays deeper than `limit` levels. Iterative (an explicit
 * stack, not recursion), so no body can exhaust the call stack while it is measured.
 */
export function nestedDeeperThan(value: unknown, limit: number): boolean {
  const stack: Array<{ node: unknown; depth: number }> = [{ node: value, depth: 0 }];
  for (let item = stack.pop(); item !== undefined; item = stack.pop()) {
    const { node, depth } = item;
    if (typeof node !== 'object' || node === null) continue;
    if (depth >= limit) return true;
    for (const child of Object.values(node)) stack.push({ node: child, depth: depth + 1 });
  }
  return false;
}

/** 400 `validation_failed` naming `body`: it nests deeper than {@link MAX_BODY_DEPTH}. */
export function tooDeeplyNested(): ProblemError {
  const message = `is nested deeper than ${MAX_BODY_DEPTH} levels of objects and arrays`;
  return problem('validation_failed', `body: ${message}`, { errors: [{ field: 'body', message }] });
}

/**
 * The step after a JSON body parser (the `/v1` operations' and the `/_admin` controls'):
 * a parsed body nested deeper than {@link MAX_BODY_DEPTH} is refused before anything walks it.
 */
export function nestingLimit(): RequestHandler {
  return (req, _res, next) => {
    next(nestedDeeperThan(req.body, MAX_BODY_DEPTH) ? tooDeeplyNested() : undefined);
  };
}
