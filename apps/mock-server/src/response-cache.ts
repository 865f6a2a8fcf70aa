import type { Request, RequestHandler, Response } from 'express';
import type { Services } from './services.js';

/**
 * Bytes kept at most, bodies and keys (URL and Authorization header) together; the oldest
 * entries go first. A page of 100 tokens is about 40 KiB, so this holds a few hundred pages.
 */
const MAX_BYTES = 8 * 1024 * 1024;

/** Entries kept at most, however small. */
const MAX_ENTRIES = 4096;

/** The header Express's `res.json` sends, so a reused reply has the same bytes. */
const JSON_TYPE = 'application/json; charset=utf-8';

interface Entry {
  /** Server-clock milliseconds: reusable from (inclusive) until (exclusive). */
  fromMs: number;
  untilMs: number;
  body: string;
  /** Bytes of the body, as sent in Content-Length. */
  bodyBytes: number;
  /** What the entry counts against {@link MAX_BYTES}: its body and its key. */
  bytes: number;
}

/** What the request's handler needs to remember its reply: set by the lookup on a miss. */
interface Pending {
  key: string;
  version: string;
  fromMs: number;
}

/**
 * A repeated read answered from memory, exactly as the operation would answer it again: a
 * reply is remembered only when its handler says how long it holds (`ctx.reusable`, for
 * the clock-dependent parts such as a token's status), and is given again only to the same
 * method, URL and Authorization header while
 * - no database row has changed since it was computed ({@link Db.changeVersion}: any write,
 *   by this server or another process, forgets every remembered reply; so does a write while
 *   it was computed, which is then not remembered at all);
 * - the server clock is still inside the window where every time-dependent part reads the
 *   same: the caller's expiry, the next write of its last use (once a minute), each listed
 *   token's expiry; a clock set back (`/_admin/reset`) is outside it too.
 * The answer of the full path (authentication, revocation, authorization, validation, handler)
 * is a function of exactly these inputs, so reusing it changes no response; it saves that path
 * for polling clients (and the list benchmark, docs/benchmarks.md). Only 200 replies to GET and
 * HEAD requests without a body are remembered. `hangar-mock --no-response-cache` turns it off.
 */
export class ResponseCache {
  readonly #services: Services;
  readonly #entries = new Map<string, Entry>();
  #version = '';
  #bytes = 0;

  constructor(services: Services) {
    this.#services = services;
  }

  /**
   * Middleware, before authentication: answers a request it remembers; otherwise notes in
   * `res.locals` what {@link remember} needs and goes on.
   */
  lookup(): RequestHandler {
    return (req, res, next) => {
      const key = keyOf(req);
      if (key === undefined) return next();
      const version = this.#services.db.changeVersion();
      if (version !== this.#version) this.#forgetAll(version);
      const nowMs = this.#services.clock.nowMs();
      const entry = this.#entries.get(key);
      if (entry && entry.fromMs <= nowMs && nowMs < entry.untilMs) {
        res.writeHead(200, { 'Content-Type': JSON_TYPE, 'Content-Length': entry.bodyBytes });
        res.end(entry.body);
        return;
      }
      if (entry) this.#forget(key);
      res.locals.responseCache = { key, version, fromMs: nowMs } satisfies Pending;
      next();
    };
  }

  /**
   * Remembers the 200 reply `body` just sent on `res`, reusable until `untilMs` (server-clock
   * milliseconds, exclusive). Does nothing when the lookup did not note the request, when a
   * database row changed while it was computed, or when the window is already over.
   */
  remember(res: Response, untilMs: number, body: unknown): void {
    const pending = res.locals.responseCache as Pending | undefined;
    if (pending === undefined || res.statusCode !== 200 || untilMs <= pending.fromMs) return;
    if (this.#services.db.changeVersion() !== pending.version) return;
    const text = JSON.stringify(body);
    const bodyBytes = Buffer.byteLength(text);
    const bytes = bodyBytes + Buffer.byteLength(pending.key);
    if (bytes > MAX_BYTES) return;
    this.#forget(pending.key);
    while (this.#bytes + bytes > MAX_BYTES || this.#entries.size >= MAX_ENTRIES) {
      const oldest = this.#entries.keys().next().value as string;
      this.#forget(oldest);
    }
    const entry = { fromMs: pending.fromMs, untilMs, body: text, bodyBytes, bytes };
    this.#entries.set(pending.key, entry);
    this.#bytes += bytes;
  }

  #forget(key: string): void {
    const entry = this.#entries.get(key);
    if (entry === undefined) return;
    this.#entries.delete(key);
    this.#bytes -= entry.bytes;
  }

  #forgetAll(version: string): void {
    this.#entries.clear();
    this.#bytes = 0;
    this.#version = version;
  }
}

/**
 * The cache key of a read that may be reused, or undefined: other methods, no token, a body, or
 * a conditional request (Express answers `If-None-Match: *` with 304, which is not remembered).
 */
function keyOf(req: Request): string | undefined {
  if (req.method !== 'GET' && req.method !== 'HEAD') return undefined;
  const { authorization } = req.headers;
  if (authorization === undefined) return undefined;
  if (req.headers['if-none-match'] !== undefined) return undefined;
  if (req.headers['if-modified-since'] !== undefined) return undefined;
  // A body (which a GET should not have) goes the full way, to be refused or ignored there.
  const length = req.headers['content-length'];
  if ((length !== undefined && length !== '0') || req.headers['transfer-encoding'] !== undefined) {
    return undefined;
  }
  return `${req.method} ${req.url}\n${authorization}`;
}
