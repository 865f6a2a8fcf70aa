import { type SelectQueryBuilder, sql } from 'kysely';
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

export const DEFAULT_LIMIT = 20;

/** Opaque cursor: base64url of `{"c": created_at_ms, "i": id}`. */
export function encodeCursor(row: { created_at: number; id: string }): string {
  return Buffer.from(JSON.stringify({ c: row.created_at, i: row.id })).toString('base64url');
}

/**
 * Reads a cursor from {@link encodeCursor}.
 * @throws ProblemError 400 `validation_failed` on `query.cursor` when it was not made here.
 */
export function decodeCursor(cursor: string): Cursor {
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (typeof value === 'object' && value !== null) {
      const { c, i } = value as { c?: unknown; i?: unknown };
      if (Number.isSafeInteger(c) && typeof i === 'string')
        return { createdAt: c as number, id: i };
    }
  } catch {
    // fall through to the problem below
  }
  throw problem('validation_failed', 'query.cursor: not a cursor this server returned', {
    errors: [{ field: 'query.cursor', message: 'must be a next_cursor returned by this server' }],
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
): { items: Item[]; next_cursor: string | null } {
  const more = rows.length > limit;
  const pageRows = more ? rows.slice(0, limit) : rows;
  const last = pageRows[pageRows.length - 1];
  return { items: pageRows.map(view), next_cursor: more && last ? encodeCursor(last) : null };
}

/**
 * Oldest-first keyset paging for `query` over `table`: ordered by (created_at, id), `limit + 1`
 * rows (so {@link toPage} can tell whether more follow), after `cursor` when one is given.
 * @throws ProblemError 400 `validation_failed` for a cursor this server did not return.
 */
export function oldestFirst<DB, TB extends keyof DB, O>(
  query: SelectQueryBuilder<DB, TB, O>,
  table: string,
  limit: number,
  cursor: string | undefined,
): SelectQueryBuilder<DB, TB, O> {
  const paged = query
    .orderBy(sql.ref(`${table}.created_at`), 'asc')
    .orderBy(sql.ref(`${table}.id`), 'asc')
    .limit(limit + 1);
  return cursor ? paged.where(afterCursor(table, 'asc', decodeCursor(cursor))) : paged;
}
