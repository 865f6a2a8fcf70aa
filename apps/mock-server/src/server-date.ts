import type { RequestHandler } from 'express';

/**
 * The `Date` header of every answer from the server clock (the admin clock, `/_admin/clock`),
 * not the machine's: RFC 9110 section 6.6.1 makes it the origin server's time, and clients such
 * as `hangar` use it for relative times (`--since 24h`, "expires in 3 days"). Node adds a `Date`
 * of the machine's clock only when the answer has none (`response.sendDate`), so setting it here
 * replaces that. The text is made once per second of the server clock, as Node caches its own.
 * @param nowMs the server clock, in milliseconds since the Unix epoch
 */
export function serverDate(nowMs: () => number): RequestHandler {
  let second = Number.NaN;
  let text = '';
  return (_req, res, next) => {
    const now = Math.floor(nowMs() / 1000);
    if (now !== second) {
      second = now;
      text = httpDate(now * 1000);
    }
    res.setHeader('Date', text);
    next();
  };
}

/** `ms` (since the Unix epoch) as an HTTP date, IMF-fixdate (RFC 9110 section 5.6.7). */
export function httpDate(ms: number): string {
  return new Date(ms).toUTCString();
}
