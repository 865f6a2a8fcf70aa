import { describe, expect, it } from 'vitest';
import {
  createHangarClient,
  DurationError,
  HangarApiError,
  isHangarApiError,
  type RequestLogEntry,
} from '../src/index.js';
import { fakeFetch, json, problem, rejection, validToken } from './fake-fetch.js';

const baseUrl = 'http://hangar.test';
const token = validToken();

const tokenRow = (id: string) => ({
  id,
  name: 'ci',
  kind: 'org',
  org: 'acme',
  app: null,
  created_by: 'dev@hangar.local',
  created_at: '2026-11-30T08:00:00Z',
  expires_at: '2046-11-30T08:00:00Z',
  last_used_at: null,
  revoked_at: null,
  status: 'active',
});

describe('authentication', () => {
  it.each([
    ['bare', token],
    ['with Bearer prefix', `Bearer ${token}`],
    ['with surrounding whitespace', `  ${token}\n`],
    ['with Bearer and whitespace', ` \tBearer ${token}  \n`],
  ])('sends Authorization: Bearer <token> for a token given %s', async (_, given) => {
    const { fetch, calls } = fakeFetch(() => json({ items: [], next_cursor: null }));
    const hangar = createHangarClient({ baseUrl, token: given, fetch });
    await hangar.orgs.list();
    expect(calls).toHaveLength(1);
    expect(calls[0]?.headers.get('Authorization')).toBe(`Bearer ${token}`);
  });

  it.each([
    ['truncated', token.slice(0, -4)],
    ['mistyped', `${token.slice(0, 20)}x${token.slice(21)}`],
    ['not a Hangar token', 'ghp_0123456789abcdef'],
  ])('refuses a %s token before any request', async (_, bad) => {
    const { fetch, calls } = fakeFetch(() => json({}));
    const hangar = createHangarClient({ baseUrl, token: bad, fetch });
    const error = await rejection(hangar.viewer.get());
    expect(error).toMatchObject({ code: 'token_malformed', status: 401, local: true });
    expect(error.message).toContain('no request was sent');
    expect(error.message).not.toContain(bad);
    expect(calls).toHaveLength(0);
  });

  it('refuses a malformed token on the raw client too, sending nothing', async () => {
    const { fetch, calls } = fakeFetch(() => json({}));
    const hangar = createHangarClient({ baseUrl, token: 'hangar_abc_123456', fetch });
    await expect(hangar.raw.GET('/v1/viewer')).rejects.toMatchObject({ code: 'token_malformed' });
    expect(calls).toHaveLength(0);
  });

  it('logs in without a token and sends no Authorization header', async () => {
    const session = { token, user: { id: 'usr_1', email: 'dev@hangar.local' } };
    const { fetch, calls } = fakeFetch(() => json(session, 201));
    const hangar = createHangarClient({ baseUrl, fetch });
    await expect(hangar.sessions.create('dev@hangar.local', 'pw')).resolves.toEqual(session);
    expect(calls[0]?.method).toBe('POST');
    expect(calls[0]?.url).toBe(`${baseUrl}/v1/sessions`);
    expect(calls[0]?.headers.has('Authorization')).toBe(false);
    expect(await calls[0]?.json()).toEqual({ email: 'dev@hangar.local', password: 'pw' });
  });

  it('sends no Authorization header for a blank token', async () => {
    const { fetch, calls } = fakeFetch(() => problem(401, 'unauthenticated', 'No token.'));
    const hangar = createHangarClient({ baseUrl, token: '   ', fetch });
    await expect(hangar.viewer.get()).rejects.toMatchObject({ code: 'unauthenticated' });
    expect(calls[0]?.headers.has('Authorization')).toBe(false);
  });

  it('sends the User-Agent, hangar-sdk by default', async () => {
    const { fetch, calls } = fakeFetch(() => json({ items: [], next_cursor: null }));
    await createHangarClient({ baseUrl, token, fetch }).orgs.list();
    await createHangarClient({ baseUrl, token, fetch, userAgent: 'hangar-cli/1.0' }).orgs.list();
    expect(calls.map((c) => c.headers.get('User-Agent'))).toEqual(['hangar-sdk', 'hangar-cli/1.0']);
  });
});

