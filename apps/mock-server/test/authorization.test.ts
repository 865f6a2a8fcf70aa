import { createHmac, randomBytes } from 'node:crypto';
import {
  attenuate,
  decodeMacaroon,
  decodeTokenString,
  deriveRootKey,
  encodeMacaroon,
  encodeTokenString,
  mint,
  newIdentifier,
} from '@hangar/tokens';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { MockServer } from '../src/index.js';
import { admin, client, expectProblem, http, startServer } from './helpers.js';

const masterKey = randomBytes(32);
let server: MockServer;
beforeAll(async () => {
  server = await startServer({ masterKey });
});
afterAll(() => server.close());
beforeEach(() => admin(server, 'POST', '/reset'));

const dev = () => client(server);

describe('401: who is calling', () => {
  it('malformed, truncated and mistyped tokens are token_malformed', async () => {
    for (const token of [
      'nonsense',
      server.devToken.slice(0, -3),
      // A different last checksum character (the token's own might already be "x").
      `${server.devToken.slice(0, -1)}${server.devToken.endsWith('x') ? 'y' : 'x'}`,
    ]) {
      const response = await http(server, 'GET', '/v1/viewer', { token });
      expect(response.status).toBe(401);
      expect(response.body.code).toBe('token_malformed');
      expect(response.type).toMatch(/^application\/problem\+json/);
    }
  });

  it('a token signed with another key is token_invalid', async () => {
    const forged = mint({ rootKey: randomBytes(32), identifier: newIdentifier(), caveats: [] });
    await expectProblem(client(server, forged).viewer.get(), 401, 'token_invalid');
  });

  it('a well-signed token the server never issued is token_invalid', async () => {
    const identifier = newIdentifier();
    const unknown = mint({
      rootKey: deriveRootKey(masterKey, identifier),
      identifier,
      caveats: [],
    });
    await expectProblem(client(server, unknown).viewer.get(), 401, 'token_invalid');
  });

  it('an unknown caveat fails closed: token_invalid', async () => {
    // Add a first-party caveat the server does not know, with the standard macaroon chain.
    const raw = decodeMacaroon(decodeTokenString(server.devToken));
    const id = Buffer.from('color = blue');
    const signature = createHmac('sha256', raw.signature).update(id).digest();
    const token = encodeTokenString(
      encodeMacaroon({ ...raw, caveats: [...raw.caveats, { id }], signature }),
    );
    await expectProblem(client(server, token).viewer.get(), 401, 'token_invalid');
  });

  it('a revoked token, and one attenuated from it, are refused on the next request', async () => {
    const org = await dev().tokens.createOrg('acme');
    const narrowed = attenuate(org.token, [{ type: 'actions', actions: ['read'] }]);
    expect((await client(server, narrowed).orgs.get('acme')).slug).toBe('acme');
    await dev().tokens.revoke(org.id);
    await expectProblem(client(server, org.token).orgs.get('acme'), 401, 'token_revoked');
    await expectProblem(client(server, narrowed).orgs.get('acme'), 401, 'token_revoked');
  });

  it('expiry follows the server clock', async () => {
    const org = await dev().tokens.createOrg('acme', { expiresIn: 60 });
    await client(server, org.token).orgs.get('acme');
    await admin(server, 'POST', '/clock', { advance_seconds: 61 });
    await expectProblem(client(server, org.token).orgs.get('acme'), 401, 'token_expired');
    const listed = await dev().tokens.listOrg('acme');
    expect(listed.items.find((t) => t.id === org.id)?.status).toBe('expired');
  });

  it('an attenuated shorter life expires first', async () => {
    const org = await dev().tokens.createOrg('acme');
    const notAfter = Math.floor(Date.now() / 1000) + 30;
    const short = attenuate(org.token, [{ type: 'not-after', notAfter }]);
    await client(server, short).orgs.get('acme');
    await admin(server, 'POST', '/clock', { advance_seconds: 120 });
    await expectProblem(client(server, short).orgs.get('acme'), 401, 'token_expired');
    await client(server, org.token).orgs.get('acme');
  });
});

