import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MockServer } from '../src/index.js';
import { client, http, startServer } from './helpers.js';

let server: MockServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server.close());

const json = { 'content-type': 'application/json' };
const post = (path: string, body: string, headers: Record<string, string> = json) =>
  http(server, 'POST', path, { token: server.devToken, body, headers });

function expectProblem(
  response: Awaited<ReturnType<typeof http>>,
  status: number,
  code: string,
): void {
  expect(response.status).toBe(status);
  expect(response.type).toMatch(/^application\/problem\+json/);
  expect(response.body).toMatchObject({
    type: `https://hangar.dev/problems/${code}`,
    status,
    code,
  });
  expect(response.body.title).toBeTypeOf('string');
  expect(response.body.detail).toBeTypeOf('string');
}

describe('bad requests get a clear 4xx problem, never a 500', () => {
  it('malformed JSON: 400 malformed_json', async () => {
    expectProblem(await post('/v1/orgs/acme/apps', '{"name": '), 400, 'malformed_json');
    expectProblem(await post('/v1/sessions', '{nope}'), 400, 'malformed_json');
  });

  it('wrong content type: 415 unsupported_media_type', async () => {
    const response = await post('/v1/orgs/acme/apps', 'name=x', {
      'content-type': 'application/x-www-form-urlencoded',
    });
    expectProblem(response, 415, 'unsupported_media_type');
    expectProblem(
      await post('/v1/orgs/acme/apps', '{"name":"x"}', { 'content-type': 'text/plain' }),
      415,
      'unsupported_media_type',
    );
  });

  it('missing body where one is required: 400 or 415, naming it', async () => {
    const response = await http(server, 'POST', '/v1/orgs/acme/apps', { token: server.devToken });
    expect([400, 415]).toContain(response.status);
    expect(response.type).toMatch(/^application\/problem\+json/);
  });

  it('unknown field: 400 validation_failed naming it', async () => {
    const response = await post('/v1/orgs/acme/tokens/org', '{"name":"ci","scope":"all"}');
    expectProblem(response, 400, 'validation_failed');
    expect(response.body.errors).toEqual([
      { field: 'body.scope', message: 'unknown field "scope"' },
    ]);
    expect(response.body.detail).toContain('body.scope');
  });

  it("a pattern failure is stated in words (the contract's x-hangar-rule), not as a regex", async () => {
    const app = await post('/v1/orgs/acme/apps', '{"name":"Bad_Name"}');
    expectProblem(app, 400, 'validation_failed');
    expect(app.body.errors).toEqual([
      {
        field: 'body.name',
        message:
          'must be a DNS label: 1-63 lowercase letters, digits and hyphens, not starting or ending with a hyphen',
      },
    ]);
    const token = await http(server, 'GET', '/v1/tokens/tok_x', { token: server.devToken });
    expect(token.body.detail).toBe(
      'path.token_id: must be a token id: tok_ and 32 lowercase hex digits',
    );
  });

  it('wrong types and missing fields: 400 naming each field', async () => {
    const response = await post('/v1/apps/acme-web/machines', '{"region": 7}');
    expectProblem(response, 400, 'validation_failed');
    const fields = (response.body.errors as { field: string }[]).map((e) => e.field).sort();
    expect(fields).toEqual(['body.image', 'body.region']);
  });

  it('bad query parameters: 400 naming them', async () => {
    const limit = await http(server, 'GET', '/v1/orgs?limit=500', { token: server.devToken });
    expectProblem(limit, 400, 'validation_failed');
    expect(limit.body.errors).toEqual([expect.objectContaining({ field: 'query.limit' })]);
    const cursor = await http(server, 'GET', '/v1/orgs?cursor=garbage', { token: server.devToken });
    expectProblem(cursor, 400, 'validation_failed');
    expect(cursor.body.errors).toEqual([expect.objectContaining({ field: 'query.cursor' })]);
    const unknown = await http(server, 'GET', '/v1/orgs?colour=red', { token: server.devToken });
    expectProblem(unknown, 400, 'validation_failed');
  });

  it('a cursor pages only the list it came from', async () => {
    const dev = client(server);
    for (const name of ['a', 'b', 'c']) await dev.tokens.createOrg('acme', { name });
    const first = await dev.tokens.listOrg('acme', { limit: 1 });
    const cursor = encodeURIComponent(first.next_cursor ?? '');
    const own = await http(server, 'GET', `/v1/orgs/acme/tokens?limit=1&cursor=${cursor}`, {
      token: server.devToken,
    });
    expect(own.status).toBe(200);
    for (const other of ['/v1/orgs/dev-personal/tokens', '/v1/orgs/acme/apps', '/v1/orgs']) {
      const response = await http(server, 'GET', `${other}?cursor=${cursor}`, {
        token: server.devToken,
      });
      expectProblem(response, 400, 'validation_failed');
      expect(response.body.errors).toEqual([
        expect.objectContaining({
          field: 'query.cursor',
          message: expect.stringMatching(/another list/),
        }),
      ]);
    }
  });

  it('a cursor pages its list however the path spells it (percent-encoded slug, RFC 3986 6.2.2.2)', async () => {
    const dev = client(server);
    for (const name of ['a', 'b', 'c']) await dev.tokens.createOrg('acme', { name });
    const page = (path: string, cursor?: string) =>
      http(
        server,
        'GET',
        `${path}?limit=1${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
        {
          token: server.devToken,
        },
      );
    const plain = await page('/v1/orgs/acme/tokens');
    const encoded = await page('/v1/orgs/%61cme/tokens');
    expect(encoded.body).toEqual(plain.body);
    const cursor = plain.body.next_cursor as string;
    const second = await page('/v1/orgs/acme/tokens', cursor);
    expect(second.status).toBe(200);
    for (const spelling of ['/v1/orgs/%61cme/tokens', '/v1/orgs/%61%63%6D%65/tokens']) {
      const response = await page(spelling, cursor);
      expect({ spelling, status: response.status }).toEqual({ spelling, status: 200 });
      expect(response.body).toEqual(second.body);
    }
    // And the other way round: a cursor from the encoded spelling pages the plain one.
    const back = await page('/v1/orgs/acme/tokens', encoded.body.next_cursor as string);
    expect(back.body).toEqual(second.body);
  });

  it('oversized body: 413 payload_too_large', async () => {
    const big = JSON.stringify({ name: 'x'.repeat(70 * 1024) });
    expectProblem(await post('/v1/orgs/acme/tokens/org', big), 413, 'payload_too_large');
  });

  it('unknown route: 404 not_found; known route, other method: 405', async () => {
    expectProblem(
      await http(server, 'GET', '/v1/nothing-here', { token: server.devToken }),
      404,
      'not_found',
    );
    expectProblem(await http(server, 'GET', '/elsewhere'), 404, 'not_found');
    expectProblem(
      await http(server, 'PATCH', '/v1/orgs/acme', { token: server.devToken }),
      405,
      'method_not_allowed',
    );
  });

  it('authentication comes first: no token is 401 even with a bad body', async () => {
    const response = await http(server, 'POST', '/v1/orgs/acme/apps', { body: '{', headers: json });
    expectProblem(response, 401, 'unauthenticated');
    expectProblem(
      await http(server, 'GET', '/v1/orgs', { headers: { authorization: 'Bearer ' } }),
      401,
      'unauthenticated',
    );
  });

  it('a token with or without "Bearer " and spaces works', async () => {
    for (const authorization of [
      `Bearer ${server.devToken}`,
      `  ${server.devToken} `,
      `bearer ${server.devToken}`,
    ]) {
      const response = await http(server, 'GET', '/v1/viewer', { headers: { authorization } });
      expect(response.status).toBe(200);
    }
  });

  it('CORS is on for loopback pages; no x-powered-by or etag', async () => {
    const response = await fetch(`${server.url}/v1/orgs`, {
      method: 'OPTIONS',
      headers: { origin: 'http://localhost:5173', 'access-control-request-method': 'GET' },
    });
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
    const get = await fetch(`${server.url}/v1/orgs`, {
      headers: { authorization: `Bearer ${server.devToken}` },
    });
    expect(get.headers.get('x-powered-by')).toBeNull();
    expect(get.headers.get('etag')).toBeNull();
  });
});

describe('pagination', () => {
  it('251 tokens come back exactly once while tokens are created and revoked between pages', async () => {
    const hangar = client(server);
    await hangar.apps.create('acme', 'paging');
    const ids = new Set<string>();
    for (let i = 0; i < 251; i++)
      ids.add((await hangar.tokens.createDeploy('paging', { name: `t${i}` })).id);
    const seen: string[] = [];
    let cursor: string | undefined;
    let page = 0;
    do {
      const result = await hangar.tokens.listApp('paging', {
        limit: 20,
        ...(cursor ? { cursor } : {}),
      });
      seen.push(...result.items.map((t) => t.id));
      // Churn between pages: a new token and a revoked one must not shift what comes next.
      await hangar.tokens.createDeploy('paging', { name: `churn${page}` });
      const victim = [...ids][page * 7];
      if (victim) await hangar.tokens.revoke(victim).catch(() => undefined);
      cursor = result.next_cursor ?? undefined;
      page += 1;
    } while (cursor);
    const original = seen.filter((id) => ids.has(id));
    expect(original).toHaveLength(251);
    expect(new Set(original).size).toBe(251);
  }, 60_000);
});
