import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MockServer } from '../src/index.js';
import { client, startServer } from './helpers.js';

let server: MockServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server.close());

/** POST /v1/viewer/access-checks with `token`; the status and the body. */
async function check(token: string, body: Record<string, string>) {
  const { data, error, response } = await client(server, token).raw.POST(
    '/v1/viewer/access-checks',
    { body: body as never },
  );
  return { status: response.status, body: (data ?? error) as Record<string, unknown> };
}

describe('checkAccess answers what the operation itself would', () => {
  it('a read-only token may list but not create machines; the operation agrees', async () => {
    const dev = client(server);
    const readonly = (await dev.tokens.createReadonly('acme', { name: 'ro' })).token;
    const denied = await check(readonly, {
      resource: 'machine',
      action: 'create',
      app: 'acme-web',
    });
    expect(denied).toEqual({
      status: 200,
      body: {
        allowed: false,
        status: 403,
        operation: 'createMachine',
        required_access: { resource: 'machine', action: 'create', org: 'acme', app: 'acme-web' },
        caveat: 'actions = read',
        detail: 'the token does not allow the create action',
      },
    });
    const real = await client(server, readonly).raw.POST('/v1/apps/{app}/machines', {
      params: { path: { app: 'acme-web' } },
      body: { image: 'img:v1' },
    });
    expect(real.response.status).toBe(403);
    expect((real.error as { required_access: unknown }).required_access).toEqual(
      (denied.body as { required_access: unknown }).required_access,
    );
    const allowed = await check(readonly, { resource: 'machine', action: 'read', app: 'acme-web' });
    expect(allowed.body).toMatchObject({
      allowed: true,
      status: 200,
      operation: 'listMachines',
      caveat: null,
    });
  });

  it('a deploy token: its own app 201, the org level 403 (apps caveat), another org 404', async () => {
    const dev = client(server);
    const deploy = (await dev.tokens.createDeploy('acme-web', { name: 'd' })).token;
    expect(
      (await check(deploy, { resource: 'machine', action: 'create', app: 'acme-web' })).body,
    ).toMatchObject({ allowed: true, status: 201 });
    const orgLevel = await check(deploy, { resource: 'app', action: 'delete', app: 'acme-web' });
    expect(orgLevel.body).toMatchObject({ allowed: false, status: 403, operation: 'deleteApp' });
    expect(String(orgLevel.body.caveat)).toMatch(/^apps = /);
    const sibling = await check(deploy, { resource: 'machine', action: 'read', app: 'acme-api' });
    expect(sibling.body).toMatchObject({ allowed: false, status: 404, caveat: null });
    const otherOrg = await check(deploy, { resource: 'app', action: 'read', org: 'dev-personal' });
    expect(otherOrg.body).toMatchObject({ allowed: false, status: 404 });
  });

  it('revoking tokens of an app or an org (revokeToken, decided per token): the operation agrees', async () => {
    const dev = client(server);
    const deploy = (await dev.tokens.createDeploy('acme-web', { name: 'd-revoker' })).token;
    const sibling = await dev.tokens.createDeploy('acme-web', { name: 'd-victim' });
    const orgToken = await dev.tokens.createOrg('acme', { name: 'o-victim' });
    const onApp = await check(deploy, { resource: 'token', action: 'delete', app: 'acme-web' });
    expect(onApp).toEqual({
      status: 200,
      body: {
        allowed: true,
        status: 200,
        operation: 'revokeToken',
        required_access: { resource: 'token', action: 'delete', org: 'acme', app: 'acme-web' },
        caveat: null,
        detail: expect.any(String),
      },
    });
    const onOrg = await check(deploy, { resource: 'token', action: 'delete', org: 'acme' });
    expect(onOrg.body).toMatchObject({ allowed: false, status: 403, operation: 'revokeToken' });
    expect(String(onOrg.body.caveat)).toMatch(/^apps = /);
    // What the operation itself answers, token by token.
    const revoker = client(server, deploy);
    await revoker.tokens.revoke(sibling.id);
    const refused = await revoker.raw.DELETE('/v1/tokens/{token_id}', {
      params: { path: { token_id: orgToken.id } },
    });
    expect(refused.response.status).toBe(403);
    const readonly = (await dev.tokens.createReadonly('acme', { name: 'ro-revoker' })).token;
    expect(
      (await check(readonly, { resource: 'token', action: 'delete', app: 'acme-web' })).body,
    ).toMatchObject({ allowed: false, status: 403, caveat: 'actions = read' });
  });

  it('names the field to add when resource and action need a target', async () => {
    const missing = await check(server.devToken, { resource: 'machine', action: 'create' });
    expect(missing.status).toBe(400);
    expect(missing.body.errors).toEqual([
      { field: 'body.org', message: 'create on machines needs a target: name an org or an app' },
    ]);
    const bad = await check(server.devToken, { resource: 'session', action: 'read' });
    expect(bad.status).toBe(400);
  });

  it('has no side effects: last_used_at stays null and no event is recorded', async () => {
    const dev = client(server);
    const created = await dev.tokens.createOrg('acme', { name: 'unused' });
    const before = await dev.raw.GET('/v1/orgs/{org}/events', {
      params: { path: { org: 'acme' } },
    });
    for (const action of ['read', 'create', 'delete'] as const) {
      await check(created.token, { resource: 'app', action, org: 'acme' });
    }
    expect((await dev.tokens.get(created.id)).last_used_at).toBeNull();
    const after = await dev.raw.GET('/v1/orgs/{org}/events', { params: { path: { org: 'acme' } } });
    expect(after.data?.items).toEqual(before.data?.items);
  });
});

describe('Hangar-Token-Expires-At', () => {
  it('is on every authenticated answer, errors too, and is the effective expiry', async () => {
    const dev = client(server);
    const created = await dev.tokens.createReadonly('acme', { expiresIn: 3600 });
    const viewer = await client(server, created.token).raw.GET('/v1/viewer');
    expect(viewer.response.headers.get('hangar-token-expires-at')).toBe(created.expires_at);
    const refused = await client(server, created.token).raw.POST('/v1/orgs/{org}/apps', {
      params: { path: { org: 'acme' } },
      body: { name: 'never-made' },
    });
    expect(refused.response.status).toBe(403);
    expect(refused.response.headers.get('hangar-token-expires-at')).toBe(created.expires_at);
    const anonymous = await client(server, null).raw.GET('/v1/viewer');
    expect(anonymous.response.status).toBe(401);
    expect(anonymous.response.headers.get('hangar-token-expires-at')).toBeNull();
  });

  it('is exposed to browsers by CORS', async () => {
    const response = await fetch(`${server.url}/v1/viewer`, {
      headers: { authorization: `Bearer ${server.devToken}`, origin: 'http://localhost:5173' },
    });
    expect(response.headers.get('access-control-expose-headers')).toContain(
      'Hangar-Token-Expires-At',
    );
  });
});