describe('error mapping', () => {
  it.each([
    [401, 'token_revoked', 'This token was revoked at 2026-11-30T08:00:00Z.'],
    [401, 'token_expired', 'This token expired at 2026-11-30T08:00:00Z.'],
    [403, 'forbidden', 'This token cannot delete apps in organization "acme".'],
    [403, 'exceeds_token_lifetime', 'The new token would outlive this one.'],
    [404, 'not_found', 'No app "acme-web".'],
    [409, 'token_already_revoked', 'Token tok_1 was already revoked.'],
    [400, 'validation_failed', 'body.expires_in: must be >= 1'],
  ])('maps a %d %s problem to HangarApiError', async (status, code, detail) => {
    const { fetch } = fakeFetch(() => problem(status, code, detail));
    const hangar = createHangarClient({ baseUrl, token, fetch });
    const error = await rejection(hangar.apps.get('acme-web'));
    expect(error).toBeInstanceOf(HangarApiError);
    expect(error).toMatchObject({ status, code, detail, local: false, method: 'GET' });
    expect(error.url).toBe(`${baseUrl}/v1/apps/acme-web`);
    expect(error.problem?.code).toBe(code);
    expect(error.message).toBe(`${detail} (${status} ${code})`);
    expect(isHangarApiError(error, code as 'not_found')).toBe(true);
  });

  it('keeps the extra problem fields (required_access, errors)', async () => {
    const required = { resource: 'app', action: 'delete', org: 'acme' };
    const { fetch } = fakeFetch(() =>
      problem(403, 'forbidden', 'needs app delete', { required_access: required }),
    );
    const error = await rejection(
      createHangarClient({ baseUrl, token, fetch }).apps.delete('acme-web'),
    );
    expect(error.problem).toMatchObject({ required_access: required });
  });

  it('maps an HTML 502 to http_error with the status', async () => {
    const { fetch } = fakeFetch(
      () =>
        new Response('<html><body><h1>502 Bad Gateway</h1></body></html>', {
          status: 502,
          statusText: 'Bad Gateway',
          headers: { 'Content-Type': 'text/html' },
        }),
    );
    const error = await rejection(createHangarClient({ baseUrl, token, fetch }).viewer.get());
    expect(error).toMatchObject({ status: 502, code: 'http_error', title: 'Bad Gateway' });
    expect(error.problem).toBeUndefined();
    expect(error.detail).toContain('502 Bad Gateway');
  });

  it('maps an empty 500 and an unknown problem code to http_error', async () => {
    const empty = fakeFetch(() => new Response(null, { status: 500 }));
    const emptyError = await rejection(
      createHangarClient({ baseUrl, token, fetch: empty.fetch }).viewer.get(),
    );
    expect(emptyError).toMatchObject({ status: 500, code: 'http_error' });

    const unknown = fakeFetch(() => problem(418, 'teapot', 'short and stout'));
    const unknownError = await rejection(
      createHangarClient({ baseUrl, token, fetch: unknown.fetch }).viewer.get(),
    );
    expect(unknownError).toMatchObject({ status: 418, code: 'http_error' });
  });

  it('keeps the detail, title and code of a problem whose code the contract does not declare', async () => {
    const injected = fakeFetch(() =>
      problem(503, 'injected_fault', 'Fault rule flt_0123456789abcdef fired for getViewer'),
    );
    const error = await rejection(
      createHangarClient({ baseUrl, token, fetch: injected.fetch, maxRetries: 0 }).viewer.get(),
    );
    expect(error).toMatchObject({
      status: 503,
      code: 'http_error',
      serverCode: 'injected_fault',
      title: 'injected fault',
      detail: 'Fault rule flt_0123456789abcdef fired for getViewer',
    });
    expect(error.message).toBe(
      'Fault rule flt_0123456789abcdef fired for getViewer (503 injected_fault)',
    );
  });

  it('turns a network failure into network_error naming the URL', async () => {
    const fetch = async (): Promise<Response> => {
      throw new TypeError('fetch failed', { cause: new Error('connect ECONNREFUSED') });
    };
    const error = await rejection(createHangarClient({ baseUrl, token, fetch }).orgs.get('acme'));
    expect(error).toMatchObject({ code: 'network_error', status: 0, local: true });
    expect(error.message).toContain(`${baseUrl}/v1/orgs/acme`);
    expect(error.message).toContain('ECONNREFUSED');
    expect(error.message).not.toContain(token);
  });

  it('keeps the X-Request-Id of the answer as requestId: problems, HTML errors, not-Hangar answers; null with no answer', async () => {
    const withId = (response: Response) => {
      response.headers.set('X-Request-Id', 'req_0123456789abcdef00000007');
      return response;
    };
    const answers = [
      () => withId(problem(404, 'not_found', 'No app "acme-web".')),
      () => withId(new Response('<h1>Bad Gateway</h1>', { status: 502 })),
      () => withId(new Response('<html></html>', { headers: { 'Content-Type': 'text/html' } })),
    ];
    for (const answer of answers) {
      const { fetch } = fakeFetch(answer);
      const hangar = createHangarClient({ baseUrl, token, fetch, maxRetries: 0 });
      const error = await rejection(hangar.apps.get('acme-web'));
      expect(error.requestId).toBe('req_0123456789abcdef00000007');
    }
    const noHeader = fakeFetch(() => problem(404, 'not_found', 'No app "acme-web".'));
    const plain = createHangarClient({ baseUrl, token, fetch: noHeader.fetch });
    expect((await rejection(plain.apps.get('acme-web'))).requestId).toBeNull();
    const down = async (): Promise<Response> => {
      throw new TypeError('fetch failed');
    };
    const unreachable = createHangarClient({ baseUrl, token, fetch: down, maxRetries: 0 });
    expect((await rejection(unreachable.apps.get('acme-web'))).requestId).toBeNull();
  });

  it('reports a refused connection on the real fetch as network_error', async () => {
    const hangar = createHangarClient({ baseUrl: 'http://127.0.0.1:9', token });
    await expect(hangar.viewer.get()).rejects.toMatchObject({ code: 'network_error' });
  });
});

