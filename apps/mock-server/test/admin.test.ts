import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import type { MockServer } from '../src/index.js';
import { admin, client, expectProblem, http, startServer, withServer } from './helpers.js';

let server: MockServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server.close());

describe('/_admin test controls', () => {
  it('refuse requests without the right admin key: 401 problem', async () => {
    const none = await http(server, 'POST', '/_admin/reset');
    expect(none.status).toBe(401);
    expect(none.type).toMatch(/^application\/problem\+json/);
    expect(none.body.code).toBe('unauthenticated');
    const wrong = await http(server, 'GET', '/_admin/clock', {
      headers: { 'x-hangar-admin-key': `${server.adminKey}x` },
    });
    expect(wrong.status).toBe(401);
    // A user token is not an admin key.
    const token = await http(server, 'GET', '/_admin/clock', { token: server.devToken });
    expect(token.status).toBe(401);
  });

  it('reset wipes state, re-seeds the default fixture and keeps the start-up token working', async () => {
    const hangar = client(server);
    await hangar.apps.create('acme', 'temporary');
    const org = await hangar.tokens.createOrg('acme');
    expect(await admin(server, 'POST', '/reset')).toEqual({ ok: true });
    await expectProblem(hangar.apps.get('temporary'), 404, 'not_found');
    await expectProblem(client(server, org.token).viewer.get(), 401, 'token_invalid');
    expect((await hangar.apps.list('acme')).items.map((a) => a.name)).toEqual([
      'acme-web',
      'acme-api',
    ]);
  });

  it('reset re-applies the fixture the server started with (seed option), as at start-up', async () => {
    await withServer(
      {
        seed: [
          'users:',
          '  - { email: ana@initech.test, password: pw-ana }',
          '  - { email: dev@hangar.local, password: pw-dev-from-fixture }',
          'orgs:',
          '  - { slug: initech, members: [{ email: ana@initech.test }] }',
          'apps:',
          '  - { name: tps-reports, org: initech }',
        ].join('\n'),
      },
      async (seeded) => {
        const fixtureState = async () => {
          const ana = await client(seeded, null).sessions.create('ana@initech.test', 'pw-ana');
          const apps = await client(seeded, ana.token).apps.list('initech');
          const dev = await client(seeded, null).sessions.create(
            seeded.devUser.email,
            seeded.devUser.password,
          );
          return { apps: apps.items.map((a) => a.name), dev: dev.user.email };
        };
        const atStart = await fixtureState();
        expect(atStart).toEqual({ apps: ['tps-reports'], dev: 'dev@hangar.local' });
        const ana = await client(seeded, null).sessions.create('ana@initech.test', 'pw-ana');
        await client(seeded, ana.token).apps.create('initech', 'temporary');
        expect(await admin(seeded, 'POST', '/reset')).toEqual({ ok: true });
        expect(await fixtureState()).toEqual(atStart);
      },
    );
  });

  it('seed loads a JSON fixture and returns a fresh personal token per user', async () => {
    const result = await admin(server, 'POST', '/seed', {
      users: [
        { email: 'ana@initech.test', password: 'pw-ana' },
        { email: 'bo@initech.test', password: 'pw-bo' },
      ],
      orgs: [
        {
          slug: 'initech',
          name: 'Initech',
          type: 'shared',
          members: [
            { email: 'ana@initech.test', role: 'admin' },
            { email: 'bo@initech.test', role: 'member' },
          ],
        },
      ],
      apps: [{ name: 'tps-reports', org: 'initech' }],
    });
    const users = result.users as { email: string; token: string }[];
    expect(users.map((u) => u.email)).toEqual(['ana@initech.test', 'bo@initech.test']);
    const bo = client(server, users[1]?.token ?? null);
    expect(await bo.orgs.get('initech')).toMatchObject({ name: 'Initech', role: 'member' });
    expect((await bo.apps.get('tps-reports')).org).toBe('initech');
    const session = await client(server, null).sessions.create('ana@initech.test', 'pw-ana');
    expect(session.user.email).toBe('ana@initech.test');
    // Emails match case-insensitively at login.
    const shouted = await client(server, null).sessions.create('ANA@Initech.test', 'pw-ana');
    expect(shouted.user.email).toBe('ana@initech.test');
    // Re-applying a fixture that only adds a member changes nothing else of the org.
    await admin(server, 'POST', '/seed', {
      users: [{ email: 'cy@initech.test', password: 'pw-cy' }],
      orgs: [{ slug: 'initech', members: [{ email: 'cy@initech.test' }] }],
    });
    expect(await bo.orgs.get('initech')).toMatchObject({ name: 'Initech', type: 'shared' });
  });

  it('seed matches emails case-insensitively, as login does: one user per email', async () => {
    const dev = client(server);
    const before = (await dev.viewer.get()).user;
    // Re-seeding the dev user in other case updates that user (its password), adds none.
    const reseeded = await admin(server, 'POST', '/seed', {
      users: [{ email: 'Dev@Hangar.local', password: 'pw-new-dev' }],
      orgs: [{ slug: 'acme', members: [{ email: 'DEV@hangar.local', role: 'admin' }] }],
    });
    const [token] = (reseeded.users as { token: string }[]).map((u) => u.token);
    expect((await client(server, token ?? null).viewer.get()).user).toEqual(before);
    const session = await client(server, null).sessions.create('dev@hangar.local', 'pw-new-dev');
    expect(session.user).toEqual(before);

    // Two emails equal but for case in one fixture: 400 naming the second, nothing written.
    const response = await fetch(`${server.url}/_admin/seed`, {
      method: 'POST',
      headers: { 'x-hangar-admin-key': server.adminKey, 'content-type': 'application/json' },
      body: JSON.stringify({
        users: [
          { email: 'B@X.test', password: 'p1' },
          { email: 'b@x.test', password: 'p2' },
        ],
      }),
    });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { code: string; errors: { field: string }[] };
    expect(body.code).toBe('validation_failed');
    expect(body.errors.map((e) => e.field)).toEqual(['users[1].email']);
    await expectProblem(
      client(server, null).sessions.create('b@x.test', 'p1'),
      401,
      'invalid_credentials',
    );
    await admin(server, 'POST', '/reset');
  });

  it('seed loads a YAML fixture', async () => {
    const yaml = [
      'users:',
      '  - { email: yara@yaml.test, password: pw-yara }',
      'orgs:',
      '  - slug: yaml-co',
      '    name: YAML Co',
      '    members: [{ email: yara@yaml.test, role: admin }]',
      'apps: [{ name: yaml-app, org: yaml-co }]',
    ].join('\n');
    const response = await fetch(`${server.url}/_admin/seed`, {
      method: 'POST',
      headers: { 'x-hangar-admin-key': server.adminKey, 'content-type': 'application/yaml' },
      body: yaml,
    });
    expect(response.status).toBe(200);
    const { users } = (await response.json()) as { users: { token: string }[] };
    expect((await client(server, users[0]?.token ?? null).apps.get('yaml-app')).org).toBe(
      'yaml-co',
    );
  });

  it('seed refuses an invalid fixture with 400 naming the fields', async () => {
    const response = await fetch(`${server.url}/_admin/seed`, {
      method: 'POST',
      headers: { 'x-hangar-admin-key': server.adminKey, 'content-type': 'application/json' },
      body: JSON.stringify({ users: [{ email: 'nope' }], orgs: [{ slug: 'Bad Slug' }] }),
    });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { code: string; errors: { field: string }[] };
    expect(body.code).toBe('validation_failed');
    expect(body.errors.map((e) => e.field)).toEqual([
      'users[0].email',
      'users[0].password',
      'orgs[0].slug',
    ]);
  });

  it('clock: read it, move it forward, refuse going back', async () => {
    const before = Date.parse((await admin(server, 'GET', '/clock')).now as string);
    const after = Date.parse(
      (await admin(server, 'POST', '/clock', { advance_seconds: 86_400 })).now as string,
    );
    expect(after - before).toBeGreaterThanOrEqual(86_400_000);
    expect(after - before).toBeLessThan(86_400_000 + 60_000);
    const back = await fetch(`${server.url}/_admin/clock`, {
      method: 'POST',
      headers: { 'x-hangar-admin-key': server.adminKey, 'content-type': 'application/json' },
      body: JSON.stringify({ advance_seconds: -5 }),
    });
    expect(back.status).toBe(400);
    await admin(server, 'POST', '/reset');
    const reset = Date.parse((await admin(server, 'GET', '/clock')).now as string);
    expect(Math.abs(reset - Date.now())).toBeLessThan(5_000);
  });

  it('the clock stops where a 30-year personal token would pass year 9999, with a 400 not a 500', async () => {
    const latest = '9969-12-31T11:59:59Z';
    onTestFinished(() => admin(server, 'POST', '/reset').then(() => undefined));
    const past = await http(server, 'PUT', '/_admin/clock', {
      headers: { 'x-hangar-admin-key': server.adminKey, 'content-type': 'application/json' },
      body: JSON.stringify({ now: '9970-01-01T00:00:00Z' }),
    });
    expect([past.status, past.body.code, past.body.errors]).toEqual([
      400,
      'validation_failed',
      [{ field: 'body.now', message: expect.stringContaining(latest) }],
    ]);
    // One move may span at most 9223372036 s, so walk there in steps.
    let now = (await admin(server, 'GET', '/clock')).now as string;
    while (now !== latest) {
      const step = Math.min(Date.parse(latest), Date.parse(now) + 9_223_372_036_000);
      now = (await admin(server, 'PUT', '/clock', { now: new Date(step).toISOString() }))
        .now as string;
    }
    const further = await http(server, 'POST', '/_admin/clock', {
      headers: { 'x-hangar-admin-key': server.adminKey, 'content-type': 'application/json' },
      body: JSON.stringify({ advance_seconds: 1 }),
    });
    expect([further.status, further.body.code]).toEqual([400, 'validation_failed']);
    // At the latest time a login still works, and so does minting from its personal token.
    const session = await client(server, null).sessions.create(
      'dev@hangar.local',
      'hangar-dev-password',
    );
    // Its 30 years are cut to the last second a caveat can state (the clock runs on in real
    // time past the latest second it may be set to).
    const [personal] = (await client(server, session.token).tokens.listPersonal({ limit: 1 }))
      .items;
    expect(personal?.expires_at).toBe('9999-12-31T23:59:59Z');
    const org = await client(server, session.token).tokens.createOrg('acme');
    expect(org.expires_at).toMatch(/^99\d\d-/);
  });

  it('setClock moves the clock to a given time, so a token that expires before it is refused', async () => {
    const short = await client(server).tokens.createOrg('acme', { expiresIn: 3600 });
    const now = Date.parse((await admin(server, 'GET', '/clock')).now as string);
    const target = new Date(now + 7_200_000).toISOString().replace(/\.\d+Z$/, 'Z');
    expect(await admin(server, 'PUT', '/clock', { now: target })).toEqual({ now: target });
    await expectProblem(client(server, short.token).viewer.get(), 401, 'token_expired');
    const back = await http(server, 'PUT', '/_admin/clock', {
      headers: { 'x-hangar-admin-key': server.adminKey, 'content-type': 'application/json' },
      body: JSON.stringify({ now: new Date(now).toISOString() }),
    });
    expect([back.status, back.body.code]).toEqual([400, 'validation_failed']);
    await admin(server, 'POST', '/reset');
  });
});
