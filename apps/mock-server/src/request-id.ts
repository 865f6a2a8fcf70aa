import { randomBytes } from 'node:crypto';
import type { RequestHandler } from 'express';

/** A client's own request id is kept when it looks like one (no spaces, no control characters). */
const CLIENT_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * Gives every request an id, `res.locals.requestId`, answered in `X-Request-Id` and stored in
 * the audit events the request records: the client's `X-Request-Id` when it is a plain token of
 * at most 128 characters, else `req_` + 24 random hex digits.
 */
export function requestId(): RequestHandler {
  return (req, res, next) => {
    const given = req.headers['x-request-id'];
    const id =
      typeof given === 'string' && CLIENT_REQUEST_ID.test(given)
        ? given
        : `req_${randomBytes(12).toString('hex')}`;
    res.locals.requestId = id;
    res.setHeader('X-Request-Id', id);
    next();
  };
}
