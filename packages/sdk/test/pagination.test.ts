import { describe, expect, it } from 'vitest';
import { collect, createHangarClient, type Page, paginate } from '../src/index.js';
import { fakeFetch, json, rejection, validToken } from './fake-fetch.js';

describe('paginate', () => {
  it('walks pages until next_cursor is null, passing each cursor on', async () => {
    const seen: (string | undefined)[] = [];
    const pages: Record<string, Page<number>> = {
      start: { items: [1, 2], next_cursor: 'b' },
      b: { items: [], next_cursor: 'c' },
      c: { items: [3], next_cursor: null },
    };
    const all = await collect(
      paginate(async (cursor) => {
        seen.push(cursor);
        return pages[cursor ?? 'start'] as Page<number>;
      }),
    );
    expect(all).toEqual([1, 2, 3]);
    expect(seen).toEqual([undefined, 'b', 'c']);
  });

  it('stops on a cursor that repeats instead of looping forever', async () => {
    const stuck = paginate(async () => ({ items: [1], next_cursor: 'same' }));
    await expect(collect(stuck)).rejects.toThrow('pagination stalled');
  });

  it('stops on a cursor that comes back after other pages (a, b, a) instead of cycling', async () => {
    let fetched = 0;
    const cycling = paginate(async (cursor) => {
      fetched++;
      // Before, the walk went round a, b, a, b ... until the process ran out of memory.
      if (fetched > 10) throw new Error('still cycling after 10 pages');
      return { items: [cursor], next_cursor: cursor === 'a' ? 'b' : 'a' };
    });
    await expect(collect(cycling)).rejects.toThrow('pagination stalled');
    expect(fetched).toBe(3);
  });

  it('fetches lazily: breaking out early requests no further page', async () => {
    let fetched = 0;
    const items = paginate(async (cursor) => {
      fetched++;
      return { items: [cursor ?? 'first'], next_cursor: `${fetched}` };
    });
    for await (const item of items) {
      expect(item).toBe('first');
      break;
    }
    expect(fetched).toBe(1);
  });
});

describe('a server whose cursor repeats, through the client', () => {
  it('throws a HangarApiError http_error, as every other odd answer does', async () => {
    const { fetch } = fakeFetch(() => json({ items: [], next_cursor: 'again' }));
    const hangar = createHangarClient({ baseUrl: 'http://api.test', token: validToken(), fetch });
    const error = await rejection(collect(hangar.tokens.iterateOrg('acme')));
    expect(error).toMatchObject({ code: 'http_error', status: 200, title: 'Pagination stalled' });
    expect(error.detail).toBe(
      'pagination stalled: the server answered the cursor "again" twice; its list cannot be walked to the end',
    );
  });
});
