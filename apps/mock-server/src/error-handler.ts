import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { Logger } from 'pino';
import { CONTENT_CODINGS } from './content-encoding.js';
import { ProblemError, problem } from './problems.js';
import { redactSecrets } from './redact.js';
import { bearerChallenge } from './www-authenticate.js';

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
      return problem(
        'unsupported_media_type',
        `The request's Content-Encoding is not supported; send the body uncompressed or with one of ${CONTENT_CODINGS.join(', ')}`,
      );
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
  return problem('internal', 'The server could not complete the request');
}

/**
 * The one error handler: every error becomes RFC 9457 `application/problem+json`.
 * Unexpected errors are logged (with their stack) and answered 500 `internal` without details;
 * a 401 of the /v1 API carries its `WWW-Authenticate` challenge (www-authenticate.ts).
 */
export function problemHandler(logger: Logger): ErrorRequestHandler {
  return (err, req, res, next) => {
    if (res.headersSent) return next(err);
    const mapped = toProblem(err);
    if (mapped.code === 'internal') {
      logger.error({ err, url: redactSecrets(req.originalUrl) }, 'unexpected error');
    }
    // The /v1 API authenticates with bearer tokens; /_admin has its own key header.
    if (mapped.status === 401 && req.originalUrl.startsWith('/v1/')) {
      res.set('WWW-Authenticate', bearerChallenge(mapped.code));
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
