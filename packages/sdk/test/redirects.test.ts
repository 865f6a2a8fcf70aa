import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHangarClient } from '../src/index.js';
import { validToken } from './fake-fetch.js';

const token = validToken();
const elsewhere: {
  method?: string;
  url?: string;
  body: string;
  headers: IncomingHttpHeaders;
}[] = [];
let status = 307;

/** Another host: it answers whatever it is asked with a JSON object. */
const other = createServer((request, response) => {
  let body = '';
  request.on('data', (chunk) => {
    body += chunk;
  });
  request.on('end', () => {
    elsewhere.push({ method: request.method, url: request.url, body, headers: request.headers });
    response.writeHead(200, { 'Content-Type': 'application/json' });
    response.end(JSON.stringify({ id: 'not-hangar', items: [], next_cursor: null }));
  });
});
/** A server at the base URL that redirects every request to the other host. */
const redirecting = createServer((request, response) => {
  const { port } = other.address() as AddressInfo;
  response.writeHead(status, { Location: `http://127.0.0.2:${port}${request.url}` });
  response.end();
});

const listen = (server: Server, host = '127.0.0.1') =>
  new Promise<string>((resolve) =>
    server.listen(0, host, () =>
      resolve(`http://${host}:${(server.address() as AddressInfo).port}`),
    ),
  );
let baseUrl = '';
beforeAll(async () => {
  await listen(other, '127.0.0.2'); // another origin: loopback answers all of 127/8
  baseUrl = await listen(redirecting);
});
afterAll(() => {
  redirecting.close();
  other.close();
});

describe('a redirect from the base URL, followed as fetch follows it', () => {
  it('a 307/308 resends a POST with its body to another origin, without the token', async () => {
    const hangar = createHangarClient({ baseUrl, token, maxRetries: 0 });
    for (const code of [307, 308]) {
      status = code;
      elsewhere.length = 0;
      // Before: Node's fetch could not resend the ArrayBuffer body: a network_error "Cannot
      // perform ArrayBuffer.prototype.slice on a detached ArrayBuffer".
      await expect(hangar.tokens.createOrg('acme', { name: 'ci' })).resolves.toMatchObject({
        id: 'not-hangar',
      });
      expect(elsewhere).toEqual([
        expect.objectContaining({
          method: 'POST',
          url: '/v1/orgs/acme/tokens/org',
          body: '{"name":"ci"}',
        }),
      ]);
      expect(elsewhere[0]?.headers.authorization).toBeUndefined();
    }
  });
});