describe('raw client', () => {
  it('returns { data, error, response } without throwing on API errors', async () => {
    const { fetch } = fakeFetch(() => problem(404, 'not_found', 'No org "nope".'));
    const hangar = createHangarClient({ baseUrl, token, fetch });
    const { data, error, response } = await hangar.raw.GET('/v1/orgs/{org}', {
      params: { path: { org: 'nope' } },
    });
    expect(data).toBeUndefined();
    expect(error).toMatchObject({ code: 'not_found' });
    expect(response.status).toBe(404);
  });

  it('hands back a 304 (from a server or cache that answers If-None-Match) without throwing', async () => {
    // The contract has no conditional requests, but a user can send If-None-Match through raw.
    const { fetch, calls } = fakeFetch(() => new Response(null, { status: 304 }));
    const hangar = createHangarClient({ baseUrl, token, fetch });
    const { data, error, response } = await hangar.raw.GET('/v1/viewer', {
      headers: { 'If-None-Match': '*' },
    });
    expect(calls[0]?.headers.get('if-none-match')).toBe('*');
    expect([data, response.status]).toEqual([undefined, 304]);
    expect(error ?? '').toBe('');
    expect(calls).toHaveLength(1);
    // A helper, which expects the body, says what came instead.
    await expect(hangar.viewer.get()).rejects.toMatchObject({
      code: 'http_error',
      status: 304,
      message: expect.stringContaining('304'),
    });
  });
});

describe('pagination', () => {
  it('iterates every token across 3 pages, following next_cursor', async () => {
    const pages: Record<string, { items: unknown[]; next_cursor: string | null }> = {
      first: { items: [tokenRow('tok_1'), tokenRow('tok_2')], next_cursor: 'c2' },
      c2: { items: [tokenRow('tok_3'), tokenRow('tok_4')], next_cursor: 'c3' },
      c3: { items: [tokenRow('tok_5')], next_cursor: null },
    };
    const { fetch, calls } = fakeFetch((request) => {
      const cursor = new URL(request.url).searchParams.get('cursor') ?? 'first';
      return json(pages[cursor]);
    });
    const hangar = createHangarClient({ baseUrl, token, fetch });
    const ids: string[] = [];
    for await (const t of hangar.tokens.iterateOrg('acme', { limit: 2 })) ids.push(t.id);
    expect(ids).toEqual(['tok_1', 'tok_2', 'tok_3', 'tok_4', 'tok_5']);
    expect(calls.map((c) => new URL(c.url).search)).toEqual([
      '?limit=2',
      '?limit=2&cursor=c2',
      '?limit=2&cursor=c3',
    ]);
    expect(calls.every((c) => new URL(c.url).pathname === '/v1/orgs/acme/tokens')).toBe(true);
  });

  it('stops with the error of a failing page', async () => {
    let n = 0;
    const { fetch } = fakeFetch(() =>
      n++ === 0
        ? json({ items: [tokenRow('tok_1')], next_cursor: 'c2' })
        : problem(401, 'token_revoked', 'revoked'),
    );
    const seen: string[] = [];
    const walk = async () => {
      const hangar = createHangarClient({ baseUrl, token, fetch });
      for await (const t of hangar.tokens.iterateApp('acme-web')) seen.push(t.id);
    };
    await expect(walk()).rejects.toMatchObject({ code: 'token_revoked' });
    expect(seen).toEqual(['tok_1']);
  });
});

