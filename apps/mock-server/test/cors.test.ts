import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MockServer } from '../src/index.js';
import { startServer } from './helpers.js';

/** A browser preflight for a POST with a JSON body and a bearer token, from `origin`. */
async function preflight(server: MockServer, origin: string) {
  const response = await fetch(`${server.url}/v1/sessions`, {
    method: 'OPTIONS',
    headers: {
      origin,
      'access-control-request-method': 'POST',
      'access-control-request-headers': 'authorization,content-type',
    },
  });
  return {
    status: response.status,
    allowOrigin: response.headers.get('access-control-allow-origin'),
  };
}

describe('CORS by default: loopback pages only', () => {
  let server: MockServer;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(() => server.close());

  it('a preflight from a local dev server is allowed, on any port and loopback address', async () => {
    for (const origin of ['http://localhost:5173', 'http://127.0.0.1:3000', 'http://[::1]:8080']) {
      expect(await preflight(server, origin)).toEqual({ status: 204, allowOrigin: origin });
    }
  });

  it('a preflight from a web page elsewhere gets no allow-origin header', async () => {
    for (const origin of ['https://evil.example', 'http://localhost.evil.example', 'null']) {
      expect((await preflight(server, origin)).allowOrigin).toBeNull();
    }
  });

  it('a cross-origin login from elsewhere is not readable by the page', async () => {
    const response = await fetch(`${server.url}/v1/sessions`, {
      method: 'POST',
      headers: { origin: 'https://evil.example', 'content-type': 'application/json' },
      body: JSON.stringify(server.devUser),
    });
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('corsOrigins', () => {
  it('adds exact origins to the loopback ones', async () => {
    const server = await startServer({ corsOrigins: ['https://app.example.com/'] });
    expect((await preflight(server, 'https://app.example.com')).allowOrigin).toBe(
      'https://app.example.com',
    );
    expect((await preflight(server, 'http://localhost:5173')).allowOrigin).toBe(
      'http://localhost:5173',
    );
    expect((await preflight(server, 'https://evil.example')).allowOrigin).toBeNull();
    await server.close();
  });

  it('* allows every origin', async () => {
    const server = await startServer({ corsOrigins: ['*'] });
    expect((await preflight(server, 'https://evil.example')).allowOrigin).toBe('*');
    await server.close();
  });

  it('an origin that is not one is refused at start', async () => {
    await expect(startServer({ corsOrigins: ['app.example.com'] })).rejects.toThrow(/CORS origin/);
  });
});
