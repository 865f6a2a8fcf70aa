import { describe, expect, it } from 'vitest';
import { collect, createHangarClient, type RequestLogEntry } from '../src/index.js';
import { fakeFetch, json, rejection, validToken } from './fake-fetch.js';

const baseUrl = 'http://not-hangar.test';
const token = validToken();

const html = () =>
  new Response('<!doctype html><html><body>Welcome to nginx!</body></html>', {
    status: 200,
    headers: { 'Content-Type': 'text/html; charset=utf-8' },
  });

describe('2xx responses that no Hangar API sends', () => {
  it('turns an HTML 200 into http_error naming the URL, for objects and lists', async () => {
    const hangar = createHangarClient({ baseUrl, token, fetch: fakeFetch(html).fetch });
    for (const pending of [hangar.viewer.get(), collect(hangar.orgs.iterate())]) {
      const error = await rejection(pending);
      expect(error).toMatchObject({ status: 200, code: 'http_error' });
      expect(error.detail).toMatch(/^GET http:\/\/not-hangar\.test\/v1\/(viewer|orgs)/);
      expect(error.detail).toContain('a text/html body, not JSON from a Hangar API');
    }
  });

  it('refuses an empty 200 and a JSON string body', async () => {
    for (const body of ['', '"hello"']) {
      const { fetch } = fakeFetch(() => new Response(body, { status: 200 }));
      const error = await rejection(createHangarClient({ baseUrl, token, fetch }).viewer.get());
      expect(error.code).toBe('http_error');
      expect(error.detail).toContain('not JSON from a Hangar API');
    }
  });

  it('refuses a list whose items is not an array', async () => {
    const { fetch } = fakeFetch(() => json({ data: [], next_cursor: null }));
    const hangar = createHangarClient({ baseUrl, token, fetch });
    for (const pending of [
      hangar.tokens.listOrg('acme'),
      collect(hangar.tokens.iterateApp('acme-web')),
      collect(hangar.apps.iterate('acme')),
      collect(hangar.machines.iterate('acme-web')),
    ]) {
      const error = await rejection(pending);
      expect(error).toMatchObject({ status: 200, code: 'http_error' });
      expect(error.detail).toContain('JSON without an "items" array');
    }
  });

  it('still logs the refused response and accepts a 204 without a body', async () => {
    const entries: RequestLogEntry[] = [];
    const refusing = createHangarClient({
      baseUrl,
      token,
      fetch: fakeFetch(html).fetch,
      logger: (entry) => entries.push(entry),
    });
    await rejection(refusing.viewer.get());
    expect(entries).toMatchObject([{ method: 'GET', status: 200 }]);
    const { fetch } = fakeFetch(() => new Response(null, { status: 204 }));
    await expect(
      createHangarClient({ baseUrl, token, fetch }).apps.delete('acme-web'),
    ).resolves.toBeUndefined();
  });
});

describe('a 204 from an operation whose contract answers JSON', () => {
  it('is http_error instead of resolving to undefined', async () => {
    const { fetch } = fakeFetch(() => new Response(null, { status: 204 }));
    const hangar = createHangarClient({ baseUrl, token, fetch });
    for (const pending of [
      hangar.viewer.get(),
      hangar.tokens.get(`tok_${'0'.repeat(32)}`),
      hangar.tokens.createOrg('acme', { name: 'ci' }),
      hangar.tokens.revoke(`tok_${'0'.repeat(32)}`),
    ]) {
      const error = await rejection(pending);
      expect(error).toMatchObject({ status: 204, code: 'http_error' });
      expect(error.detail).toContain('answered 204 with an empty body, not JSON from a Hangar API');
    }
    // The contract's 204 operations still resolve.
    await expect(hangar.machines.delete('acme-web', 'm1')).resolves.toBeUndefined();
  });
});
