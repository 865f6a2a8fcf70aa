/**
 * The mock server's test controls conform to openapi/hangar-admin.yaml: every admin operation is
 * called, with good and bad requests, on an in-process hangar-mock (always that one: the checks
 * reset the server, so they never run against an external target), and every answer, success or
 * problem, is checked against the document's schemas by the same checker as the main contract.
 */

import { request } from 'node:http';
import { deref, type Json } from '@hangar/contract';
import { type MockServer, startMockServer } from '@hangar/mock-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadAdminContract } from '../src/contract.js';

const admin = loadAdminContract();
let server: MockServer;
/** `operationId status` of every answer checked, for the coverage test at the end. */
const seen = new Set<string>();

beforeAll(async () => {
  server = await startMockServer({ port: 0, memory: true });
}, 60_000);
afterAll(() => server?.close());

interface Call {
  body?: string;
  /** Content type of `body`; `application/json` by default. */
  type?: string;
  /** The admin key to send; the server's by default, null for none. */
  key?: string | null;
  /** A `Host` header to send instead of the server's own (fetch cannot set one: node:http). */
  host?: string;
}

/** One request through node:http, which sends the `Host` header it is given. */
function withHost(method: string, url: string, headers: Record<string, string>, host: string) {
  return new Promise<{ status: number; type: string | null; text: string }>((resolve, reject) => {
    const req = request(url, { method, headers: { ...headers, host } }, (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (chunk: string) => {
        text += chunk;
      });
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, type: res.headers['content-type'] ?? null, text }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

/**
 * Sends one request to `/_admin`, checks the answer against the operation the document has for
 * that method and path, and returns it. Fails the test on any violation.
 */
async function send(method: string, path: string, call: Call = {}) {
  const headers: Record<string, string> = {};
  const key = call.key === undefined ? server.adminKey : call.key;
  if (key !== null) headers['x-hangar-admin-key'] = key;
  if (call.body !== undefined) headers['content-type'] = call.type ?? 'application/json';
  if (call.host !== undefined) {
    const answer = await withHost(method, `${server.url}${path}`, headers, call.host);
    const answered = new Headers(answer.type === null ? {} : { 'content-type': answer.type });
    return { ...check(method, path, answer.status, answer.type, answer.text), headers: answered };
  }
  const response = await fetch(`${server.url}${path}`, {
    method,
    headers,
    ...(call.body === undefined ? {} : { body: call.body }),
  });
  const type = response.headers.get('content-type');
  const text = await response.text();
  return { ...check(method, path, response.status, type, text), headers: response.headers };
}

/** Checks one answer against the operation the document has for that method and path. */
function check(method: string, path: string, status: number, type: string | null, text: string) {
  const operation = admin.match(method, path.split('?')[0] as string);
  if (!operation) throw new Error(`hangar-admin.yaml has no operation for ${method} ${path}`);
  const violations = admin.check(operation.operationId, status, type, text);
  expect(violations, `${method} ${path} ${status}: ${text.slice(0, 300)}`).toEqual([]);
  seen.add(`${operation.operationId} ${status}`);
  const body = JSON.parse(text) as Record<string, unknown>;
  return { status, body };
}

const json = (value: unknown) => ({ body: JSON.stringify(value) });
const fieldsOf = (body: Record<string, unknown>) =>
  (body.errors as { field: string }[] | undefined)?.map((e) => e.field);

describe('/_admin conforms to openapi/hangar-admin.yaml', () => {
  it('every operation answers 401 unauthenticated without the key, or with a wrong one', async () => {
    // The built-in issuer's discovery document and JWKS are public, as any issuer's.
    for (const op of admin.operations.filter((o) => o.secured)) {
      const none = await send(op.method, op.path, { key: null });
      const wrong = await send(op.method, op.path, { key: `${server.adminKey}x` });
      expect([none.status, none.body.code, wrong.status, wrong.body.code]).toEqual([
        401,
        'unauthenticated',
        401,
        'unauthenticated',
      ]);
    }
  });

  it('every operation answers 421 misdirected_request for a Host it does not serve', async () => {
    for (const op of admin.operations) {
      const rebound = await send(op.method, op.path, { host: 'evil.example' });
      expect([rebound.status, rebound.body.code]).toEqual([421, 'misdirected_request']);
    }
  });

  it('every answer declares the X-Request-Id header the server sends, as hangar.yaml does', async () => {
    const undeclared: string[] = [];
    for (const op of admin.operations) {
      const paths = admin.document.paths as Json;
      const responses = ((paths[op.path] as Json)[op.method] as Json).responses as Json;
      for (const [status, response] of Object.entries(responses)) {
        const { node } = deref(admin.document, response, `${op.operationId}/${status}`);
        const headers = (node.headers ?? {}) as Json;
        if (!headers['X-Request-Id']) undeclared.push(`${op.operationId} ${status}`);
      }
      // The server sends it on every answer, with or without the key.
      for (const key of [undefined, null]) {
        const answer = await fetch(`${server.url}${op.path}`, {
          method: op.method.toUpperCase(),
          headers: key === null ? {} : { 'x-hangar-admin-key': server.adminKey },
        });
        await answer.arrayBuffer();
        expect(answer.headers.get('x-request-id'), `${op.operationId}`).toMatch(
          /^req_[0-9a-f]{24}$/,
        );
      }
    }
    expect(undeclared).toEqual([]);
  });

  it('resetServer answers {"ok": true}', async () => {
    const reset = await send('POST', '/_admin/reset');
    expect([reset.status, reset.body]).toEqual([200, { ok: true }]);
  });

  it('seedFixture takes JSON and YAML and answers a token per user', async () => {
    const fixture = {
      users: [{ email: 'ana@initech.test', password: 'pw-ana' }],
      orgs: [{ slug: 'initech', members: [{ email: 'ana@initech.test', role: null }] }],
      apps: [{ name: 'tps-reports', org: 'initech' }],
    };
    const seeded = await send('POST', '/_admin/seed', json(fixture));
    expect(seeded.status).toBe(200);
    expect((seeded.body.users as { email: string }[]).map((u) => u.email)).toEqual([
      'ana@initech.test',
    ]);
    const yaml = 'users: [{ email: yara@yaml.test, password: pw-yara }]\norgs: null\n';
    const fromYaml = await send('POST', '/_admin/seed', { body: yaml, type: 'application/yaml' });
    expect(fromYaml.status).toBe(200);
  });

  it('seedFixture refuses a bad fixture: 400, 409, 413, 415', async () => {
    const invalid = await send(
      'POST',
      '/_admin/seed',
      json({ users: [{ email: 'nope', password: '' }], orgs: [{ slug: 'Bad Slug', name: ' ' }] }),
    );
    expect([invalid.status, invalid.body.code]).toEqual([400, 'validation_failed']);
    expect(fieldsOf(invalid.body)).toEqual([
      'users[0].email',
      'users[0].password',
      'orgs[0].slug',
      'orgs[0].name',
    ]);
    const notObject = await send('POST', '/_admin/seed', json(['users']));
    expect(fieldsOf(notObject.body)).toEqual(['body']);
    const noUser = await send(
      'POST',
      '/_admin/seed',
      json({ orgs: [{ slug: 'ghosts', members: [{ email: 'nobody@ghost.test' }] }] }),
    );
    expect(fieldsOf(noUser.body)).toEqual(['orgs[0].members[0].email']);
    const malformed = await send('POST', '/_admin/seed', { body: '{"users": [' });
    expect([malformed.status, malformed.body.code]).toEqual([400, 'malformed_json']);
    const badYaml = await send('POST', '/_admin/seed', { body: 'users: [', type: 'text/yaml' });
    expect([badYaml.status, badYaml.body.code]).toEqual([400, 'validation_failed']);
    // acme-web belongs to acme in the default data; app names are unique across the server.
    await send('POST', '/_admin/reset');
    const taken = await send(
      'POST',
      '/_admin/seed',
      json({ orgs: [{ slug: 'rival' }], apps: [{ name: 'acme-web', org: 'rival' }] }),
    );
    expect([taken.status, taken.body.code]).toEqual([409, 'conflict']);
    const huge = await send('POST', '/_admin/seed', json({ users: [], pad: 'x'.repeat(1 << 20) }));
    expect([huge.status, huge.body.code]).toEqual([413, 'payload_too_large']);
    const plain = await send('POST', '/_admin/seed', { body: 'users: []', type: 'text/plain' });
    expect([plain.status, plain.body.code]).toEqual([415, 'unsupported_media_type']);
    expect(plain.body.detail).toBe('Send the request body as application/json or application/yaml');
  });

  it('getClock, advanceClock and setClock move one clock forward, in RFC 3339 UTC', async () => {
    await send('POST', '/_admin/reset');
    const read = await send('GET', '/_admin/clock');
    const start = Date.parse(read.body.now as string);
    expect(Math.abs(start - Date.now())).toBeLessThan(5_000);
    const advanced = await send('POST', '/_admin/clock', json({ advance_seconds: 3600 }));
    const afterAdvance = Date.parse(advanced.body.now as string);
    expect(afterAdvance - start).toBeGreaterThanOrEqual(3_600_000);
    expect(afterAdvance - start).toBeLessThan(3_660_000);
    const target = new Date(afterAdvance + 86_400_000).toISOString().replace('.000Z', 'Z');
    const set = await send('PUT', '/_admin/clock', json({ now: target.replace('Z', '+00:00') }));
    expect(set.body).toEqual({ now: target });
    const reread = await send('GET', '/_admin/clock');
    expect(Date.parse(reread.body.now as string) - Date.parse(target)).toBeLessThan(60_000);
  });

  it('clock changes refuse bad values with 400 naming the field, and other bodies with 415', async () => {
    for (const advance_seconds of [-5, 0, 1.5, '60', 9_223_372_037]) {
      const bad = await send('POST', '/_admin/clock', json({ advance_seconds }));
      expect([bad.status, fieldsOf(bad.body)]).toEqual([400, ['body.advance_seconds']]);
    }
    const missing = await send('POST', '/_admin/clock', json({}));
    expect(fieldsOf(missing.body)).toEqual(['body.advance_seconds']);
    for (const now of ['2000-01-01T00:00:00Z', 'tomorrow', '2030-01-01', '9999-12-31T23:59:59Z']) {
      const bad = await send('PUT', '/_admin/clock', json({ now }));
      expect([bad.status, fieldsOf(bad.body)]).toEqual([400, ['body.now']]);
    }
    const malformed = await send('PUT', '/_admin/clock', { body: '{"now":' });
    expect(malformed.body.code).toBe('malformed_json');
    for (const method of ['POST', 'PUT']) {
      const yaml = await send(method, '/_admin/clock', {
        body: 'advance_seconds: 5',
        type: 'application/yaml',
      });
      expect([yaml.status, yaml.body.code]).toEqual([415, 'unsupported_media_type']);
      const huge = await send(method, '/_admin/clock', json({ pad: 'x'.repeat(1 << 20) }));
      expect([huge.status, huge.body.code]).toEqual([413, 'payload_too_large']);
    }
  });

  it('fault rules: create 201, list, delete 200 and 404, clear; bad rules 400, 413, 415', async () => {
    await send('POST', '/_admin/reset');
    const rule = { operation_id: 'listOrgs', status: 503, retry_after_seconds: 1, times: 1 };
    const created = await send('POST', '/_admin/faults', json(rule));
    expect([created.status, created.body.fired, created.body.remaining]).toEqual([201, 0, 1]);
    const listed = await send('GET', '/_admin/faults');
    expect((listed.body.items as { id: string }[]).map((f) => f.id)).toEqual([created.body.id]);
    const deleted = await send('DELETE', `/_admin/faults/${created.body.id as string}`);
    expect(deleted.body.id).toBe(created.body.id);
    const gone = await send('DELETE', `/_admin/faults/${created.body.id as string}`);
    expect([gone.status, gone.body.code]).toEqual([404, 'not_found']);
    await send('POST', '/_admin/faults', json({ path: '/v1/orgs/**', latency_ms: 1 }));
    const cleared = await send('DELETE', '/_admin/faults');
    expect(cleared.body).toEqual({ deleted: 1 });
    const bad = await send('POST', '/_admin/faults', json({ method: 'FETCH', drop: 'later' }));
    expect([bad.status, fieldsOf(bad.body)]).toEqual([400, ['body.method', 'body.drop']]);
    const huge = await send('POST', '/_admin/faults', json({ pad: 'x'.repeat(1 << 20) }));
    expect([huge.status, huge.body.code]).toEqual([413, 'payload_too_large']);
    const yaml = await send('POST', '/_admin/faults', { body: 'status: 500', type: 'text/yaml' });
    expect([yaml.status, yaml.body.code]).toEqual([415, 'unsupported_media_type']);
  });

  it('request journal: list, count, clear; bad filters 400', async () => {
    await send('POST', '/_admin/reset');
    await fetch(`${server.url}/v1/orgs`);
    const listed = await send('GET', '/_admin/requests?operation_id=listOrgs&status=401&limit=5');
    expect((listed.body.items as { status: number }[]).map((e) => e.status)).toEqual([401]);
    const counted = await send('GET', '/_admin/requests/count?since=2000-01-01T00:00:00Z');
    expect(counted.body).toEqual({ count: 1 });
    for (const path of ['/_admin/requests?limit=0', '/_admin/requests/count?status=ok']) {
      const bad = await send('GET', path);
      expect([bad.status, bad.body.code]).toEqual([400, 'validation_failed']);
    }
    const cleared = await send('DELETE', '/_admin/requests');
    expect(cleared.body).toEqual({ deleted: 1 });
  });

  it('getRateLimits and setRateLimits read and change the limits; bad bodies are 400, 413, 415', async () => {
    const before = await send('GET', '/_admin/rate-limits');
    expect(before.body.enabled).toBe(true);
    const lowered = await send(
      'PUT',
      '/_admin/rate-limits',
      json({ login_email: { quota: 3, window_seconds: 60 } }),
    );
    expect(lowered.body.login_email).toEqual({ quota: 3, window_seconds: 60 });
    expect(lowered.body.token).toEqual(before.body.token);
    const bad = await send('PUT', '/_admin/rate-limits', json({ token: { quota: 0 } }));
    expect([bad.status, fieldsOf(bad.body)]).toEqual([400, ['body.token.quota']]);
    const yaml = await send('PUT', '/_admin/rate-limits', {
      body: 'a: 1',
      type: 'application/yaml',
    });
    expect(yaml.status).toBe(415);
    const huge = await send('PUT', '/_admin/rate-limits', json({ pad: 'x'.repeat(1 << 20) }));
    expect(huge.status).toBe(413);
    await send('POST', '/_admin/reset');
    expect((await send('GET', '/_admin/rate-limits')).body).toEqual(before.body);
  });

  it('the built-in OIDC issuer: public discovery and JWKS, getOidcIssuer names them', async () => {
    const issuer = await send('GET', '/_admin/oidc');
    expect(issuer.body.issuer).toBe(`${server.url}/_oidc`);
    const discovery = await send('GET', '/_oidc/.well-known/openid-configuration', { key: null });
    expect([discovery.status, discovery.body.jwks_uri]).toEqual([200, issuer.body.jwks_uri]);
    const jwks = await send('GET', '/_oidc/jwks', { key: null });
    const kids = (jwks.body.keys as { kid: string }[]).map((k) => k.kid);
    expect(kids).toEqual((issuer.body.keys as { kid: string }[]).map((k) => k.kid));
  });

  it('mintIdToken answers a token and its claims; bad bodies are 400, 413, 415', async () => {
    const minted = await send(
      'POST',
      '/_admin/oidc/id-tokens',
      json({ preset: 'github-actions', repository: 'acme/web', audience: 'hangar' }),
    );
    expect([minted.status, (minted.body.claims as { sub: string }).sub]).toEqual([
      200,
      'repo:acme/web:ref:refs/heads/main',
    ]);
    const bad = await send(
      'POST',
      '/_admin/oidc/id-tokens',
      json({ alg: 'none', expires_in: 0, repository: 'acme/web' }),
    );
    expect([bad.status, fieldsOf(bad.body)]).toEqual([
      400,
      ['body.expires_in', 'body.alg', 'body.repository'],
    ]);
    const huge = await send('POST', '/_admin/oidc/id-tokens', json({ pad: 'x'.repeat(1 << 20) }));
    expect([huge.status, huge.body.code]).toEqual([413, 'payload_too_large']);
    const yaml = await send('POST', '/_admin/oidc/id-tokens', { body: 'a: 1', type: 'text/yaml' });
    expect([yaml.status, yaml.body.code]).toEqual([415, 'unsupported_media_type']);
  });

  it('rotateOidcKeys answers the keys after rotating; bad bodies are 400, 413, 415', async () => {
    const before = await send('GET', '/_admin/oidc');
    const rotated = await send('POST', '/_admin/oidc/keys/rotate', json({}));
    const replaced = (rotated.body.keys as { kid: string; current: boolean }[]).filter(
      (k) => !k.current,
    );
    expect(replaced.map((k) => k.kid)).toEqual(
      (before.body.keys as { kid: string; current: boolean }[])
        .filter((k) => k.current)
        .map((k) => k.kid),
    );
    const bad = await send('POST', '/_admin/oidc/keys/rotate', json({ drop_previous: 'yes' }));
    expect([bad.status, fieldsOf(bad.body)]).toEqual([400, ['body.drop_previous']]);
    const huge = await send('POST', '/_admin/oidc/keys/rotate', json({ pad: 'x'.repeat(1 << 20) }));
    expect([huge.status, huge.body.code]).toEqual([413, 'payload_too_large']);
    const yaml = await send('POST', '/_admin/oidc/keys/rotate', {
      body: 'a: 1',
      type: 'text/yaml',
    });
    expect([yaml.status, yaml.body.code]).toEqual([415, 'unsupported_media_type']);
  });

  it('answers 405 with Allow for another method on a known path, 404 for an unknown path', async () => {
    const response = await fetch(`${server.url}/_admin/reset`, {
      headers: { 'x-hangar-admin-key': server.adminKey },
    });
    expect([response.status, response.headers.get('allow')]).toEqual([405, 'POST']);
    const clock = await fetch(`${server.url}/_admin/clock`, {
      method: 'DELETE',
      headers: { 'x-hangar-admin-key': server.adminKey },
    });
    expect([clock.status, clock.headers.get('allow')]).toEqual([405, 'GET, HEAD, POST, PUT']);
    const nowhere = await fetch(`${server.url}/_admin/nowhere`, {
      headers: { 'x-hangar-admin-key': server.adminKey },
    });
    expect(nowhere.status).toBe(404);
    expect(((await nowhere.json()) as { code: string }).code).toBe('not_found');
  });

  it('the checker refuses what the document forbids', () => {
    const problem = 'application/problem+json';
    expect(admin.check('getClock', 200, 'application/json', '{"now":"yesterday"}')).not.toEqual([]);
    const expired = {
      type: 'https://hangar.dev/problems/token_expired',
      title: 'Token expired',
      status: 401,
      code: 'token_expired',
    };
    expect(admin.check('resetServer', 401, problem, JSON.stringify(expired))).not.toEqual([]);
    expect(admin.check('resetServer', 200, 'application/json', '{"ok":false}')).not.toEqual([]);
    expect(admin.check('getClock', 404, problem, '{}')).not.toEqual([]);
  });

  it('every status the document declares was answered and checked', () => {
    const declared = admin.operations.flatMap((op) =>
      Object.keys(op.responses).map((status) => `${op.operationId} ${status}`),
    );
    expect(declared.filter((entry) => !seen.has(entry))).toEqual([]);
  });
});
