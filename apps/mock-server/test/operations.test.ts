import { attenuate } from '@hangar/tokens';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { MockServer } from '../src/index.js';
import { admin, client, expectProblem, http, startServer } from './helpers.js';

let server: MockServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server.close());
beforeEach(() => admin(server, 'POST', '/reset'));

describe('sessions', () => {
  it('createSession gives a working personal token', async () => {
    const session = await client(server, null).sessions.create(
      server.devUser.email,
      server.devUser.password,
    );
    expect(session.user.email).toBe('dev@hangar.local');
    const viewer = await client(server, session.token).viewer.get();
    expect(viewer.token.kind).toBe('personal');
  });

  it('createSession refuses a wrong password or an unknown email', async () => {
    const anon = client(server, null);
    await expectProblem(
      anon.sessions.create('dev@hangar.local', 'nope'),
      401,
      'invalid_credentials',
    );
    await expectProblem(anon.sessions.create('who@hangar.local', 'x'), 401, 'invalid_credentials');
  });
});

describe('viewer', () => {
  it('getViewer shows the user, the token and its scope', async () => {
    const viewer = await client(server).viewer.get();
    expect(viewer.user.email).toBe('dev@hangar.local');
    expect(viewer.token).toMatchObject({ kind: 'personal', org: null, status: 'active' });
    expect(viewer.scope).toMatchObject({ org: null, apps: null });
    expect(viewer.scope.actions).toEqual(['read', 'write', 'create', 'delete', 'control']);
  });

  it('getViewer shows a deploy token scope with names', async () => {
    const deploy = await client(server).tokens.createDeploy('acme-web');
    const viewer = await client(server, deploy.token).viewer.get();
    expect(viewer.scope).toMatchObject({ org: 'acme', apps: ['acme-web'] });
    expect(viewer.scope.expires_at).toBe(deploy.expires_at);
  });

  it('getViewer without a token is 401 unauthenticated', async () => {
    await expectProblem(client(server, null).viewer.get(), 401, 'unauthenticated');
  });
});

describe('orgs', () => {
  it('listOrgs returns the seeded orgs oldest first, with the role', async () => {
    const page = await client(server).orgs.list();
    expect(page.items.map((o) => [o.slug, o.type, o.role])).toEqual([
      ['dev-personal', 'personal', 'admin'],
      ['acme', 'shared', 'admin'],
    ]);
    expect(page.next_cursor).toBeNull();
  });

  it('listOrgs pages with limit and cursor', async () => {
    const first = await client(server).orgs.list({ limit: 1 });
    expect(first.items).toHaveLength(1);
    expect(first.next_cursor).toBeTypeOf('string');
    const second = await client(server).orgs.list({
      limit: 1,
      cursor: first.next_cursor as string,
    });
    expect(second.items[0]?.slug).toBe('acme');
    expect(second.next_cursor).toBeNull();
  });

  it('getOrg returns an org, 404 for an unknown slug', async () => {
    expect((await client(server).orgs.get('acme')).name).toBe('Acme Corp');
    await expectProblem(client(server).orgs.get('globex'), 404, 'not_found');
  });
});

