import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MockServer } from '../src/index.js';
import { admin, call, http, startServer } from './helpers.js';

let server: MockServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server.close());

/** 5000 nested arrays: 10 KB of JSON. */
const deepArray = `${'['.repeat(5000)}${']'.repeat(5000)}`;
/** A login whose extra field nests 4000 objects: 24 KB of JSON. */
const deepObject = `{"email":"a@b.c","password":"x","z":${'{"a":'.repeat(4000)}1${'}'.repeat(4000)}}`;

const cases = [
  ['createSession (no token)', '/v1/sessions', {}],
  ['createOrgToken (a token)', '/v1/orgs/acme/tokens/org', { token: 'dev' }],
  ['/_admin/seed (admin key)', '/_admin/seed', { admin: true }],
] as const;

describe('a deeply nested JSON body is refused, and the server keeps running', () => {
  it.each(cases)('%s', async (_name, path, who) => {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if ('admin' in who) headers['x-hangar-admin-key'] = server.adminKey;
    const token = 'token' in who ? server.devToken : undefined;
    for (const body of [deepArray, deepObject]) {
      const answer = await http(server, 'POST', path, {
        body,
        headers,
        ...(token ? { token } : {}),
      });
      expect(answer.status, JSON.stringify(answer.body)).toBe(400);
      expect(answer.type).toMatch(/^application\/problem\+json/);
      expect(answer.body).toMatchObject({
        code: 'validation_failed',
        errors: [{ field: 'body', message: expect.stringMatching(/nested deeper than 32 levels/) }],
      });
    }
    // The journal recorded the refusals without blowing the stack, and the server still answers.
    const login = await call(server, 'POST', '/v1/sessions', { token: null, body: server.devUser });
    expect(login.status).toBe(201);
  });

  it('the journal records a refused deep body cut at the limit, its password redacted', async () => {
    await http(server, 'POST', '/v1/sessions', {
      body: deepObject,
      headers: { 'content-type': 'application/json' },
    });
    const { items } = (await admin(server, 'GET', '/requests?operation_id=createSession')) as {
      items: Array<{ status: number; body: { password: string; z: unknown } }>;
    };
    const entry = items.at(-1);
    expect(entry?.status).toBe(400);
    expect(entry?.body.password).toBe('[redacted]');
    let level: unknown = entry?.body.z;
    let depth = 1;
    while (typeof level === 'object' && level !== null) {
      level = (level as { a: unknown }).a;
      depth += 1;
    }
    expect({ depth, level }).toEqual({ depth: 32, level: '[nested too deep]' });
  });

  it('a body nested exactly to the limit still reaches validation', async () => {
    const body = `{"email":"a@b.c","password":"x","z":${'{"a":'.repeat(31)}1${'}'.repeat(31)}}`;
    const answer = await http(server, 'POST', '/v1/sessions', {
      body,
      headers: { 'content-type': 'application/json' },
    });
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({ code: 'validation_failed' });
    expect(JSON.stringify(answer.body.errors)).toContain('body.z');
  });
});
