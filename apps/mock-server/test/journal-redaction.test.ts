import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MockServer } from '../src/index.js';
import { admin, startServer } from './helpers.js';

/** The request journal never holds a token string, wherever in the request it was. */
describe('request journal redaction', () => {
  let server: MockServer;
  beforeAll(async () => {
    server = await startServer();
  }, 60_000);
  afterAll(() => server.close());

  it('a token as a body field name, nested in arrays, or in a non-secret field is redacted', async () => {
    const token = server.devToken;
    await fetch(`${server.url}/v1/orgs/acme/apps`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'journal-app', [token]: 1, notes: [{ text: `see ${token}` }] }),
    });
    const { items } = (await admin(server, 'GET', '/requests')) as {
      items: { body: unknown }[];
    };
    const text = JSON.stringify(items);
    expect(items).toHaveLength(1);
    expect(text).not.toContain(token.slice(7, 40));
    expect(items[0]?.body).toEqual({
      name: 'journal-app',
      'hangar_[redacted]': 1,
      notes: [{ text: 'see hangar_[redacted]' }],
    });
  });
});
