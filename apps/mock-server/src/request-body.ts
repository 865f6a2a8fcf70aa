import express, { type Request, type RequestHandler } from 'express';
import type { OperationRoute } from './auth/access-table.js';
import { nestingLimit } from './body-depth.js';
import { decodingBody } from './content-encoding.js';
import { type FieldError, problem } from './problems.js';

/** Request bodies above this size get 413 `payload_too_large` (the contract says 64 KiB). */
export const BODY_LIMIT = '64kb';

/**
 * Whether the request carries body bytes: a `Transfer-Encoding`, or a `Content-Length` above 0
 * (RFC 9112 section 6.3). `fetch` sends `Content-Length: 0` on a POST without a body; that is
 * no body.
 */
function hasBody(req: Request): boolean {
  if (req.headers['transfer-encoding'] !== undefined) return true;
  const length = req.headers['content-length'];
  return length !== undefined && length !== '0';
}

/** The form media type (RFC 8693 token exchange bodies). */
const FORM = 'application/x-www-form-urlencoded';

/**
 * The media type an operation's body is sent as: the contract's `application/x-www-form-urlencoded`
 * when it declares that (exchangeToken, RFC 8693), else `application/json`.
 */
export function bodyMediaType(route: OperationRoute): string {
  return route.operation.requestBody?.content[FORM] !== undefined ? FORM : 'application/json';
}

/** A UTF-16 surrogate without its pair: JSON can carry one (`"\ud800"`), UTF-8 cannot. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Every string (value or member name) in `value` that is not well-formed Unicode, by field
 * (`body.name`, `body.apps.0`), in document order: stored, it would read back as U+FFFD, a
 * different name. Iterative (an explicit stack), so no nesting can exhaust the call stack.
 */
export function illFormedStrings(value: unknown, field = 'body'): FieldError[] {
  type Item = { node: unknown; path: string; badName: boolean };
  const found: FieldError[] = [];
  const stack: Item[] = [{ node: value, path: field, badName: false }];
  for (let item = stack.pop(); item !== undefined; item = stack.pop()) {
    const { node, path, badName } = item;
    if (badName) found.push({ field: path, message: 'field names must be valid Unicode text' });
    if (typeof node === 'string' && LONE_SURROGATE.test(node)) {
      found.push({
        field: path,
        message: 'must be valid Unicode text (it has an unpaired surrogate)',
      });
    }
    if (typeof node !== 'object' || node === null) continue;
    const entries = Object.entries(node);
    // Last member first onto the stack, so the first is looked at next.
    for (let i = entries.length - 1; i >= 0; i--) {
      const [key, child] = entries[i] as [string, unknown];
      stack.push({ node: child, path: `${path}.${key}`, badName: LONE_SURROGATE.test(key) });
    }
  }
  return found;
}

/** 400 `validation_failed` for the fields {@link illFormedStrings} finds in a parsed body. */
export function wellFormedBody(): RequestHandler {
  return (req, _res, next) => {
    const errors = illFormedStrings(req.body);
    if (errors.length === 0) return next();
    const detail = errors.map((e) => `${e.field}: ${e.message}`).join('; ');
    next(problem('validation_failed', detail, { errors }));
  };
}

/**
 * The body steps of one operation, before contract validation. A body is never ignored:
 * - body bytes with a type other than `application/json`, or none: 415 `unsupported_media_type`;
 * - a JSON body on an operation that takes none: 400 `validation_failed` (`body`);
 * - a `Content-Encoding` other than gzip, deflate or br: 415; a body that does not decode with
 *   it: 400 `bad_request` naming `header.Content-Encoding` (content-encoding.ts);
 * - over {@link BODY_LIMIT}: 413 `payload_too_large`; not JSON: 400 `malformed_json`;
 * - JSON nested deeper than 32 levels (body-depth.ts): 400 `validation_failed` (`body`);
 * - JSON that is not an object (`null`, `[]`, `"x"`): 400 `validation_failed` (`body`);
 * - a string with an unpaired surrogate: 400 `validation_failed` naming the field.
 * A request without body bytes goes on with `req.body` undefined (the contract says whether
 * the operation needs one).
 */
export function requestBody(route: OperationRoute): RequestHandler[] {
  const type = bodyMediaType(route);
  const refuse = (message: string) =>
    problem('validation_failed', `body: ${message}`, { errors: [{ field: 'body', message }] });
  const present: RequestHandler = (req, _res, next) => {
    if (!hasBody(req)) return next();
    if (!req.is(type)) {
      return next(problem('unsupported_media_type', `Send the request body as ${type}`));
    }
    if (!route.takesBody) return next(refuse(`${route.operationId} takes no request body`));
    next();
  };
  const isObject: RequestHandler = (req, _res, next) => {
    const { body } = req as { body: unknown };
    if (!hasBody(req) || (typeof body === 'object' && body !== null && !Array.isArray(body))) {
      return next();
    }
    next(refuse('must be a JSON object'));
  };
  // An operation without a body needs no parser: `present` refuses any body it is sent.
  if (!route.takesBody) return [present];
  // strict: false lets `null` and other non-objects parse, to be refused as such, not as bad JSON.
  const parse = decodingBody(
    type === FORM
      ? express.urlencoded({ limit: BODY_LIMIT, extended: false, parameterLimit: 100 })
      : express.json({ limit: BODY_LIMIT, strict: false }),
  );
  return [present, parse, nestingLimit(), isObject, wellFormedBody()];
}