describe('404 and 403: what the token may see and do', () => {
  it('an org token sees only its org; others are 404', async () => {
    const org = await dev().tokens.createOrg('acme');
    const acme = client(server, org.token);
    expect((await acme.orgs.list()).items.map((o) => o.slug)).toEqual(['acme']);
    await expectProblem(acme.orgs.get('dev-personal'), 404, 'not_found');
    await expectProblem(acme.apps.list('dev-personal'), 404, 'not_found');
    await expectProblem(acme.tokens.createOrg('dev-personal'), 404, 'not_found');
    const personalOrgToken = await dev().tokens.createOrg('dev-personal');
    await expectProblem(acme.tokens.get(personalOrgToken.id), 404, 'not_found');
    await expectProblem(acme.tokens.revoke(personalOrgToken.id), 404, 'not_found');
    // ...and does everything in its own org.
    await acme.apps.create('acme', 'acme-staging');
    expect((await acme.apps.list('acme')).items.map((a) => a.name)).toContain('acme-staging');
    const deploy = await acme.tokens.createDeploy('acme-staging');
    expect(deploy.app).toBe('acme-staging');
    expect((await acme.tokens.revoke(deploy.id)).status).toBe('revoked');
  });

  it("another user's org is 404 even for a personal token", async () => {
    await admin(server, 'POST', '/seed', {
      users: [{ email: 'eve@globex.test', password: 'pw-eve' }],
      orgs: [
        { slug: 'globex', name: 'Globex', members: [{ email: 'eve@globex.test', role: 'admin' }] },
      ],
      apps: [{ name: 'globex-web', org: 'globex' }],
    });
    await expectProblem(dev().orgs.get('globex'), 404, 'not_found');
    await expectProblem(dev().apps.get('globex-web'), 404, 'not_found');
    await expectProblem(dev().tokens.createDeploy('globex-web'), 404, 'not_found');
  });

  it('a deploy token reaches its app only', async () => {
    const deploy = await dev().tokens.createDeploy('acme-web');
    const web = client(server, deploy.token);
    expect((await web.apps.get('acme-web')).name).toBe('acme-web');
    const machine = await web.machines.create('acme-web', { image: 'nginx' });
    expect((await web.machines.stop('acme-web', machine.id)).state).toBe('stopped');
    await expectProblem(web.apps.get('acme-api'), 404, 'not_found');
    await expectProblem(web.machines.list('acme-api'), 404, 'not_found');
    const list = await expectProblem(web.apps.list('acme'), 403, 'forbidden');
    expect(list.problem?.required_access).toEqual({ resource: 'app', action: 'read', org: 'acme' });
    await expectProblem(web.apps.delete('acme-web'), 403, 'forbidden');
    await expectProblem(web.tokens.createOrg('acme'), 403, 'forbidden');
    await expectProblem(web.tokens.listOrg('acme'), 403, 'forbidden');
    // It may mint a deploy token for its own app (within its scope and lifetime).
    const child = await web.tokens.createDeploy('acme-web', { expiresIn: 3600 });
    expect(child.app).toBe('acme-web');
    expect((await web.tokens.listApp('acme-web')).items.map((t) => t.id)).toContain(child.id);
    expect((await web.tokens.get(child.id)).id).toBe(child.id);
  });

  it('a read-only token reads and gets 403 on every mutation, naming the access needed', async () => {
    const readonly = await dev().tokens.createReadonly('acme');
    const ro = client(server, readonly.token);
    const machine = await dev().machines.create('acme-web', { image: 'nginx' });
    await ro.orgs.get('acme');
    await ro.apps.list('acme');
    await ro.machines.get('acme-web', machine.id);
    await ro.tokens.listOrg('acme');
    const created = await expectProblem(ro.apps.create('acme', 'nope'), 403, 'forbidden');
    expect(created.problem?.required_access).toEqual({
      resource: 'app',
      action: 'create',
      org: 'acme',
    });
    expect(created.detail).toMatch(/create/);
    await expectProblem(ro.apps.delete('acme-web'), 403, 'forbidden');
    await expectProblem(ro.machines.create('acme-web', { image: 'x' }), 403, 'forbidden');
    await expectProblem(ro.machines.start('acme-web', machine.id), 403, 'forbidden');
    await expectProblem(ro.machines.stop('acme-web', machine.id), 403, 'forbidden');
    await expectProblem(ro.machines.delete('acme-web', machine.id), 403, 'forbidden');
    await expectProblem(ro.tokens.createOrg('acme'), 403, 'forbidden');
    await expectProblem(ro.tokens.createReadonly('acme'), 403, 'forbidden');
    await expectProblem(ro.tokens.createDeploy('acme-web'), 403, 'forbidden');
    await expectProblem(ro.tokens.revoke(readonly.id), 403, 'forbidden');
    await expectProblem(ro.tokens.revokeCurrent(), 403, 'forbidden');
  });

  it('the 403 detail names the resource in a correct plural (trust policies, not trust_policys)', async () => {
    const readonly = await dev().tokens.createReadonly('acme');
    const refused = await http(server, 'POST', '/v1/orgs/acme/trust-policies', {
      token: readonly.token,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        name: 'ci',
        issuer: 'https://issuer.example',
        audience: 'hangar',
        conditions: { sub: 'repo:acme/web:*' },
        grant: { kind: 'deploy', app: 'acme-web' },
      }),
    });
    expect([refused.status, refused.body.code]).toEqual([403, 'forbidden']);
    expect(refused.body.detail).toContain('create access to trust policies in organization "acme"');
    const apps = await expectProblem(
      client(server, readonly.token).apps.create('acme', 'x'),
      403,
      'forbidden',
    );
    expect(apps.detail).toContain('create access to apps in organization "acme"');
  });

  it("a personal token's metadata is visible to its user's unscoped tokens only", async () => {
    const viewer = await dev().viewer.get();
    expect((await dev().tokens.get(viewer.token.id)).kind).toBe('personal');
    const org = await dev().tokens.createOrg('acme');
    await expectProblem(client(server, org.token).tokens.get(viewer.token.id), 404, 'not_found');
  });
});