describe('resource helpers', () => {
  it('creates an org token with name and a duration-string expiry', async () => {
    const created = { ...tokenRow('tok_9'), token };
    const { fetch, calls } = fakeFetch(() => json(created, 201));
    const hangar = createHangarClient({ baseUrl, token, fetch });
    await expect(
      hangar.tokens.createOrg('acme', { name: 'ci', expiresIn: '30d' }),
    ).resolves.toEqual(created);
    expect(calls[0]?.url).toBe(`${baseUrl}/v1/orgs/acme/tokens/org`);
    expect(await calls[0]?.json()).toEqual({ name: 'ci', expires_in: 2592000 });
  });

  it('omits unset fields from the creation body', async () => {
    const { fetch, calls } = fakeFetch(() => json({ ...tokenRow('tok_9'), token }, 201));
    const hangar = createHangarClient({ baseUrl, token, fetch });
    await hangar.tokens.createDeploy('acme-web');
    await hangar.tokens.createReadonly('acme', { expiresIn: 3600 });
    expect(calls.map((c) => new URL(c.url).pathname)).toEqual([
      '/v1/apps/acme-web/tokens',
      '/v1/orgs/acme/tokens/readonly',
    ]);
    expect(await calls[0]?.json()).toEqual({});
    expect(await calls[1]?.json()).toEqual({ expires_in: 3600 });
  });

  it('refuses a bad expiry locally, before any request', async () => {
    const { fetch, calls } = fakeFetch(() => json({}, 201));
    const hangar = createHangarClient({ baseUrl, token, fetch });
    await expect(hangar.tokens.createOrg('acme', { expiresIn: '30' })).rejects.toBeInstanceOf(
      DurationError,
    );
    await expect(hangar.tokens.createOrg('acme', { expiresIn: 0 })).rejects.toBeInstanceOf(
      RangeError,
    );
    expect(calls).toHaveLength(0);
  });

  it.each([
    ['viewer.get', (h: H) => h.viewer.get(), 'GET', '/v1/viewer'],
    ['orgs.get', (h: H) => h.orgs.get('acme'), 'GET', '/v1/orgs/acme'],
    ['apps.list', (h: H) => h.apps.list('acme'), 'GET', '/v1/orgs/acme/apps'],
    ['apps.create', (h: H) => h.apps.create('acme', 'web'), 'POST', '/v1/orgs/acme/apps'],
    ['apps.delete', (h: H) => h.apps.delete('web'), 'DELETE', '/v1/apps/web'],
    ['machines.list', (h: H) => h.machines.list('web'), 'GET', '/v1/apps/web/machines'],
    [
      'machines.create',
      (h: H) => h.machines.create('web', { image: 'nginx' }),
      'POST',
      '/v1/apps/web/machines',
    ],
    ['machines.get', (h: H) => h.machines.get('web', 'm1'), 'GET', '/v1/apps/web/machines/m1'],
    [
      'machines.start',
      (h: H) => h.machines.start('web', 'm1'),
      'POST',
      '/v1/apps/web/machines/m1/start',
    ],
    [
      'machines.stop',
      (h: H) => h.machines.stop('web', 'm1'),
      'POST',
      '/v1/apps/web/machines/m1/stop',
    ],
    [
      'machines.delete',
      (h: H) => h.machines.delete('web', 'm1'),
      'DELETE',
      '/v1/apps/web/machines/m1',
    ],
    ['tokens.listApp', (h: H) => h.tokens.listApp('web'), 'GET', '/v1/apps/web/tokens'],
    ['tokens.get', (h: H) => h.tokens.get('tok_1'), 'GET', '/v1/tokens/tok_1'],
    ['tokens.revoke', (h: H) => h.tokens.revoke('tok_1'), 'DELETE', '/v1/tokens/tok_1'],
    ['tokens.revokeCurrent', (h: H) => h.tokens.revokeCurrent(), 'DELETE', '/v1/viewer/token'],
  ])('%s calls %s %s', async (_, run, method, path) => {
    const { fetch, calls } = fakeFetch((request) =>
      request.method === 'DELETE' && !path.includes('tokens') && !path.endsWith('/token')
        ? new Response(null, { status: 204 })
        : json({ items: [], next_cursor: null }),
    );
    await run(createHangarClient({ baseUrl, token, fetch }));
    expect(calls).toHaveLength(1);
    expect(calls[0]?.method).toBe(method);
    expect(new URL(calls[0]?.url ?? '').pathname).toBe(path);
  });

  it('escapes path parameters', async () => {
    const { fetch, calls } = fakeFetch(() => json({}));
    await createHangarClient({ baseUrl, token, fetch }).orgs.get('a/b?c');
    expect(new URL(calls[0]?.url ?? '').pathname).toBe('/v1/orgs/a%2Fb%3Fc');
  });
});

