import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MockServer } from '../src/index.js';
import { startServer } from './helpers.js';

let server: MockServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server.close());

/** POSTs raw `body` bytes as JSON with `Content-Encoding: coding`; status and problem back. */
async function post(path: string, coding: string, body: Uint8Array | string, admin = false) {
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'content-encoding': coding,
  };
  if (admin) headers['x-hangar-admin-key'] = server.adminKey;
  const response = await fetch(`${server.url}${path}`, { method: 'POST', headers, body });
  const text = await response.text();
  return {
    status: response.status,
    type: response.headers.get('content-type'),
    body: (text ? JSON.parse(text) : {}) as Record<string, unknown>,
  };
}

const login = () => JSON.stringify(server.devUser);

describe('Content-Encoding of a request body', () => {
  it.each(['gzip', 'deflate', 'br', 'GZip'])(
    'corrupt %s data is a 400 naming the coding',
    async (coding) => {
      for (const [path, admin] of [
        ['/v1/sessions', false],
        ['/_admin/seed', true],
      ] as const) {
        const answer = await post(path, coding, 'xx', admin);
        expect(answer.status, JSON.stringify(answer.body)).toBe(400);
        expect(answer.type).toMatch(/^application\/problem\+json/);
        expect(answer.body).toMatchObject({
          code: 'bad_request',
          errors: [
            {
              field: 'header.Content-Encoding',
              message: `the body is not valid ${coding.toLowerCase()} data`,
            },
          ],
        });
      }
    },
  );

  it('truncated gzip data is a 400 too', async () => {
    const answer = await post('/v1/sessions', 'gzip', gzipSync(login()).subarray(0, 12));
    expect(answer.status).toBe(400);
    expect(answer.body.code).toBe('bad_request');
  });

  it.each([
    ['gzip', gzipSync],
    ['deflate', deflateSync],
    ['br', brotliCompressSync],
  ] as const)('a valid %s body logs in', async (coding, compress) => {
    const answer = await post('/v1/sessions', coding, compress(login()));
    expect(answer.status, JSON.stringify(answer.body)).toBe(201);
  });

  it.each(['gzip, gzip', 'compress', 'zstd'])(
    '"%s" is a 415 that names the coding, not the media type',
    async (coding) => {
      const answer = await post('/v1/sessions', coding, login());
      expect(answer.status).toBe(415);
      expect(answer.body).toMatchObject({
        code: 'unsupported_media_type',
        errors: [{ field: 'header.Content-Encoding' }],
      });
      expect(String(answer.body.detail)).toContain(`"${coding}" is not supported`);
      expect(String(answer.body.detail)).not.toContain('application/json');
    },
  );

  it('identity is the body as is', async () => {
    expect((await post('/v1/sessions', 'identity', login())).status).toBe(201);
  });
});
