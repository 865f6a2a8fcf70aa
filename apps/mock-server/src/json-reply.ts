import type { Response } from 'express';

/**
 * Sends `body` as `application/json; charset=utf-8` with its Content-Length: every JSON answer
 * of the server (the `/v1` operations, `/_admin`, `/_oidc`, the index at `/`) leaves through it.
 * As one string: Node then writes the head and the body in one piece, where `res.json` first
 * copies a body of 1,000 characters or more into a Buffer (docs/benchmarks.md). Node leaves the
 * body out of an answer to HEAD.
 *
 * It never answers 304, as `res.json` would (through Express's `req.fresh`) to a GET with
 * `If-None-Match: *`: no JSON answer carries a validator (`ETag`, `Last-Modified`; the app sets
 * `etag` off), so the server supports no conditional requests, and neither contract declares a
 * 304. A GET with `If-None-Match` or `If-Modified-Since` is answered as one without them.
 */
export function sendJson(res: Response, status: number, body: unknown): void {
  const json = JSON.stringify(body);
  res.statusCode = status;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Content-Length', Buffer.byteLength(json));
  res.end(json);
}
