import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MockServer } from '../src/index.js';
import { http, logCapture, startServer, withServer } from './helpers.js';

let server: MockServer;
const { logDestination, lines: logLines } = logCapture();
beforeAll(async () => {
  server = await startServer({ logLevel: 'info', logDestination });
});
afterAll(() => server.close());

const auth = () => ({ authorization: `Bearer ${server.devToken}` });

/** POSTs `body`, raw text, as application/json with the dev token. */
const postJson = (path: string, body: string) =>
  http(server, 'POST', path, {
    token: server.devToken,
    body,
    headers: { 'content-type': 'application/json' },
  });

/** A request with exactly these headers (fetch cannot set Host) and an optional raw body. */
function raw(
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: string,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const { hostname, port } = new URL(server.url);
  return new Promise((resolve, reject) => {
    const length = body === undefined ? {} : { 'content-length': `${Buffer.byteLength(body)}` };
    const options = { host: hostname, port, method, path, headers: { ...length, ...headers } };
    const req = request(options, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => {
        text += chunk;
      });
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : {} }),
      );
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('a request body is never ignored', () => {
  const body = JSON.stringify({ name: 'ci', expires_in: 3600 });

  it.each([
    ['createOrgToken', '/v1/orgs/acme/tokens/org'],
    ['createReadonlyToken', '/v1/orgs/acme/tokens/readonly'],
    ['createDeployToken', '/v1/apps/acme-web/tokens'],
  ])('%s: a body without Content-Type is 415, not a 20-year default token', async (_, path) => {
    const response = await raw('POST', path, auth(), body);
    expect(response.status).toBe(415);
    expect(response.body.code).toBe('unsupported_media_type');
    const text = await raw('POST', path, { ...auth(), 'content-type': 'text/plain' }, body);
    expect(text.status).toBe(415);
  });

  it('a body on an operation that takes none: 415 when not JSON, 400 naming body when JSON', async () => {
    const start = '/v1/apps/acme-web/machines';
    const notJson = await raw('GET', start, { ...auth(), 'content-type': 'text/plain' }, 'x');
    expect(notJson.status).toBe(415);
    const json = await raw(
      'DELETE',
      '/v1/apps/acme-api',
      { ...auth(), 'content-type': 'application/json' },
      '{}',
    );
    expect(json.status).toBe(400);
    expect(json.body.errors).toEqual([
      { field: 'body', message: 'deleteApp takes no request body' },
    ]);
    // Not deleted.
    expect((await raw('GET', '/v1/apps/acme-api', auth())).status).toBe(200);
  });

  it('a POST without body bytes (Content-Length: 0) still takes the defaults', async () => {
    const response = await http(server, 'POST', '/v1/orgs/acme/tokens/readonly', {
      token: server.devToken,
    });
    expect(response.status).toBe(201);
  });

  it('a JSON null body is a validation error saying the body must be an object', async () => {
    const response = await postJson('/v1/orgs/acme/tokens/org', 'null');
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({
      code: 'validation_failed',
      errors: [{ field: 'body', message: 'must be a JSON object' }],
    });
  });

  it('a string with a lone surrogate is refused naming the field', async () => {
    const response = await postJson('/v1/orgs/acme/tokens/org', '{"name":"a\\ud800b"}');
    expect(response.status).toBe(400);
    expect(response.body.code).toBe('validation_failed');
    expect(response.body.errors).toEqual([
      { field: 'body.name', message: expect.stringContaining('valid Unicode') },
    ]);
    const paired = await postJson('/v1/orgs/acme/tokens/org', '{"name":"rocket \\ud83d\\ude80"}');
    expect(paired.status).toBe(201);
    expect(paired.body.name).toBe('rocket \u{1F680}');
  });

  it('413 states the limit', async () => {
    const response = await postJson(
      '/v1/orgs/acme/apps',
      JSON.stringify({ name: 'x'.repeat(70_000) }),
    );
    expect(response.status).toBe(413);
    expect(response.body.detail).toContain('64 KiB');
  });
});

describe('strict routing', () => {
  it('DELETE /v1/apps/<name>/ (trailing slash) is a 404 and deletes nothing', async () => {
    const created = await postJson('/v1/orgs/acme/apps', '{"name":"victim-app"}');
    expect(created.status).toBe(201);
    const response = await http(server, 'DELETE', '/v1/apps/victim-app/', {
      token: server.devToken,
    });
    expect(response.status).toBe(404);
    expect(response.body.code).toBe('not_found');
    expect((await raw('GET', '/v1/apps/victim-app', auth())).status).toBe(200);
  });

  it.each(['/v1/orgs/', '/v1//orgs', '/v1/orgs/acme//apps', '/v1/apps/acme-web//', '/V1/orgs'])(
    'GET %s is a 404 problem',
    async (path) => {
      const response = await raw('GET', path, auth());
      expect(response.status).toBe(404);
      expect(response.body.code).toBe('not_found');
    },
  );

  it('/_admin routes strictly too', async () => {
    const response = await raw('POST', '/_admin/reset/', { 'x-hangar-admin-key': server.adminKey });
    expect(response.status).toBe(404);
  });
});

