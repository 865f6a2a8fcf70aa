import { describe, expect, it } from 'vitest';
import { collect, createHangarClient, type TokenExpiry } from '../src/index.js';
import { fakeFetch, json, problem, validToken } from './fake-fetch.js';

const baseUrl = 'http://127.0.0.1:4280';

/** A response with `Hangar-Token-Expires-At: expiresAt`. */
function withExpiry(response: Response, expiresAt: string): Response {
  response.headers.set('Hangar-Token-Expires-At', expiresAt);
  return response;
}

describe('onTokenExpiry', () => {
  it('hears the header of every answer that carries it, errors included', async () => {
    const soon = new Date(Date.now() + 3 * 86_400_000).toISOString().replace(/\.\d+Z$/, 'Z');
    let calls = 0;
    const { fetch } = fakeFetch(() => {
      calls += 1;
      return calls === 1
        ? withExpiry(json({ items: [], next_cursor: null }), soon)
        : withExpiry(problem(403, 'forbidden', 'no'), soon);
    });
    const heard: TokenExpiry[] = [];
    const hangar = createHangarClient({
      baseUrl,
      token: validToken(),
      fetch,
      onTokenExpiry: (expiry) => heard.push(expiry),
    });
    await hangar.orgs.list();
    await hangar.apps.create('acme', 'x').catch(() => undefined);
    expect(heard).toHaveLength(2);
    expect(heard[0]).toMatchObject({ expiresAt: soon, method: 'GET' });
    expect(heard[0]?.expiresAtMs).toBe(Date.parse(soon));
    expect(heard[0]?.secondsLeft).toBeGreaterThan(3 * 86_400 - 60);
    expect(heard[0]?.secondsLeft).toBeLessThanOrEqual(3 * 86_400);
  });

  it('is not called without the header, and a throwing listener does not fail the call', async () => {
    const { fetch } = fakeFetch(() => json({ items: [], next_cursor: null }));
    let heard = 0;
    const quiet = createHangarClient({
      baseUrl,
      token: validToken(),
      fetch,
      onTokenExpiry: () => heard++,
    });
    await quiet.orgs.list();
    expect(heard).toBe(0);
    const loud = createHangarClient({
      baseUrl,
      token: validToken(),
      fetch: async () => withExpiry(json({ items: [], next_cursor: null }), '2030-01-01T00:00:00Z'),
      onTokenExpiry: () => {
        throw new Error('listener bug');
      },
    });
    await expect(loud.orgs.list()).resolves.toEqual({ items: [], next_cursor: null });
  });
});

describe('events and checkAccess helpers', () => {
  it('send repeated type, token_id and since as RFC 3339, and iterate pages', async () => {
    const { fetch, calls } = fakeFetch((request) => {
      const cursor = new URL(request.url).searchParams.get('cursor');
      return json(
        cursor === null
          ? { items: [{ id: 'evt_1' }], next_cursor: 'c2' }
          : { items: [{ id: 'evt_2' }], next_cursor: null },
      );
    });
    const hangar = createHangarClient({ baseUrl, token: validToken(), fetch });
    const all = await collect(
      hangar.events.iterateOrg('acme', {
        type: ['app.created', 'app.deleted'],
        tokenId: 'tok_00000000000000000000000000000001',
        since: new Date('2026-11-30T08:00:00.000Z'),
      }),
    );
    expect(all.map((e) => e.id)).toEqual(['evt_1', 'evt_2']);
    const first = new URL(calls[0]?.url ?? '');
    expect(first.pathname).toBe('/v1/orgs/acme/events');
    expect(first.searchParams.getAll('type')).toEqual(['app.created', 'app.deleted']);
    expect(first.searchParams.get('since')).toBe('2026-11-30T08:00:00Z');
    expect(new URL(calls[1]?.url ?? '').searchParams.get('cursor')).toBe('c2');
  });

  it('checkAccess posts the question and resolves a refusal as an answer', async () => {
    const answer = {
      allowed: false,
      status: 403,
      operation: 'createMachine',
      required_access: { resource: 'machine', action: 'create', app: 'acme-web' },
      caveat: 'actions = read',
      detail: 'the token does not allow the create action',
    };
    const { fetch, calls } = fakeFetch(() => json(answer));
    const hangar = createHangarClient({ baseUrl, token: validToken(), fetch });
    const question = { resource: 'machine', action: 'create', app: 'acme-web' } as const;
    await expect(hangar.viewer.checkAccess(question)).resolves.toEqual(answer);
    expect(calls[0]?.method).toBe('POST');
    expect(await calls[0]?.json()).toEqual(question);
  });
});
