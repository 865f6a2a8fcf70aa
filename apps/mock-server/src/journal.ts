/**
 * The request journal (openapi/hangar-admin.yaml, `listRequests`): the last requests to `/v1`,
 * so a test can assert what a client sent, as WireMock's `/__admin/requests`. It never holds a
 * secret: token strings, admin keys and JWTs are redacted from paths and bodies (redact.ts),
 * secret body fields are replaced, and no header is kept but `Idempotency-Key`.
 */
import type { AdminComponents } from '@hangar/sdk/admin';
import type { RequestHandler } from 'express';
import type { Caller } from './auth/authenticate.js';
import { MAX_BODY_DEPTH } from './body-depth.js';
import { redactSecrets } from './redact.js';

/** An entry as the admin API shows it. */
export type JournalEntry = AdminComponents['schemas']['JournalEntry'];

/** What `listRequests` and `countRequests` filter on; each left out matches everything. */
export interface JournalFilter {
  operationId?: string | undefined;
  status?: number | undefined;
  tokenId?: string | undefined;
  /** Milliseconds since the epoch, server clock; entries at or after it. */
  sinceMs?: number | undefined;
}

/** Entries kept; older ones are forgotten. */
export const JOURNAL_SIZE = 1000;

/** Body fields whose values are secrets (`password`, `token`, `client_secret`, `id_token`, ...). */
const SECRET_FIELD = /(^|_)(password|token|secret)$/i;
const REDACTED = '[redacted]';

/** What a part of a body nested deeper than the request body limit reads in the journal. */
const TOO_DEEP = '[nested too deep]';

/**
 * `value` with secret fields replaced and secrets (redact.ts) redacted, at any depth: in every string
 * value and every key (a token sent as a field name is a token too). Bounded: beyond
 * {@link MAX_BODY_DEPTH} levels an object or array reads `[nested too deep]`, so a body the
 * server refused for its nesting (body-depth.ts) is recorded without exhausting the call stack.
 */
export function redactBody(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return redactSecrets(value);
  if (typeof value !== 'object' || value === null) return value;
  if (depth >= MAX_BODY_DEPTH) return TOO_DEEP;
  if (Array.isArray(value)) return value.map((item) => redactBody(item, depth + 1));
  return Object.fromEntries(
    Object.entries(value).map(([key, field]) => [
      redactSecrets(key),
      SECRET_FIELD.test(key) ? REDACTED : redactBody(field, depth + 1),
    ]),
  );
}

interface Held {
  entry: JournalEntry;
  ms: number;
}

export class Journal {
  readonly #entries: Held[] = [];
  #epoch = 0;

  constructor(private readonly size = JOURNAL_SIZE) {}

  /**
   * Bumped by {@link clear} (and so by a reset): a request that began in an earlier epoch was
   * made before the clear and is not recorded when it ends, so it cannot show up in the next
   * test's journal.
   */
  get epoch(): number {
    return this.#epoch;
  }

  record(entry: JournalEntry): void {
    this.#entries.push({ entry, ms: Date.parse(entry.time) });
    if (this.#entries.length > this.size) this.#entries.shift();
  }

  /** The matching entries, oldest first; with `limit`, the newest `limit` of them. */
  list(filter: JournalFilter, limit?: number): JournalEntry[] {
    const found = this.#entries.filter((held) => matches(held, filter)).map((h) => h.entry);
    return limit === undefined ? found : found.slice(Math.max(0, found.length - limit));
  }

  count(filter: JournalFilter): number {
    return this.#entries.filter((held) => matches(held, filter)).length;
  }

  /** Forgets every entry; how many there were. */
  clear(): number {
    this.#epoch += 1;
    return this.#entries.splice(0).length;
  }
}

function matches({ entry, ms }: Held, filter: JournalFilter): boolean {
  return (
    (filter.operationId === undefined || entry.operation_id === filter.operationId) &&
    (filter.status === undefined || entry.status === filter.status) &&
    (filter.tokenId === undefined || entry.token_id === filter.tokenId) &&
    (filter.sinceMs === undefined || ms >= filter.sinceMs)
  );
}

/**
 * Records every request to a `/v1` path when its answer is sent or its connection closes
 * (a dropped one has status null), under the request id request-id.ts gave it (the one
 * answered in `X-Request-Id` and stored in audit events). The operation, the token
 * and the fault rule come from the steps that ran (`res.locals.operationId`, `caller`,
 * `faultId`); time is the server clock's. A request still in flight when the journal is cleared
 * (`clearRequests`, `resetServer`) is not recorded.
 */
export function journalRecorder(journal: Journal, nowMs: () => number): RequestHandler {
  return (req, res, next) => {
    if (!req.path.startsWith('/v1/') && req.path !== '/v1') return next();
    const started = performance.now();
    const time = new Date(nowMs()).toISOString();
    const requestId = String(res.locals.requestId);
    const epoch = journal.epoch;
    res.once('close', () => {
      if (journal.epoch !== epoch) return; // cleared (or reset) while it was in flight
      const caller = res.locals.caller as Caller | undefined;
      const body: unknown = req.body;
      journal.record({
        request_id: requestId,
        time,
        method: req.method,
        path: redactSecrets(req.path),
        operation_id: (res.locals.operationId as string | undefined) ?? null,
        status: res.writableFinished ? res.statusCode : null,
        duration_ms: Math.round(performance.now() - started),
        token_id: caller?.token.id ?? null,
        idempotency_key: redactSecrets(req.get('Idempotency-Key') ?? '') || null,
        fault_id: (res.locals.faultId as string | undefined) ?? null,
        body: body === undefined ? null : redactBody(body),
      });
    });
    next();
  };
}
