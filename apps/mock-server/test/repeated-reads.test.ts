import { request } from 'node:http';
import { attenuate } from '@hangar/tokens';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MockServer } from '../src/index.js';
import { admin, client, expectProblem, startServer } from './helpers.js';

// Every read is computed (src/caches.ts says what little is cached and why). These tests repeat
// reads, change one input of the reply in between, and expect the second reply to show it.

interface RawReply {
  status: number;
  headers: Record<string, string>;
  body: string;
}

async function get(
  server: MockServer,
  path: string,
  token: string,
  init: { method?: string; headers?: Record<string, string> } = {},
): Promise<RawReply> {
  const response = await fetch(`${server.url}${path}`, {
    method: init.method ?? 'GET',
    headers: { authorization: `Bearer ${token}`, ...init.headers },
  });
  const headers = Object.fromEntries(response.headers);
  // Not part of the reply: when it was sent, whether fetch keeps the connection, the rate
  // limit left (each request uses one: rate-limits.test.ts checks those headers), and
  // x-request-id (each answer has its own, request-id.ts).
  for (const name of ['date', 'connection', 'keep-alive', 'ratelimit', 'x-request-id']) {
    delete headers[name];
  }
  return { status: response.status, headers, body: await response.text() };
}

let server: MockServer;
beforeEach(async () => {
  server = await startServer();
});
afterEach(() => server.close());

describe('repeated reads', () => {
  it('get the same status, headers and bytes as the first, for GET and HEAD', async () => {
    const dev = server.devToken;
    await client(server).tokens.createOrg('acme', { name: 'ci' });
    for (const path of ['/v1/orgs/acme/tokens', '/v1/orgs', '/v1/viewer', '/v1/apps/acme-web']) {
      const first = await get(server, path, dev);
      expect(first.status, path).toBe(200);
      expect(await get(server, path, dev)).toEqual(first);
      const head = await get(server, path, dev, { method: 'HEAD' });
      expect(head).toEqual({ ...first, body: '' });
      expect(await get(server, path, dev, { method: 'HEAD' })).toEqual(head);
    }
  });

  it('keep each query and each token apart', async () => {
    const dev = client(server);
    await dev.tokens.createOrg('acme');
    const ci = await dev.tokens.createOrg('acme');
    const all = JSON.parse((await get(server, '/v1/orgs/acme/tokens', ci.token)).body);
    const one = JSON.parse((await get(server, '/v1/orgs/acme/tokens?limit=1', ci.token)).body);
    expect(all.items).toHaveLength(2);
    expect(one.items).toHaveLength(1);
    const viewer = JSON.parse((await get(server, '/v1/viewer', ci.token)).body);
    const devViewer = JSON.parse((await get(server, '/v1/viewer', server.devToken)).body);
    expect(viewer.token.id).toBe(ci.id);
    expect(devViewer.token.id).not.toBe(ci.id);
  });

  it('ignore conditional headers: no answer has a validator, none is a 304 (the contracts declare none)', async () => {
    // node:http, not fetch: fetch adds `cache-control: no-cache` to a conditional request.
    const raw = (path: string, headers: Record<string, string>) =>
      new Promise<{ status: number; etag?: string; body: string }>((resolve, reject) => {
        const req = request(`${server.url}${path}`, { headers }, (res) => {
          let body = '';
          res.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
          res.on('end', () =>
            resolve({ status: res.statusCode ?? 0, etag: res.headers.etag, body }),
          );
        });
        req.on('error', reject).end();
      });
    const bearer = { authorization: `Bearer ${server.devToken}` };
    const adminKey = { 'x-hangar-admin-key': server.adminKey };
    const conditions: Record<string, string>[] = [
      // RFC 9110 section 13.1.2: `*` matches any current representation, so res.json answered 304.
      { 'if-none-match': '*' },
      { 'if-none-match': '"abc", W/"def"' },
      { 'if-modified-since': new Date(Date.now() + 86_400_000).toUTCString() },
    ];
    for (const [path, auth] of [
      ['/v1/viewer', bearer],
      ['/v1/orgs', bearer],
      ['/v1/apps/acme-web', bearer],
      ['/v1/orgs/acme/tokens', bearer],
      ['/_admin/clock', adminKey],
      ['/_oidc/jwks', {}],
      ['/', {}],
    ] as const) {
      const plain = await raw(path, auth);
      expect(plain.status, path).toBe(200);
      expect(plain.etag, path).toBeUndefined();
      for (const condition of conditions) {
        const answer = await raw(path, { ...auth, ...condition });
        expect({ path, ...condition, status: answer.status }).toEqual({
          path,
          ...condition,
          status: 200,
        });
        expect(JSON.parse(answer.body), path).toBeTypeOf('object');
      }
    }
  });

  it('carry the CORS headers of their own Origin', async () => {
    const path = '/v1/orgs';
    const local = { origin: 'http://localhost:5173' };
    const first = await get(server, path, server.devToken, { headers: local });
    expect(first.headers['access-control-allow-origin']).toBe(local.origin);
    const other = await get(server, path, server.devToken, {
      headers: { origin: 'https://elsewhere.example' },
    });
    expect(other.status).toBe(200);
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
    const none = await get(server, path, server.devToken);
    expect(none.headers['access-control-allow-origin']).toBeUndefined();
    expect((await get(server, path, server.devToken, { headers: local })).headers).toEqual(
      first.headers,
    );
  });
});

