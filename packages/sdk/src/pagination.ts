import { HangarApiError } from './errors.js';
/** One page of a list operation, as every list in the contract returns it. */
export interface Page<T> {
  items: T[];
  /** Opaque cursor for the next page; `null` on the last page. */
  next_cursor: string | null;
}

/**
 * Shape check for a list response (a {@link ShapeCheck}): says what is wrong when `data` is not
 * `{ items: [...], next_cursor: string | null }`, else undefined.
 */
export function pageShapeProblem(data: unknown): string | undefined {
  const page = (typeof data === 'object' && data !== null ? data : {}) as Record<string, unknown>;
  if (!Array.isArray(page.items)) return 'JSON without an "items" array';
  const cursor = page.next_cursor;
  if (cursor !== null && cursor !== undefined && typeof cursor !== 'string') {
    return 'JSON whose "next_cursor" is not a string or null';
  }
  return undefined;
}

/** Query options every list operation takes. */
export interface PageOptions {
  /** Page size, 1..100 (server default 20). */
  limit?: number;
  /** Cursor from a previous page's `next_cursor`. */
  cursor?: string;
}

/** Page size for the `iterate*` helpers: `limit` only, the cursor is theirs. */
export type IterateOptions = Pick<PageOptions, 'limit'>;

/** Query for one page: only the keys that are set. */
export function pageQuery(limit: number | undefined, cursor: string | undefined): PageOptions {
  const query: PageOptions = {};
  if (limit !== undefined) query.limit = limit;
  if (cursor !== undefined) query.cursor = cursor;
  return query;
}

/**
 * Walks every page of a list and yields each item once, in server order.
 *
 * `fetchPage(cursor)` is called with `undefined` first, then with each `next_cursor` until it is
 * `null`. A cursor that comes back (twice in a row, or after other pages: `a`, `b`, `a`) stops
 * the walk with a HangarApiError (`http_error`, title `Pagination stalled`) instead of looping
 * forever on a misbehaving server. Errors from
 * `fetchPage` propagate unchanged.
 *
 * @example
 *   for await (const token of paginate((cursor) => hangar.tokens.listOrg('acme', { cursor }))) {}
 */
export async function* paginate<T>(
  fetchPage: (cursor: string | undefined) => Promise<Page<T>>,
): AsyncGenerator<T, void, undefined> {
  let cursor: string | undefined;
  const seen = new Set<string>();
  for (;;) {
    const page = await fetchPage(cursor);
    yield* page.items;
    if (page.next_cursor === null || page.next_cursor === undefined) return;
    if (seen.has(page.next_cursor)) {
      throw new HangarApiError({
        status: 200,
        code: 'http_error',
        title: 'Pagination stalled',
        detail: `pagination stalled: the server answered the cursor ${JSON.stringify(page.next_cursor.slice(0, 100))} twice; its list cannot be walked to the end`,
      });
    }
    seen.add(page.next_cursor);
    cursor = page.next_cursor;
  }
}

/** Collects every item of an async iterable into an array (for small lists). */
export async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const item of items) all.push(item);
  return all;
}
