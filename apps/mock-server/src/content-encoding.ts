import type { Request, RequestHandler } from 'express';
import { type ProblemError, problem } from './problems.js';

/**
 * The content codings a request body may be sent with (RFC 9110 section 8.4.1), one at most:
 * Express's body parsers decode these. `identity` (or no `Content-Encoding`) is the body as is.
 */
export const CONTENT_CODINGS: readonly string[] = ['gzip', 'deflate', 'br'];

const FIELD = 'header.Content-Encoding';

/** The request's `Content-Encoding`, trimmed and lower case; undefined for none or identity. */
function codingOf(req: Request): string | undefined {
  const coding = req.headers['content-encoding']?.trim().toLowerCase();
  return coding === undefined || coding === '' || coding === 'identity' ? undefined : coding;
}

/**
 * 415 `unsupported_media_type` naming `Content-Encoding` when it is not one of
 * {@link CONTENT_CODINGS} (`compress`, `zstd`, a list such as `gzip, gzip`); else undefined.
 */
export function unsupportedCoding(req: Request): ProblemError | undefined {
  const coding = codingOf(req);
  if (coding === undefined || CONTENT_CODINGS.includes(coding)) return undefined;
  const message = `"${coding}" is not supported; send the body uncompressed or with one of ${CONTENT_CODINGS.join(', ')}`;
  return problem('unsupported_media_type', `${FIELD}: ${message}`, {
    errors: [{ field: FIELD, message }],
  });
}

/**
 * `parser` (an Express body parser), with two refusals of its own: a `Content-Encoding` it
 * would not decode is 415 ({@link unsupportedCoding}) before any byte is read, and a body that
 * does not decode with its coding (corrupt or truncated gzip, deflate or br data: the parser's
 * untyped zlib error) is 400 `bad_request` naming `Content-Encoding`, not a 500. The parser's
 * own errors (too large, not JSON) pass on as they are.
 */
export function decodingBody(parser: RequestHandler): RequestHandler {
  return (req, res, next) => {
    const unsupported = unsupportedCoding(req);
    if (unsupported) return next(unsupported);
    parser(req, res, (err?: unknown) => {
      const coding = codingOf(req);
      const typed = typeof (err as { type?: unknown } | undefined)?.type === 'string';
      if (err === undefined || err === null || typed || coding === undefined) return next(err);
      const message = `the body is not valid ${coding} data`;
      next(problem('bad_request', `${FIELD}: ${message}`, { errors: [{ field: FIELD, message }] }));
    });
  };
}