describe('logger', () => {
  it('hears attempt, method, url, path, status and duration of each request, never the token', async () => {
    const entries: RequestLogEntry[] = [];
    const { fetch } = fakeFetch((request) =>
      request.url.endsWith('/viewer') ? problem(401, 'token_expired', 'expired') : json({}),
    );
    const hangar = createHangarClient({ baseUrl, token, fetch, logger: (e) => entries.push(e) });
    await hangar.orgs.get('acme');
    await hangar.viewer.get().catch(() => undefined);
    expect(entries).toEqual([
      {
        attempt: 1,
        method: 'GET',
        url: `${baseUrl}/v1/orgs/acme`,
        path: '/v1/orgs/acme',
        status: 200,
        durationMs: expect.any(Number),
      },
      {
        attempt: 1,
        method: 'GET',
        url: `${baseUrl}/v1/viewer`,
        path: '/v1/viewer',
        status: 401,
        durationMs: expect.any(Number),
      },
    ]);
    expect(JSON.stringify(entries)).not.toContain(token);
  });

  it('logs a network failure with status 0', async () => {
    const entries: RequestLogEntry[] = [];
    const fetch = async (): Promise<Response> => {
      throw new TypeError('fetch failed');
    };
    const logger = (e: RequestLogEntry) => entries.push(e);
    const hangar = createHangarClient({ baseUrl, token, fetch, logger, maxRetries: 0 });
    await hangar.viewer.get().catch(() => undefined);
    expect(entries).toMatchObject([{ method: 'GET', status: 0, error: 'network_error' }]);
  });
});

type H = ReturnType<typeof createHangarClient>;

describe('baseUrl', () => {
  it.each([
    'http://hangar.test',
    'http://hangar.test/',
    'http://hangar.test/v1',
    'http://hangar.test/v1/',
    'http://hangar.test//v1//',
  ])('treats %s as the server root', async (given) => {
    const { fetch, calls } = fakeFetch(() => json({ items: [], next_cursor: null }));
    await createHangarClient({ baseUrl: given, token, fetch }).orgs.list();
    expect(calls[0]?.url).toBe('http://hangar.test/v1/orgs');
  });

  it('keeps a path prefix other than /v1', async () => {
    const { fetch, calls } = fakeFetch(() => json({ items: [], next_cursor: null }));
    await createHangarClient({ baseUrl: 'http://hangar.test/api/', token, fetch }).orgs.list();
    expect(calls[0]?.url).toBe('http://hangar.test/api/v1/orgs');
  });
});

describe('baseUrl', () => {
  const { fetch } = fakeFetch(() => json({ items: [], next_cursor: null }));

  it.each([
    [
      '127.0.0.1:4280',
      /baseUrl must be an absolute http:\/\/ or https:\/\/ URL .*got "127.0.0.1:4280"/,
    ],
    ['localhost:4280', /got "localhost:4280"/],
    ['not a url', /baseUrl must be an absolute http:\/\/ or https:\/\/ URL .*got "not a url"/],
    ['', /baseUrl must be an absolute/],
    ['ftp://hangar.test', /got "ftp:\/\/hangar.test"/],
    [
      'http://hangar.test/?x=1',
      /must not have a query or fragment; got "http:\/\/hangar.test\/\?x=1"/,
    ],
    ['http://hangar.test/#top', /must not have a query or fragment/],
  ])('refuses %j when the client is made, saying what to pass', (url, message) => {
    expect(() => createHangarClient({ baseUrl: url, token, fetch })).toThrow(TypeError);
    expect(() => createHangarClient({ baseUrl: url, token, fetch })).toThrow(message);
  });

  it('refuses a user name and password without repeating the password', () => {
    for (const baseUrl of ['http://user:s3cret-pw@hangar.test', 'user:s3cret-pw@hangar.test']) {
      let message = '';
      try {
        createHangarClient({ baseUrl, token, fetch });
      } catch (error) {
        message = (error as Error).message;
      }
      expect(message).toMatch(/^baseUrl must /);
      expect(message).not.toContain('s3cret-pw');
    }
  });

  it('takes a path prefix and a trailing /v1', async () => {
    for (const url of ['http://hangar.test/api', 'https://hangar.test/v1/', 'http://[::1]:4280']) {
      await expect(createHangarClient({ baseUrl: url, token, fetch }).orgs.list()).resolves.toEqual(
        {
          items: [],
          next_cursor: null,
        },
      );
    }
  });
});
