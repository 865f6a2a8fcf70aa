import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MockServer } from '../src/index.js';
import { rawExchange as rawExchangeWith, startServer } from './helpers.js';

let server: MockServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server.close());
const rawExchange = (request: string) => rawExchangeWith(server, request);

describe('requests Node refuses before routing get a problem body and a closed connection', () => {
  it('headers over 16 KiB: 431 request_header_fields_too_large', async () => {
    const response = await rawExchange(
      `GET /v1/orgs HTTP/1.1\r\nHost: localhost\r\nX-Padding: ${'a'.repeat(20_000)}\r\n\r\n`,
    );
    expect(response.status).toBe(431);
    expect(response.headers).toContain('content-type: application/problem+json');
    expect(response.headers).toContain('connection: close');
    expect(JSON.parse(response.body)).toMatchObject({
      type: 'https://hangar.dev/problems/request_header_fields_too_large',
      status: 431,
      code: 'request_header_fields_too_large',
    });
  });

  it('an HTTP/1.1 request without Host: 400 bad_request naming the header, not a bare 400', async () => {
    const response = await rawExchange('GET /v1/orgs HTTP/1.1\r\n\r\n');
    expect(response.status).toBe(400);
    expect(response.headers).toContain('content-type: application/problem+json');
    expect(response.headers).toContain('connection: close');
    expect(JSON.parse(response.body)).toMatchObject({
      status: 400,
      code: 'bad_request',
      errors: [{ field: 'header.Host', message: expect.stringContaining('HTTP/1.1') }],
    });
    // HTTP/1.0 has no Host header: such a request goes on (here to authentication).
    const old = await rawExchange('GET /v1/orgs HTTP/1.0\r\n\r\n');
    expect(old.status).toBe(401);
  });

  it('a request that is not HTTP: 400 bad_request', async () => {
    const response = await rawExchange('HELLO THERE\r\n\r\n');
    expect(response.status).toBe(400);
    expect(JSON.parse(response.body)).toMatchObject({ status: 400, code: 'bad_request' });
  });

  it('garbage after a finished request on a kept-alive connection: 400 bad_request', async () => {
    const { hostname, port } = new URL(server.url);
    const statuses = await new Promise<number[]>((resolve, reject) => {
      const socket = connect(Number(port), hostname, () =>
        socket.write('GET /v1/viewer HTTP/1.1\r\nHost: localhost\r\n\r\n'),
      );
      let data = '';
      let sent = false;
      socket.setEncoding('utf8');
      socket.on('data', (chunk) => {
        data += chunk;
        // Once the first response (a problem body) is complete, send a request that is not HTTP.
        if (!sent && data.trimEnd().endsWith('}')) {
          sent = true;
          socket.write('HELLO THERE\r\n\r\n');
        }
      });
      socket.on('error', reject);
      socket.on('close', () =>
        resolve([...data.matchAll(/HTTP\/1\.1 (\d{3})/g)].map((m) => Number(m[1]))),
      );
    });
    expect(statuses).toEqual([401, 400]);
  });

  it('the server keeps answering normal requests afterwards', async () => {
    const response = await fetch(`${server.url}/v1/viewer`, {
      headers: { authorization: `Bearer ${server.devToken}` },
    });
    expect(response.status).toBe(200);
  });
});
