import { describe, expect, it } from 'vitest';
import { collect, createHangarClient, HangarApiError, TokenExchangeError } from '../src/index.js';
import { fakeFetch, json, problem, validToken } from './fake-fetch.js';

const policy = {
  id: 'tp_0123456789abcdef',
  name: 'web main',
  org: 'acme',
  issuer: 'https://token.actions.githubusercontent.com',
  audience: 'https://hangar.dev',
  conditions: { sub: 'repo:acme/web:*' },
  grant: { kind: 'deploy', app: 'acme-web', expires_in: 900 },
  created_by: 'dev@hangar.local',
  created_at: '2026-11-30T08:00:00Z',
};

describe('trust policies and auth.exchange (issue 17)', () => {
  it('auth.exchange posts the RFC 8693 form with no token and returns the answer', async () => {
    const answer = {
      access_token: validToken(),
      issued_token_type: 'urn:ietf:params:oauth:token-type:access_token',
      token_type: 'Bearer',
      expires_in: 900,
    };
    const { fetch, calls } = fakeFetch(() => json(answer));
    const hangar = createHangarClient({ baseUrl: 'http://api.test', fetch });
    expect(await hangar.auth.exchange(' eyJ.a.b\n', { org: 'acme', app: 'acme-web' })).toEqual(
      answer,
    );
    const request = calls[0] as Request;
    expect(`${request.method} ${new URL(request.url).pathname}`).toBe('POST /v1/oidc/token');
    expect(request.headers.get('content-type')).toBe('application/x-www-form-urlencoded');
    expect(request.headers.get('authorization')).toBeNull();
    expect(Object.fromEntries(new URLSearchParams(await request.clone().text()))).toEqual({
      grant_type: 'urn:ietf:params:oauth:grant-type:token-exchange',
      subject_token: 'eyJ.a.b',
      subject_token_type: 'urn:ietf:params:oauth:token-type:id_token',
      org: 'acme',
      app: 'acme-web',
    });
  });

  it('a refusal throws TokenExchangeError with the OAuth error; a problem stays a HangarApiError', async () => {
    const refusal = { error: 'invalid_grant', error_description: 'not valid' };
    const refused = createHangarClient({
      baseUrl: 'http://api.test',
      fetch: fakeFetch(() => json(refusal, 400)).fetch,
    });
    const error = await refused.auth.exchange('x', { org: 'acme' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TokenExchangeError);
    expect(error).toMatchObject({ error: 'invalid_grant', description: 'not valid', status: 400 });
    const limited = createHangarClient({
      baseUrl: 'http://api.test',
      maxRetries: 0,
      fetch: fakeFetch(() => problem(415, 'unsupported_media_type', 'form')).fetch,
    });
    const other = await limited.auth.exchange('x', { org: 'acme' }).catch((e: unknown) => e);
    expect(other).toBeInstanceOf(HangarApiError);
  });

  it("a refusal carries the answer's X-Request-Id as requestId, null when it had none", async () => {
    const refusal = { error: 'invalid_grant', error_description: 'not valid' };
    const withId = createHangarClient({
      baseUrl: 'http://api.test',
      fetch: fakeFetch(
        () =>
          new Response(JSON.stringify(refusal), {
            status: 400,
            headers: { 'content-type': 'application/json', 'x-request-id': 'req_0123abcd' },
          }),
      ).fetch,
    });
    const error = await withId.auth.exchange('x', { org: 'acme' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TokenExchangeError);
    expect((error as TokenExchangeError).requestId).toBe('req_0123abcd');
    const without = createHangarClient({
      baseUrl: 'http://api.test',
      fetch: fakeFetch(() => json(refusal, 400)).fetch,
    });
    const bare = await without.auth.exchange('x', { org: 'acme' }).catch((e: unknown) => e);
    expect((bare as TokenExchangeError).requestId).toBeNull();
  });

  it("a refusal carries the answer's error_uri as errorUri (the case, stable), null when it had none", async () => {
    const uri = 'https://hangar.dev/problems/id_token_already_used';
    const refusedWith = (body: object): Promise<TokenExchangeError> =>
      createHangarClient({
        baseUrl: 'http://api.test',
        fetch: fakeFetch(() => json(body, 400)).fetch,
      })
        .auth.exchange('x', { org: 'acme' })
        .then(
          () => Promise.reject(new Error('the exchange was not refused')),
          (e: unknown) => e as TokenExchangeError,
        );
    const used = await refusedWith({
      error: 'invalid_grant',
      error_description: 'gebraucht',
      error_uri: uri,
    });
    expect(used).toMatchObject({ error: 'invalid_grant', description: 'gebraucht', errorUri: uri });
    const plain = await refusedWith({ error: 'invalid_grant', error_description: 'not valid' });
    expect(plain.errorUri).toBeNull();
  });

  it('trustPolicies create/list/iterate/get/delete call their operations', async () => {
    const { fetch, calls } = fakeFetch((request) => {
      if (request.method === 'DELETE') return new Response(null, { status: 204 });
      if (request.method === 'POST') return json(policy, 201);
      if (new URL(request.url).pathname.endsWith(policy.id)) return json(policy);
      return json({ items: [policy], next_cursor: null });
    });
    const hangar = createHangarClient({ baseUrl: 'http://api.test', token: validToken(), fetch });
    const { id, org, created_by, created_at, ...body } = policy;
    expect(await hangar.trustPolicies.create('acme', body as never)).toEqual(policy);
    expect((await hangar.trustPolicies.list('acme')).items).toEqual([policy]);
    expect(await collect(hangar.trustPolicies.iterate('acme'))).toEqual([policy]);
    expect(await hangar.trustPolicies.get('acme', id)).toEqual(policy);
    await hangar.trustPolicies.delete('acme', id);
    expect(calls.map((r) => `${r.method} ${new URL(r.url).pathname}`)).toEqual([
      'POST /v1/orgs/acme/trust-policies',
      'GET /v1/orgs/acme/trust-policies',
      'GET /v1/orgs/acme/trust-policies',
      `GET /v1/orgs/acme/trust-policies/${id}`,
      `DELETE /v1/orgs/acme/trust-policies/${id}`,
    ]);
  });
});

describe('auth.exchange called from JavaScript with the wrong types', () => {
  it('throws a TypeError saying what to pass, and sends nothing', async () => {
    const { fetch, calls } = fakeFetch(() => json({}));
    const hangar = createHangarClient({ baseUrl: 'http://api.test', fetch });
    // An unset CI variable (process.env.ACTIONS_ID_TOKEN) is the usual way to get here.
    const exchange = hangar.auth.exchange as (
      idToken: unknown,
      options?: unknown,
    ) => Promise<unknown>;
    await expect(exchange(undefined, { org: 'acme' })).rejects.toThrow(
      new TypeError(
        "auth.exchange: idToken must be the CI system's OIDC ID token (a JWT string), got undefined; nothing was sent",
      ),
    );
    await expect(exchange(42, { org: 'acme' })).rejects.toThrow(/got a number; nothing was sent/);
    await expect(exchange('eyJ.a.b')).rejects.toThrow(
      new TypeError(
        'auth.exchange: options must be { org, app? }, with org the organization the trust policies belong to, got undefined; nothing was sent',
      ),
    );
    await expect(exchange('eyJ.a.b', { org: 7 })).rejects.toThrow(
      /options must be \{ org, app\? \}.*got \{ org: a number \}/,
    );
    await expect(exchange('eyJ.a.b', { org: 'acme', app: 7 })).rejects.toThrow(
      /app must be a string/,
    );
    expect(calls).toHaveLength(0);
  });
});
