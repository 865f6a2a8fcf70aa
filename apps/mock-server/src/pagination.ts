import { loadContract } from '@hangar/contract';
import { type SelectQueryBuilder, sql } from 'kysely';
import type { Db } from './db/database.js';
import { problem } from './problems.js';

/**
 * Keyset pagination on (created_at, id): a page is "rows after the cursor's row in list order",
 * so rows added or revoked between pages never shift what comes next, and a page with 100,000
 * rows in the table is one index range scan.
 */
export interface Cursor {
  createdAt: number;
  id: string;
}

/** The contract's default page size (`limit`). */
export const DEFAULT_LIMIT = loadContract().defaultAt(
  '#/components/parameters/Limit/schema',
) as number;

/**
 * Opaque cursor: base64url of `{"c": created_at_ms, "i": id, "l": list}`; `list` (the request
 * path) binds it to the list it came from.
 */
export function encodeCursor(row: { created_at: number; id: string }, list: string): string {
  return Buffer.from(JSON.stringify({ c: row.created_at, i: row.id, l: list })).toString(
    'base64url',
  );
}

/**
 * Reads a cursor from {@link encodeCursor} for the list `list`.
 * @throws ProblemError 400 `validation_failed` on `query.cursor` when it is not a cursor, or
 *   belongs to another list.
 */
export function decodeCursor(cursor: string, list: string): Cursor {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    value = undefined;
  }
  const { c, i, l } = (typeof value === 'object' && value !== null ? value : {}) as {
    c?: unknown;
    i?: unknown;
    l?: unknown;
  };
  if (!Number.isSafeInteger(c) || typeof i !== 'string' || typeof l !== 'string') {
    throw invalidCursor('must be a next_cursor returned by this server');
  }
  if (l !== list) throw invalidCursor(`belongs to another list (${l}); start this one without it`);
  return { createdAt: c as number, id: i };
}

function invalidCursor(message: string) {
  return problem('validation_failed', `query.cursor: ${message}`, {
    errors: [{ field: 'query.cursor', message }],
  });
}

/**
 * The keyset condition "after the cursor" for a list ordered by (created_at, id) in `order`,
 * as a row-value comparison SQLite answers from an index ending in (created_at, id).
 * `table` qualifies the columns when the query joins other tables.
 */
export function afterCursor(table: string, order: 'asc' | 'desc', cursor: Cursor) {
  // Each value is bound whole, so this also works inside prepared queries (Db.allWith).
  const columns = sql`(${sql.ref(`${table}.created_at`)}, ${sql.ref(`${table}.id`)})`;
  return sql<boolean>`${columns} ${sql.raw(order === 'asc' ? '>' : '<')} (${cursor.createdAt}, ${cursor.id})`;
}

/** Splits `limit + 1` fetched rows into a page and its next cursor (null on the last page). */
export function toPage<Row extends { created_at: number; id: string }, Item>(
  rows: Row[],
  limit: number,
  view: (row: Row) => Item,
  list: string,
): { items: Item[]; next_cursor: string | null } {
  const more = rows.length > limit;
  const pageRows = more ? rows.slice(0, limit) : rows;
  const last = pageRows[pageRows.length - 1];
  return { items: pageRows.map(view), next_cursor: more && last ? encodeCursor(last, list) : null };
}

/** What a list request asks for: `limit` (default {@link DEFAULT_LIMIT}), `cursor`, and the list. */
export interface PageRequest {
  limit?: number | undefined;
  cursor?: string | undefined;
  /** The list cursors are bound to (the request path). */
  list: string;
}

/**
 * A page's row limit (`count` rows, a whole number) as SQL: `+?`, the count bound as a parameter
 * behind a unary plus. Not a bare `LIMIT ?`: SQLite 3.53 (better-sqlite3 12.11) codes a bare
 * bound LIMIT as a constant and marks the statement to be prepared again whenever that parameter
 * is bound, which better-sqlite3 does on every run (`computeLimitRegisters` and
 * `sqlite3ExprIsInteger` in sqlite3.c). Every list request then parsed and planned its page
 * query anew: 45 us for a page of 21 tokens instead of 33 (docs/benchmarks.md, "Fourth pass").
 * The unary plus leaves the value and its type as they are.
 */
export function rowLimit(count: number) {
  return sql<number>`+${count}`;
}

/**
 * One oldest-first page of `query` over `table`: ordered by (created_at, id), after the
 * request's cursor when it has one, each row shown through `view`.
 * @returns `{ items, next_cursor }`, `next_cursor` null on the last page.
 * @throws ProblemError 400 `validation_failed` for a cursor this server did not return for the list.
 */
export function oldestFirstPage<
  DB,
  TB extends keyof DB,
  O extends { created_at: number; id: string },
  Item,
>(
  db: Db,
  query: SelectQueryBuilder<DB, TB, O>,
  table: string,
  request: PageRequest,
  view: (row: O) => Item,
): { items: Item[]; next_cursor: string | null } {
  const limit = request.limit ?? DEFAULT_LIMIT;
  const paged = query
    .orderBy(sql.ref(`${table}.created_at`), 'asc')
    .orderBy(sql.ref(`${table}.id`), 'asc')
    .limit(rowLimit(limit + 1));
  const after = request.cursor
    ? paged.where(afterCursor(table, 'asc', decodeCursor(request.cursor, request.list)))
    : paged;
  return toPage(db.all(after) as O[], limit, view, request.list);
}