describe('apps', () => {
  it('listApps, createApp, getApp, deleteApp', async () => {
    const hangar = client(server);
    expect((await hangar.apps.list('acme')).items.map((a) => a.name)).toEqual([
      'acme-web',
      'acme-api',
    ]);
    const created = await hangar.apps.create('acme', 'acme-staging');
    expect(created).toMatchObject({ name: 'acme-staging', org: 'acme' });
    expect(created.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(await hangar.apps.get('acme-staging')).toEqual(created);
    await hangar.apps.delete('acme-staging');
    await expectProblem(hangar.apps.get('acme-staging'), 404, 'not_found');
  });

  it('createApp: 409 for a taken name, 400 for a name that is not a DNS label', async () => {
    const hangar = client(server);
    await expectProblem(hangar.apps.create('dev-personal', 'acme-web'), 409, 'conflict');
    const bad = await expectProblem(
      hangar.apps.create('acme', 'Not_A_Label'),
      400,
      'validation_failed',
    );
    expect(bad.problem?.errors?.[0]?.field).toBe('body.name');
  });

  it('listApps, getApp, deleteApp: 404 for unknown org or app', async () => {
    const hangar = client(server);
    await expectProblem(hangar.apps.list('globex'), 404, 'not_found');
    await expectProblem(hangar.apps.get('nope'), 404, 'not_found');
    await expectProblem(hangar.apps.delete('nope'), 404, 'not_found');
    await expectProblem(hangar.apps.create('globex', 'x'), 404, 'not_found');
  });

  it('deleteApp revokes the app deploy tokens', async () => {
    const hangar = client(server);
    await hangar.apps.create('acme', 'doomed');
    const deploy = await hangar.tokens.createDeploy('doomed');
    await hangar.apps.delete('doomed');
    await expectProblem(client(server, deploy.token).viewer.get(), 401, 'token_revoked');
  });
});

describe('machines', () => {
  it('create (started, region iad), list, get, stop, start, delete', async () => {
    const hangar = client(server);
    const machine = await hangar.machines.create('acme-web', { image: 'nginx:1' });
    expect(machine).toMatchObject({
      app: 'acme-web',
      state: 'started',
      region: 'iad',
      image: 'nginx:1',
    });
    const other = await hangar.machines.create('acme-web', { image: 'redis:7', region: 'ams' });
    expect(other.region).toBe('ams');
    expect((await hangar.machines.list('acme-web')).items.map((m) => m.id)).toEqual([
      machine.id,
      other.id,
    ]);
    expect(await hangar.machines.get('acme-web', machine.id)).toEqual(machine);
    expect((await hangar.machines.stop('acme-web', machine.id)).state).toBe('stopped');
    expect((await hangar.machines.stop('acme-web', machine.id)).state).toBe('stopped');
    expect((await hangar.machines.start('acme-web', machine.id)).state).toBe('started');
    await hangar.machines.delete('acme-web', machine.id);
    await expectProblem(hangar.machines.get('acme-web', machine.id), 404, 'not_found');
  });

  it('404 for a machine of another app, 400 for a bad machine id or region', async () => {
    const hangar = client(server);
    const machine = await hangar.machines.create('acme-web', { image: 'nginx:1' });
    await expectProblem(hangar.machines.get('acme-api', machine.id), 404, 'not_found');
    await expectProblem(hangar.machines.start('acme-api', machine.id), 404, 'not_found');
    await expectProblem(hangar.machines.stop('acme-api', machine.id), 404, 'not_found');
    await expectProblem(hangar.machines.delete('acme-api', machine.id), 404, 'not_found');
    await expectProblem(hangar.machines.get('acme-web', 'bogus'), 400, 'validation_failed');
    await expectProblem(
      hangar.machines.create('acme-web', { image: 'x', region: 'Amsterdam' }),
      400,
      'validation_failed',
    );
    await expectProblem(hangar.machines.list('nope'), 404, 'not_found');
  });

  it('400 naming body.region for a region the contract does not list', async () => {
    const hangar = client(server);
    const error = await hangar.machines
      .create('acme-web', { image: 'nginx:1', region: 'xxx' })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 400, code: 'validation_failed' });
    expect(JSON.stringify(error)).toContain('region');
    expect(
      (await hangar.machines.create('acme-web', { image: 'nginx:1', region: 'yyz' })).region,
    ).toBe('yyz');
  });
});