describe('minting rule', () => {
  it('a token cannot mint a token that outlives it', async () => {
    const org = await dev().tokens.createOrg('acme', { expiresIn: 3600 });
    const short = client(server, org.token);
    const error = await expectProblem(
      short.tokens.createDeploy('acme-web', { expiresIn: 7200 }),
      403,
      'exceeds_token_lifetime',
    );
    expect(error.detail).toContain(org.expires_at);
    await expectProblem(
      short.tokens.createOrg('acme', { expiresIn: 86_400 }),
      403,
      'exceeds_token_lifetime',
    );
    const within = await short.tokens.createDeploy('acme-web', { expiresIn: 1800 });
    expect(Date.parse(within.expires_at)).toBeLessThanOrEqual(Date.parse(org.expires_at));
  });

  it('a left-out lifetime is the 20-year default shortened to the creator expiry', async () => {
    const org = await dev().tokens.createOrg('acme', { expiresIn: 3600 });
    const deploy = await client(server, org.token).tokens.createDeploy('acme-web');
    expect(deploy.expires_at).toBe(org.expires_at);
    // Asked for explicitly, the same 20 years is refused: the caller asked for exactly that.
    await expectProblem(
      client(server, org.token).tokens.createDeploy('acme-web', { expiresIn: '175200h' }),
      403,
      'exceeds_token_lifetime',
    );
  });

  it('a token cannot mint a token that reaches further than it', async () => {
    const org = await dev().tokens.createOrg('acme');
    const readCreate = attenuate(org.token, [{ type: 'actions', actions: ['read', 'create'] }]);
    await expectProblem(
      client(server, readCreate).tokens.createOrg('acme'),
      403,
      'exceeds_token_scope',
    );
    await expectProblem(
      client(server, readCreate).tokens.createDeploy('acme-web'),
      403,
      'exceeds_token_scope',
    );
    const deploy = await dev().tokens.createDeploy('acme-web');
    const narrowDeploy = attenuate(deploy.token, [
      { type: 'actions', actions: ['read', 'create'] },
    ]);
    await expectProblem(
      client(server, narrowDeploy).tokens.createDeploy('acme-web'),
      403,
      'exceeds_token_scope',
    );
  });
});

describe('found by review (issue #11)', () => {
  it('an attenuated token cannot revoke the token it came from by id: 403, the parent keeps working', async () => {
    const org = await dev().tokens.createOrg('acme');
    const notAfter = Math.floor(Date.now() / 1000) + 86_400;
    const narrowed = attenuate(org.token, [{ type: 'not-after', notAfter }]);
    const refused = await expectProblem(
      client(server, narrowed).tokens.revoke(org.id),
      403,
      'forbidden',
    );
    expect(refused.detail).toContain(`attenuated from ${org.id}`);
    expect((await client(server, org.token).orgs.get('acme')).slug).toBe('acme');
    expect((await dev().tokens.get(org.id)).status).toBe('active');
    // The token as minted may still revoke itself by id.
    expect((await client(server, org.token).tokens.revoke(org.id)).status).toBe('revoked');
  });

  it('the viewer names only orgs and apps the caller can see; other ids stay ids', async () => {
    const seeded = (await admin(server, 'POST', '/seed', {
      users: [{ email: 'eve@globex.test', password: 'pw-eve' }],
      orgs: [
        { slug: 'globex', name: 'Globex', members: [{ email: 'eve@globex.test', role: 'admin' }] },
      ],
      apps: [{ name: 'globex-web', org: 'globex' }],
    })) as { users: { token: string }[] };
    const eve = client(server, seeded.users[0]?.token);
    const globex = await eve.orgs.get('globex');
    const globexWeb = await eve.apps.get('globex-web');
    const acmeWeb = await dev().apps.get('acme-web');

    // Caveats are added offline and may name anything; the viewer must not turn them into names.
    const apps = attenuate(server.devToken, [
      { type: 'apps', apps: { [globexWeb.id]: ['read'], [acmeWeb.id]: ['read'] } },
    ]);
    const appsScope = (await client(server, apps).viewer.get()).scope;
    expect([...(appsScope.apps ?? [])].sort()).toEqual([globexWeb.id, 'acme-web'].sort());
    const other = attenuate(server.devToken, [{ type: 'org', org: globex.id }]);
    expect((await client(server, other).viewer.get()).scope.org).toBe(globex.id);

    const acme = await dev().orgs.get('acme');
    const own = attenuate(server.devToken, [{ type: 'org', org: acme.id }]);
    expect((await client(server, own).viewer.get()).scope.org).toBe('acme');
  });
});
