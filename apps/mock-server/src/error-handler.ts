import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { Logger } from 'pino';
import { patternRules } from './contract.js';
import { type FieldError, type ProblemCode, ProblemError, problem } from './problems.js';
import { redactTokens } from './redact.js';

/** A validator error as express-openapi-validator raises it (`HttpError`). */
interface ValidatorError {
  status: number;
  message: string;
  errors?: { path?: string; message?: string; errorCode?: string }[];
}

/** A body-parser error (`express.json()`): `type` says what went wrong. */
interface BodyParserError {
  type: string;
  status: number;
  /** The size limit in bytes (`entity.too.large`). */
  limit?: number;
}

function isBodyParserError(err: unknown): err is BodyParserError {
  return (
    typeof err === 'object' &&
    err !== null &&
    typeof (err as { type?: unknown }).type === 'string' &&
    typeof (err as { status?: unknown }).status === 'number'
  );
}

function isValidatorError(err: unknown): err is ValidatorError {
  return (
    typeof err === 'object' &&
    err !== null &&
    typeof (err as { status?: unknown }).status === 'number' &&
    Array.isArray((err as { errors?: unknown }).errors)
  );
}

/**
 * `/body/expires_in` -> `body.expires_in`; `/query/limit` -> `query.limit`; the validator's
 * `/params/token_id` -> `path.token_id` (OpenAPI's name for where the value is: `in: path`).
 */
function fieldOf(path: string | undefined): string {
  if (!path) return 'body';
  const field = path
    .replace(/^[./]+/, '')
    .replace(/\//g, '.')
    .replace(/^params\./, 'path.');
  return field === '' ? 'body' : field;
}

/** Ajv's `must match pattern "^…$"` becomes `must be <the contract's x-hangar-rule>`. */
function inWords(message: string): string {
  const pattern = /^must match pattern "(.*)"$/s.exec(message)?.[1];
  const rule = pattern === undefined ? undefined : patternRules().get(pattern);
  return rule === undefined ? message : `must be ${rule}`;
}

function fromValidator(err: ValidatorError): ProblemError {
  const errors: FieldError[] = (err.errors ?? []).map((e) => {
    const field = fieldOf(e.path);
    if (e.errorCode?.startsWith('additionalProperties')) {
      const name = field.split('.').pop() ?? field;
      return { field, message: `unknown field "${name}"` };
    }
    return { field, message: inWords(e.message ?? 'is invalid') };
  });
  const byStatus: Record<number, ProblemCode> = {
    400: 'validation_failed',
    404: 'not_found',
    // allowed-methods.ts answers these first, with an Allow header; this is the fallback.
    405: 'method_not_allowed',
    413: 'payload_too_large',
    415: 'unsupported_media_type',
  };
  const code = byStatus[err.status];
  if (code === 'validation_failed') {
    const detail = errors.map((e) => `${e.field}: ${e.message}`).join('; ') || err.message;
    return problem(code, detail, { errors });
  }
  if (code === 'unsupported_media_type') {
    return problem(code, 'Send the request body as application/json');
  }
  if (code === 'not_found') return problem(code, 'No such route');
  if (code === 'method_not_allowed') return problem(code, 'This path does not take that method');
  if (code) return problem(code, err.message);
  // 500 from response validation: the server broke its own contract. Say so, without internals.
  return problem('internal', 'The server could not complete the request');
}

function fromBodyParser(err: BodyParserError): ProblemError | undefined {
  switch (err.type) {
    case 'entity.parse.failed':
      return problem('malformed_json', 'The request body could not be parsed as JSON');
    case 'entity.too.large': {
      const limit = err.limit === undefined ? '' : ` (${Math.floor(err.limit / 1024)} KiB)`;
      return problem(
        'payload_too_large',
        `The request body is larger than the server accepts${limit}`,
      );
    }
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return problem('unsupported_media_type', 'Send the request body as UTF-8 application/json');
    case 'request.aborted':
    case 'request.size.invalid':
      return problem('validation_failed', 'The request body was incomplete');
    default:
      return undefined;
  }
}

/** Converts anything thrown into a {@link ProblemError}; unknown errors become `internal`. */
export function toProblem(err: unknown): ProblemError {
  if (err instanceof ProblemError) return err;
  if (isBodyParserError(err)) {
    const mapped = fromBodyParser(err);
    if (mapped) return mapped;
  }
  if (isValidatorError(err)) return fromValidator(err);
  // Express failing to decode a route parameter; path-params.ts names it before routing.
  if (err instanceof URIError) return problem('bad_request', 'The request path is not valid UTF-8');
  return problem('internal', 'The server could not complete the request');
}

/**
 * The one error handler: every error becomes RFC 9457 `application/problem+json`.
 * Unexpected errors are logged (with their stack) and answered 500 `internal` without details.
 */
export function problemHandler(logger: Logger): ErrorRequestHandler {
  return (err, req, res, next) => {
    if (res.headersSent) return next(err);
    const mapped = toProblem(err);
    if (mapped.code === 'internal') {
      logger.error({ err, url: redactTokens(req.originalUrl) }, 'unexpected error');
    }
    res
      .status(mapped.status)
      .type('application/problem+json')
      .send(JSON.stringify(mapped.toBody(req.originalUrl.split('?')[0])));
  };
}

/** Last route: anything nothing else answered is a 404 problem. */
export function notFoundHandler(): RequestHandler {
  return (_req, _res, next) => next(problem('not_found', 'No such route'));
}