describe('a repeated read is refused or changes on the very next request when', () => {
  it('its token, or the token it was attenuated from, is revoked', async () => {
    const dev = client(server);
    const ci = await dev.tokens.createOrg('acme');
    const narrowed = attenuate(ci.token, [{ type: 'actions', actions: ['read'] }]);
    for (const token of [ci.token, narrowed]) {
      for (let i = 0; i < 2; i++) {
        expect((await get(server, '/v1/orgs/acme/tokens', token)).status).toBe(200);
      }
    }
    await dev.tokens.revoke(ci.id);
    for (const token of [ci.token, narrowed]) {
      await expectProblem(client(server, token).tokens.listOrg('acme'), 401, 'token_revoked');
    }
  });

  it('its token expires', async () => {
    const ci = await client(server).tokens.createOrg('acme', { expiresIn: 60 });
    const reader = client(server, ci.token);
    expect((await reader.orgs.get('acme')).slug).toBe('acme');
    expect((await reader.orgs.get('acme')).slug).toBe('acme');
    await admin(server, 'POST', '/clock', { advance_seconds: 61 });
    await expectProblem(reader.orgs.get('acme'), 401, 'token_expired');
  });

  it('a listed token expires (its status), or the read token itself does', async () => {
    const dev = client(server);
    const short = await dev.tokens.createOrg('acme', { expiresIn: 60 });
    const statusOf = async (read: () => Promise<{ id: string; status: string }>) =>
      (await read()).status;
    const listed = async () =>
      (await dev.tokens.listOrg('acme')).items.find((t) => t.id === short.id)?.status;
    const fetched = () => statusOf(() => dev.tokens.get(short.id));
    expect([await listed(), await listed()]).toEqual(['active', 'active']);
    expect([await fetched(), await fetched()]).toEqual(['active', 'active']);
    await admin(server, 'POST', '/clock', { advance_seconds: 61 });
    expect(await listed()).toBe('expired');
    expect(await fetched()).toBe('expired');
  });

  it('its last use is due to be recorded again (once a minute)', async () => {
    const dev = client(server);
    const ci = await dev.tokens.createOrg('acme');
    const lastUsed = async () => (await dev.tokens.get(ci.id)).last_used_at;
    const reader = client(server, ci.token);
    await reader.orgs.get('acme');
    const first = await lastUsed();
    expect(first).not.toBeNull();
    await reader.orgs.get('acme');
    expect(await lastUsed()).toBe(first);
    await admin(server, 'POST', '/clock', { advance_seconds: 90 });
    await reader.orgs.get('acme');
    const later = await lastUsed();
    expect(Date.parse(later as string) - Date.parse(first as string)).toBeGreaterThanOrEqual(
      90_000,
    );
  });

  it('the data changes: a new app, a deleted app, a machine stopped', async () => {
    const dev = client(server);
    const names = async () => (await dev.apps.list('acme')).items.map((a) => a.name);
    const before = await names();
    expect(await names()).toEqual(before);
    await dev.apps.create('acme', 'acme-new');
    expect(await names()).toEqual([...before, 'acme-new']);
    await dev.apps.delete('acme-new');
    expect(await names()).toEqual(before);

    const machine = await dev.machines.create('acme-web', { image: 'nginx:1.27' });
    const state = async () => (await dev.machines.get('acme-web', machine.id)).state;
    expect([await state(), await state()]).toEqual(['started', 'started']);
    await dev.machines.stop('acme-web', machine.id);
    expect(await state()).toBe('stopped');
  });
});
