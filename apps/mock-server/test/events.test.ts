import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import type { MockServer } from '../src/index.js';
import { admin, client, startServer, useTempDir, withServer } from './helpers.js';

type EventQuery = {
  type?: string[];
  token_id?: string;
  since?: string;
  limit?: number;
  cursor?: string;
};

/** One page of listOrgEvents for `org`, as the dev token (or `token`). */
async function orgEvents(server: MockServer, org: string, query: EventQuery = {}, token?: string) {
  const { data, error, response } = await client(server, token).raw.GET('/v1/orgs/{org}/events', {
    params: { path: { org }, query: query as never },
  });
  if (!data) throw new Error(`listOrgEvents ${response.status}: ${JSON.stringify(error)}`);
  return data;
}

describe('audit events', () => {
  it('records each change newest first, with actor, target, request id and no secret', async () => {
    await withServer({}, async (server) => {
      const dev = client(server);
      const ci = await dev.tokens.createOrg('acme', { name: 'ci' });
      const hangar = client(server, ci.token);
      await hangar.apps.create('acme', 'acme-staging');
      const machine = await hangar.machines.create('acme-staging', { image: 'img:v1' });
      await hangar.machines.stop('acme-staging', machine.id);
      await hangar.machines.stop('acme-staging', machine.id); // no change, no event
      await hangar.machines.start('acme-staging', machine.id);
      await hangar.machines.delete('acme-staging', machine.id);
      await hangar.apps.delete('acme-staging');
      await dev.tokens.revoke(ci.id);
      const page = await orgEvents(server, 'acme');
      expect(page.items.map((e) => e.type)).toEqual([
        'token.revoked',
        'app.deleted',
        'machine.deleted',
        'machine.started',
        'machine.stopped',
        'machine.created',
        'app.created',
        'token.created',
      ]);
      const started = page.items[3];
      expect(started).toMatchObject({
        org: 'acme',
        app: 'acme-staging',
        actor: { token_id: ci.id, token_kind: 'org', email: 'dev@hangar.local' },
        target: { type: 'machine', id: machine.id, name: null },
        source_ip: expect.stringMatching(/127\.0\.0\.1/),
        user_agent: 'hangar-sdk',
      });
      expect(started?.request_id).toMatch(/^req_[0-9a-f]{24}$/);
      expect(JSON.stringify(page)).not.toContain('hangar_');
      const created = page.items[7];
      expect(created?.target).toEqual({ type: 'token', id: ci.id, name: 'ci' });
      expect(created?.actor.token_kind).toBe('personal');
    });
  });

  it('filters by type (repeatable), token_id and since, and pages with cursors', async () => {
    await withServer({}, async (server) => {
      const dev = client(server);
      const deploy = await dev.tokens.createDeploy('acme-web', { name: 'd' });
      await admin(server, 'POST', '/clock', { advance_seconds: 3600 });
      const later = (await admin(server, 'GET', '/clock')) as { now: string };
      const hangar = client(server, deploy.token);
      const m1 = await hangar.machines.create('acme-web', { image: 'img:v1' });
      await hangar.machines.stop('acme-web', m1.id);
      await dev.apps.create('acme', 'acme-extra');

      const one = await orgEvents(server, 'acme', { type: ['app.created'] });
      expect(one.items.map((e) => e.target.name)).toEqual(['acme-extra']);
      const two = await orgEvents(server, 'acme', { type: ['app.created', 'machine.stopped'] });
      expect(two.items.map((e) => e.type)).toEqual(['app.created', 'machine.stopped']);
      const byToken = await orgEvents(server, 'acme', { token_id: deploy.id });
      expect(byToken.items.map((e) => e.type)).toEqual([
        'machine.stopped',
        'machine.created',
        'token.created',
      ]);
      const since = await orgEvents(server, 'acme', { since: later.now });
      expect(since.items.map((e) => e.type)).toEqual([
        'app.created',
        'machine.stopped',
        'machine.created',
      ]);
      const first = await orgEvents(server, 'acme', { limit: 2 });
      expect(first.next_cursor).not.toBeNull();
      const second = await orgEvents(server, 'acme', { limit: 2, cursor: first.next_cursor ?? '' });
      expect(second.items[0]?.type).toBe('machine.created');

      const appEvents = await client(server, deploy.token).raw.GET('/v1/apps/{app}/events', {
        params: { path: { app: 'acme-web' } },
      });
      expect(appEvents.data?.items.map((e) => e.type)).toEqual([
        'machine.stopped',
        'machine.created',
        'token.created',
      ]);
      const bad = await client(server).raw.GET('/v1/orgs/{org}/events', {
        params: { path: { org: 'acme' }, query: { type: ['app.renamed'] as never } },
      });
      expect(bad.response.status).toBe(400);
    });
  });

  it('records a login in the personal org, and nothing for a change that fails', async () => {
    await withServer({}, async (server) => {
      await client(server, null).sessions.create(server.devUser.email, server.devUser.password);
      const personal = await orgEvents(server, 'dev-personal');
      expect(personal.items[0]).toMatchObject({
        type: 'session.created',
        actor: { token_id: null, token_kind: null, email: 'dev@hangar.local' },
        target: { type: 'session', name: 'Personal token (login)' },
      });
      const before = (await orgEvents(server, 'acme')).items.length;
      const taken = await client(server).raw.POST('/v1/orgs/{org}/apps', {
        params: { path: { org: 'acme' } },
        body: { name: 'acme-web' },
      });
      expect(taken.response.status).toBe(409);
      expect((await orgEvents(server, 'acme')).items.length).toBe(before);
    });
  });

  it('deleting an app records the revocation of its deploy tokens and the deletion of its machines', async () => {
    await withServer({}, async (server) => {
      const dev = client(server);
      await dev.apps.create('acme', 'acme-doomed');
      const deploy = await dev.tokens.createDeploy('acme-doomed', { name: 'doomed deploy' });
      const gone = await dev.tokens.createDeploy('acme-doomed', { name: 'already revoked' });
      await dev.tokens.revoke(gone.id);
      const machine = await client(server, deploy.token).machines.create('acme-doomed', {
        image: 'img:v1',
      });
      await dev.apps.delete('acme-doomed');
      const { items } = await orgEvents(server, 'acme', { limit: 3 });
      expect(items.map((e) => [e.type, e.target.id, e.app])).toEqual([
        ['app.deleted', expect.stringMatching(/^app_/), 'acme-doomed'],
        ['machine.deleted', machine.id, 'acme-doomed'],
        ['token.revoked', deploy.id, 'acme-doomed'],
      ]);
      const request = items[0]?.request_id;
      expect(items.every((e) => e.request_id === request)).toBe(true);
      const revoked = await orgEvents(server, 'acme', { token_id: gone.id });
      expect(revoked.items.filter((e) => e.type === 'token.revoked')).toHaveLength(1);
      expect(await dev.tokens.get(deploy.id)).toMatchObject({ status: 'revoked' });
    });
  });

  it('stores a user agent with the token strings and JWTs in it redacted, even for a read-only reader', async () => {
    await withServer({}, async (server) => {
      const ci = await client(server).tokens.createOrg('acme', { name: 'ci' });
      const jwt = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJyZXBvOmFjbWUvd2ViIn0.c2lnbmF0dXJl';
      const created = await fetch(`${server.url}/v1/orgs/acme/apps`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${ci.token}`,
          'content-type': 'application/json',
          'user-agent': `ci-job/1.0 (${ci.token}; ${jwt})`,
        },
        body: JSON.stringify({ name: 'acme-ua' }),
      });
      expect(created.status).toBe(201);
      const reader = await client(server).tokens.createReadonly('acme', { name: 'reader' });
      const page = await orgEvents(server, 'acme', { type: ['app.created'] }, reader.token);
      expect(page.items[0]?.user_agent).toBe('ci-job/1.0 (hangar_[redacted]; [redacted JWT])');
      expect(JSON.stringify(page)).not.toContain(ci.token);
      expect(JSON.stringify(page)).not.toContain(jwt);
    });
  });

  it('keeps the newest N events per org (eventRetention)', async () => {
    await withServer({ eventRetention: 3 }, async (server) => {
      const dev = client(server);
      for (const name of ['r1', 'r2', 'r3', 'r4', 'r5']) await dev.apps.create('acme', name);
      const page = await orgEvents(server, 'acme');
      expect(page.items.map((e) => e.target.name)).toEqual(['r5', 'r4', 'r3']);
    });
  });
});

describe('an audit event is written in the same transaction as its change', () => {
  const root = useTempDir('hangar-mock-events-');

  it('when the event cannot be written, the change is not made either', async () => {
    const dataDir = join(root.path, 'data');
    await (await startServer({ dataDir })).close();
    // The event insert fails as on a full disk.
    const outside = new BetterSqlite3(join(dataDir, 'hangar.db'));
    outside.exec(`create trigger no_events before insert on events
      begin select raise(abort, 'database or disk is full'); end`);
    outside.close();
    await withServer({ dataDir }, async (server) => {
      const dev = client(server);
      const created = await dev.raw.POST('/v1/orgs/{org}/apps', {
        params: { path: { org: 'acme' } },
        body: { name: 'half-made' },
      });
      expect(created.response.status).toBe(500);
      const app = await dev.raw.GET('/v1/apps/{app}', { params: { path: { app: 'half-made' } } });
      expect(app.response.status).toBe(404);
      const token = await dev.raw.POST('/v1/orgs/{org}/tokens/org', {
        params: { path: { org: 'acme' } },
        body: { name: 'half-made' },
      });
      expect(token.response.status).toBe(500);
      const tokens = await dev.tokens.listOrg('acme');
      expect(tokens.items.map((t) => t.name)).not.toContain('half-made');
    });
  });
});