describe('Host check (DNS rebinding)', () => {
  it.each(['evil.example', 'evil.example:4280', 'attacker.localhost.evil'])(
    'Host %s gets 421 on /v1 and /_admin',
    async (host) => {
      const session = await raw(
        'POST',
        '/v1/sessions',
        { host, 'content-type': 'application/json' },
        JSON.stringify({ email: 'dev@hangar.local', password: 'hangar-dev-password' }),
      );
      expect(session.status).toBe(421);
      expect(session.body).toMatchObject({ code: 'misdirected_request', status: 421 });
      const clock = await raw('GET', '/_admin/clock', {
        host,
        'x-hangar-admin-key': server.adminKey,
      });
      expect(clock.status).toBe(421);
    },
  );

  it.each(['localhost:4280', 'LOCALHOST', '127.0.0.1', '127.1.2.3:80', '[::1]:4280'])(
    'loopback Host %s is answered',
    async (host) => {
      expect((await raw('GET', '/v1/viewer', { host, ...auth() })).status).toBe(200);
    },
  );

  it('allowedHosts adds names; the bound address is answered', async () => {
    await withServer({ allowedHosts: ['mock.internal'], host: '127.0.0.2' }, async (other) => {
      const { port } = new URL(other.url);
      const get = (host: string) =>
        fetch(`${other.url}/v1/viewer`, {
          headers: { authorization: `Bearer ${other.devToken}` },
        }).then(
          () =>
            new Promise<number>((resolve, reject) => {
              const req = request(
                {
                  host: '127.0.0.2',
                  port,
                  path: '/v1/viewer',
                  headers: { host, authorization: `Bearer ${other.devToken}` },
                },
                (res) => {
                  res.resume();
                  resolve(res.statusCode ?? 0);
                },
              );
              req.on('error', reject);
              req.end();
            }),
        );
      expect(await get('mock.internal:8080')).toBe(200);
      expect(await get('127.0.0.2')).toBe(200);
      expect(await get('other.internal')).toBe(421);
    });
  });

  it('an allowed host that is not a host name is refused at start', async () => {
    for (const bad of ['http://x/', 'a b', 'x:port', '']) {
      await expect(startServer({ allowedHosts: [bad] })).rejects.toThrow(/allowed host/);
    }
  });
});

describe('token strings are not echoed or logged', () => {
  it('DELETE /v1/tokens/<token> redacts it in the problem and the request log', async () => {
    const token = server.devToken;
    const response = await http(server, 'DELETE', `/v1/tokens/${token}?x=${token}`, { token });
    expect(response.status).toBe(400);
    const text = JSON.stringify(response.body);
    expect(text).not.toContain(token.slice(7, 40));
    expect(response.body.instance).toBe('/v1/tokens/hangar_[redacted]');
    const logged = logLines.filter((line) => line.includes('/v1/tokens/hangar_'));
    expect(logged.length).toBeGreaterThan(0);
    expect(logLines.join('')).not.toContain(token.slice(7, 40));
  });

  it('admin keys and JWTs in a query string are redacted in the request log', async () => {
    const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const signature = Buffer.alloc(64, 7).toString('base64url');
    const jwt = `${b64({ alg: 'ES256', typ: 'JWT' })}.${b64({ sub: 'repo:acme/web' })}.${signature}`;
    const secrets = [
      server.adminKey,
      jwt,
      jwt.replaceAll('.', '%2E'),
      `${jwt.slice(0, -1 - signature.length)}.`,
    ];
    for (const [path, secret] of [
      ['/_admin/clock?k=', server.adminKey],
      ['/_oidc/jwks?t=', jwt],
      ['/_oidc/jwks?t=', secrets[2]],
      ['/v1/orgs?cursor=', secrets[3]],
    ] as const) {
      await fetch(`${server.url}${path}${secret}&limit=5`, { headers: auth() });
    }
    const logged = logLines.join('');
    for (const secret of secrets) expect(logged).not.toContain(secret.slice(4, 40));
    expect(logged).toContain('/_admin/clock?k=hma_[redacted]&limit=5');
    expect(logged).toContain('/_oidc/jwks?t=[redacted JWT]&limit=5');
    expect(logged).toContain('/v1/orgs?cursor=[redacted JWT]&limit=5');
  });

  it('a token used as a query parameter name is redacted in detail and errors', async () => {
    const token = server.devToken;
    const response = await http(server, 'GET', `/v1/orgs?${token}=1`, { token });
    expect(response.status).toBe(400);
    expect(JSON.stringify(response.body)).not.toContain(token.slice(7, 40));
    expect(response.body.detail).toContain('hangar_[redacted]');
  });
});

describe('malformed percent-encoding', () => {
  it.each([
    ['/v1/apps/%ZZ', 'path.app'],
    ['/v1/tokens/%C0', 'path.token_id'],
    ['/v1/apps/acme-web/machines/%E0%A4', 'path.machine'],
  ])('GET %s is 400 bad_request naming %s, with or without a token', async (path, field) => {
    for (const headers of [auth(), {}]) {
      const response = await raw('GET', path, headers);
      expect(response.status).toBe(400);
      expect(response.body).toMatchObject({ code: 'bad_request', errors: [{ field }] });
      expect(response.body.detail).toContain(field);
    }
  });
});
