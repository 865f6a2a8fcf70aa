import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpFetch } from '../../src/lib/http-fetch.js';

/** Echoes each request as JSON; /see-other answers 303 to /echo; /empty answers 204. */
let server: Server;
let base: string;

async function readBody(req: IncomingMessage): Promise<string> {
  let text = '';
  for await (const chunk of req) text += String(chunk);
  return text;
}

beforeAll(async () => {
  server = createServer(async (req, res) => {
    const body = await readBody(req);
    if (req.url === '/see-other') {
      res.writeHead(303, { location: '/echo?after=303' }).end();
      return;
    }
    if (req.url === '/empty') {
      res.writeHead(204).end();
      return;
    }
    res.writeHead(201, { 'content-type': 'application/json', 'x-request-id': 'req_1' });
    res.end(JSON.stringify({ method: req.method, url: req.url, headers: req.headers, body }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('httpFetch: the fetch the CLI gives the SDK', () => {
  it('sends method, headers and body, and answers a standard Response', async () => {
    const response = await httpFetch(
      new Request(`${base}/echo?x=1`, {
        method: 'POST',
        headers: { authorization: 'Bearer t', 'content-type': 'application/json' },
        body: '{"name":"ci"}',
      }),
    );
    expect(response).toBeInstanceOf(Response);
    expect(response.status).toBe(201);
    expect(response.headers.get('x-request-id')).toBe('req_1');
    const echoed = await response.json();
    expect(echoed).toMatchObject({
      method: 'POST',
      url: '/echo?x=1',
      body: '{"name":"ci"}',
      headers: { authorization: 'Bearer t', 'content-length': '13' },
    });
  });

  it('follows a 303 with a GET without the body, as fetch does', async () => {
    const response = await httpFetch(
      new Request(`${base}/see-other`, { method: 'POST', body: 'x' }),
    );
    expect(response.status).toBe(201);
    expect(await response.json()).toMatchObject({
      method: 'GET',
      url: '/echo?after=303',
      body: '',
    });
  });

  it('gives a 204 no body', async () => {
    const response = await httpFetch(new Request(`${base}/empty`, { method: 'DELETE' }));
    expect(response.status).toBe(204);
    expect(response.body).toBeNull();
  });

  it("fails like Node's fetch when nothing listens: TypeError 'fetch failed' with the cause", async () => {
    const error = await httpFetch(new Request('http://127.0.0.1:9/v1/orgs')).catch((e) => e);
    expect(error).toBeInstanceOf(TypeError);
    expect(error.message).toBe('fetch failed');
    expect((error.cause as NodeJS.ErrnoException).code).toBe('ECONNREFUSED');
  });
});
