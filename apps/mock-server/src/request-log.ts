import type { RequestHandler } from 'express';
import type { Logger } from 'pino';
import { redactSecrets } from './redact.js';

/**
 * One `info` log line per request, written when its response is finished or its connection
 * closes: `{"req":{"id":"req_…","method":"GET","url":"/v1/orgs/acme/tokens"},"res":{"statusCode":200},
 * "responseTime":3,"msg":"request completed"}` (the fields and messages pino-http wrote, so
 * log readers keep working; `id` is the request id request-id.ts gave it, answered in
 * `X-Request-Id` and stored in audit events and the request journal). `url` is the path and query with every secret redacted
 * (token strings, admin keys, JWTs: redact.ts); no header and no body is logged. `responseTime` is whole milliseconds. The message
 * is `request errored` for a 5xx status (the error itself is logged by error-handler.ts) and
 * `request aborted` when the client went away before the response was finished.
 *
 * Why not pino-http: it builds a child logger and std-serializer wrappers for every request and
 * two listeners; under load that was most of the log's cost (see docs/benchmarks.md).
 */
export function requestLog(logger: Logger): RequestHandler {
  // The line holds no header, no body and a redacted URL, so the logger's path redaction
  // (logger.ts) has nothing to find in it; pino documents `redact: []` on a child to drop it.
  const lines = logger.child({}, { redact: [] });
  return (req, res, next) => {
    const started = Date.now();
    const id = String(res.locals.requestId);
    res.once('close', () => {
      const status = res.statusCode;
      const msg = !res.writableFinished
        ? 'request aborted'
        : status >= 500
          ? 'request errored'
          : 'request completed';
      lines.info(
        {
          req: { id, method: req.method, url: redactSecrets(req.originalUrl) },
          res: { statusCode: status },
          responseTime: Date.now() - started,
        },
        msg,
      );
    });
    next();
  };
}
