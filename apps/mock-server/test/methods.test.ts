import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MockServer } from '../src/index.js';
import { startServer } from './helpers.js';

let server: MockServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server.close());

async function call(method: string, path: string, token: string | null = server.devToken) {
  const response = await fetch(`${server.url}${path}`, {
    method,
    headers: token ? { authorization: `Bearer ${token}` } : {},
  });
  const text = await response.text();
  return {
    status: response.status,
    allow: response.headers.get('allow'),
    type: response.headers.get('content-type'),
    length: response.headers.get('content-length'),
    text,
  };
}

describe('a known path asked with a method it does not have', () => {
  it('PUT /v1/orgs: 405 method_not_allowed with Allow listing the path methods', async () => {
    const response = await call('PUT', '/v1/orgs');
    expect(response.status).toBe(405);
    expect(response.allow).toBe('GET, HEAD');
    expect(response.type).toMatch(/^application\/problem\+json/);
    expect(JSON.parse(response.text)).toMatchObject({
      type: 'https://hangar.dev/problems/method_not_allowed',
      status: 405,
      code: 'method_not_allowed',
    });
  });

  it('OPTIONS that is not a CORS preflight: 405 with Allow, as PATCH gets', async () => {
    for (const corsOrigins of [[], ['*']]) {
      const other = await startServer({ corsOrigins });
      try {
        const options = await fetch(`${other.url}/v1/orgs`, { method: 'OPTIONS' });
        const patch = await fetch(`${other.url}/v1/orgs`, { method: 'PATCH' });
        for (const response of [options, patch]) {
          expect(response.status).toBe(405);
          expect(response.headers.get('allow')).toBe('GET, HEAD');
          expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
          expect(await response.json()).toMatchObject({ code: 'method_not_allowed' });
        }
      } finally {
        await other.close();
      }
    }
    // A real preflight from a loopback page is still answered by CORS.
    const preflight = await fetch(`${server.url}/v1/orgs`, {
      method: 'OPTIONS',
      headers: { origin: 'http://localhost:5173', 'access-control-request-method': 'GET' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
  });

  it('PATCH /v1/apps/x: 405 with the methods of /v1/apps/{app}, with or without a token', async () => {
    for (const token of [server.devToken, null]) {
      const response = await call('PATCH', '/v1/apps/x', token);
      expect(response.status).toBe(405);
      expect(response.allow).toBe('GET, HEAD, DELETE');
    }
    expect((await call('DELETE', '/v1/sessions')).allow).toBe('POST');
    expect((await call('PUT', '/v1/apps/acme-web/machines/m/start')).allow).toBe('POST');
  });

  it('an unknown path is still 404 not_found, whatever the method', async () => {
    for (const method of ['GET', 'PUT']) {
      const response = await call(method, '/v1/nowhere');
      expect(response.status).toBe(404);
      expect(response.allow).toBeNull();
      expect(JSON.parse(response.text).code).toBe('not_found');
    }
  });
});

describe('HEAD on a GET route', () => {
  it('answers like GET, without a body', async () => {
    for (const path of ['/v1/orgs', '/v1/apps/acme-web', '/v1/viewer', '/v1/orgs?limit=1']) {
      const get = await call('GET', path);
      const head = await call('HEAD', path);
      expect(head.status, path).toBe(200);
      expect(head.type).toBe(get.type);
      expect(head.length).toBe(String(Buffer.byteLength(get.text)));
      expect(head.text).toBe('');
    }
  });

  it('keeps the errors of GET: 401 without a token, 404 for an unknown app, 400 for a bad query', async () => {
    expect((await call('HEAD', '/v1/orgs', null)).status).toBe(401);
    expect((await call('HEAD', '/v1/apps/nope')).status).toBe(404);
    const bad = await call('HEAD', '/v1/orgs?limit=500');
    expect([bad.status, bad.text]).toEqual([400, '']);
  });
});