describe('tokens', () => {
  it('createOrgToken with defaults: name and 20-year expiry', async () => {
    const created = await client(server).tokens.createOrg('acme');
    expect(created).toMatchObject({
      kind: 'org',
      org: 'acme',
      app: null,
      name: 'Org deploy token',
    });
    expect(created.token).toMatch(/^hangar_/);
    const years = (Date.parse(created.expires_at) - Date.parse(created.created_at)) / 1000;
    expect(years).toBe(631_152_000);
  });

  it('createReadonlyToken and createDeployToken defaults', async () => {
    const hangar = client(server);
    const readonly = await hangar.tokens.createReadonly('acme', { name: 'audit', expiresIn: '1h' });
    expect(readonly).toMatchObject({ kind: 'readonly', name: 'audit', org: 'acme', app: null });
    const deploy = await hangar.tokens.createDeploy('acme-web');
    expect(deploy).toMatchObject({
      kind: 'deploy',
      name: 'Deploy token',
      org: 'acme',
      app: 'acme-web',
    });
  });

  it('listOrgTokens shows org and read-only tokens newest first, never secrets', async () => {
    const hangar = client(server);
    const a = await hangar.tokens.createOrg('acme', { name: 'a' });
    const b = await hangar.tokens.createReadonly('acme', { name: 'b' });
    await hangar.tokens.createDeploy('acme-web');
    const page = await hangar.tokens.listOrg('acme');
    expect(page.items.map((t) => t.id)).toEqual([b.id, a.id]);
    expect(JSON.stringify(page)).not.toContain(a.token);
    expect(page.items[0]).not.toHaveProperty('token');
  });

  it('listAppTokens shows the app deploy tokens, revoked ones with their status', async () => {
    const hangar = client(server);
    const deploy = await hangar.tokens.createDeploy('acme-web');
    await hangar.tokens.createDeploy('acme-api');
    await hangar.tokens.revoke(deploy.id);
    const page = await hangar.tokens.listApp('acme-web');
    expect(page.items).toHaveLength(1);
    expect(page.items[0]).toMatchObject({ id: deploy.id, status: 'revoked' });
  });

  it('getToken, revokeToken, 409 on a second revoke, 404 for unknown ids', async () => {
    const hangar = client(server);
    const created = await hangar.tokens.createOrg('acme');
    const { token: _secret, ...metadata } = created;
    expect(await hangar.tokens.get(created.id)).toEqual(metadata);
    const revoked = await hangar.tokens.revoke(created.id);
    expect(revoked.status).toBe('revoked');
    expect(revoked.revoked_at).not.toBeNull();
    await expectProblem(hangar.tokens.revoke(created.id), 409, 'token_already_revoked');
    const unknown = `tok_${'0'.repeat(32)}`;
    await expectProblem(hangar.tokens.get(unknown), 404, 'not_found');
    await expectProblem(hangar.tokens.revoke(unknown), 404, 'not_found');
    await expectProblem(hangar.tokens.get('tok_bad'), 400, 'validation_failed');
  });

  it('revokeCurrentToken revokes the token in use', async () => {
    const created = await client(server).tokens.createOrg('acme');
    const own = client(server, created.token);
    expect((await own.tokens.revokeCurrent()).id).toBe(created.id);
    await expectProblem(own.viewer.get(), 401, 'token_revoked');
  });

  it('revokeCurrentToken refuses an attenuated token: it would kill the token it came from', async () => {
    const created = await client(server).tokens.createOrg('acme');
    const app = await client(server).apps.get('acme-web');
    const narrowed = attenuate(created.token, [
      { type: 'apps', apps: { [app.id]: ['read', 'delete'] } },
    ]);
    await expectProblem(client(server, narrowed).tokens.revokeCurrent(), 403, 'forbidden');
    // Nothing was revoked: the original and the narrowed token both still work.
    expect((await client(server, created.token).viewer.get()).token.status).toBe('active');
    expect((await client(server, narrowed).viewer.get()).token.id).toBe(created.id);
  });

  it('createOrgToken: 400 for a bad expires_in or name, 404 for an unknown org', async () => {
    const hangar = client(server);
    // The SDK refuses these locally; send them raw to see the server's answer.
    for (const body of [
      { expires_in: 0 },
      { expires_in: 9_223_372_037 },
      { expires_in: 1.5 },
      { name: '' },
    ]) {
      const response = await http(server, 'POST', '/v1/orgs/acme/tokens/org', {
        token: server.devToken,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      expect(response.status).toBe(400);
      expect(response.body.code).toBe('validation_failed');
      // An empty name breaks two rules (minLength, printable pattern): each names the field.
      const fields = (response.body.errors as { field: string }[]).map((e) => e.field);
      expect(new Set(fields)).toEqual(new Set([`body.${Object.keys(body)[0]}`]));
    }
    await expectProblem(hangar.tokens.createOrg('globex'), 404, 'not_found');
    await expectProblem(hangar.tokens.createReadonly('globex'), 404, 'not_found');
    await expectProblem(hangar.tokens.createDeploy('nope'), 404, 'not_found');
    await expectProblem(hangar.tokens.listOrg('globex'), 404, 'not_found');
    await expectProblem(hangar.tokens.listApp('nope'), 404, 'not_found');
  });

  it('last_used_at is set on use, at most once a minute', async () => {
    const created = await client(server).tokens.createOrg('acme');
    expect(created.last_used_at).toBeNull();
    await client(server, created.token).orgs.get('acme');
    const first = (await client(server).tokens.get(created.id)).last_used_at;
    expect(first).not.toBeNull();
    await admin(server, 'POST', '/clock', { advance_seconds: 30 });
    await client(server, created.token).orgs.get('acme');
    expect((await client(server).tokens.get(created.id)).last_used_at).toBe(first);
    await admin(server, 'POST', '/clock', { advance_seconds: 31 });
    await client(server, created.token).orgs.get('acme');
    expect((await client(server).tokens.get(created.id)).last_used_at).not.toBe(first);
  });
});
