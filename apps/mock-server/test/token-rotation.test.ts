import { attenuate } from '@hangar/tokens';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MockServer } from '../src/index.js';
import { admin, client, expectProblem, startServer, withServer } from './helpers.js';

const HOUR = 3600;

describe('token rotation (issue 15)', () => {
  let server: MockServer;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(async () => {
    await server?.close();
  });

  it('gives a new secret with the same kind, name, scope and original lifetime; the old one works through the grace, then 401 token_rotated', async () => {
    const dev = client(server);
    const old = await dev.tokens.createDeploy('acme-web', { name: 'ci deploy', expiresIn: '720h' });
    const child = attenuate(old.token, [{ type: 'actions', actions: ['read'] }]);
    const fresh = await dev.tokens.rotate(old.id, { gracePeriod: '1h' });
    expect(fresh).toMatchObject({
      kind: 'deploy',
      name: 'ci deploy',
      org: 'acme',
      app: 'acme-web',
      replaces: old.id,
      status: 'active',
    });
    expect(fresh.id).not.toBe(old.id);
    expect(fresh.token).not.toBe(old.token);
    const lifetime = (t: { created_at: string; expires_at: string }) =>
      (Date.parse(t.expires_at) - Date.parse(t.created_at)) / 1000;
    expect(lifetime(fresh)).toBe(720 * HOUR);

    // In the grace period: both work; the old one shows who replaced it and when it stops.
    const during = await dev.tokens.get(old.id);
    expect(during).toMatchObject({ status: 'active', replaced_by: fresh.id });
    expect(Date.parse(during.rotated_at ?? '')).toBe(Date.parse(fresh.created_at) + HOUR * 1000);
    expect((await client(server, old.token).apps.get('acme-web')).name).toBe('acme-web');
    expect((await client(server, child).apps.get('acme-web')).name).toBe('acme-web');

    await admin(server, 'POST', '/clock', { advance_seconds: HOUR + 1 });
    for (const token of [old.token, child]) {
      const refused = await expectProblem(client(server, token).viewer.get(), 401, 'token_rotated');
      expect(refused.detail).toContain(fresh.id);
    }
    // Reuse of the old token never revokes the new one.
    expect((await client(server, fresh.token).viewer.get()).token.id).toBe(fresh.id);
    expect(await dev.tokens.get(old.id)).toMatchObject({ status: 'rotated' });
  });

  it('an old token of a chain old -> mid -> new is told to use the live end, new, not mid (itself rotated)', async () => {
    const dev = client(server);
    const old = await dev.tokens.createDeploy('acme-web', { name: 'chain' });
    const mid = await dev.tokens.rotate(old.id);
    const fresh = await dev.tokens.rotate(mid.id);
    for (const token of [old.token, mid.token]) {
      const refused = await expectProblem(client(server, token).viewer.get(), 401, 'token_rotated');
      expect(refused.detail).toMatch(new RegExp(`use the token that replaced it, ${fresh.id}$`));
    }
  });

  it('records token.rotated, and a use of the old token after its grace as token.used_after_rotation', async () => {
    const dev = client(server);
    const old = await dev.tokens.createDeploy('acme-web', { name: 'audited rotation' });
    const fresh = await dev.tokens.rotate(old.id);
    const refused = await fetch(`${server.url}/v1/viewer`, {
      headers: { authorization: `Bearer ${old.token}`, 'user-agent': 'old-ci-job/1.0' },
    });
    expect(refused.status).toBe(401);
    const requestId = refused.headers.get('x-request-id');
    const { items } = await dev.events.listOrg('acme', { tokenId: old.id });
    expect(items.map((e) => e.type).slice(0, 2)).toEqual([
      'token.used_after_rotation',
      'token.rotated',
    ]);
    const [reuse, rotated] = items;
    expect(reuse).toMatchObject({
      org: 'acme',
      app: 'acme-web',
      actor: { token_id: old.id, token_kind: 'deploy' },
      target: { type: 'token', id: old.id },
      request_id: requestId,
      user_agent: 'old-ci-job/1.0',
    });
    expect(rotated).toMatchObject({ target: { type: 'token', id: old.id } });
    // The refusal revoked nothing: the new token still works.
    expect((await client(server, fresh.token).viewer.get()).token.id).toBe(fresh.id);
    expect(JSON.stringify(items)).not.toContain(old.token);
  });

  it('grace_period 0 (the default) refuses the old token at once', async () => {
    const dev = client(server);
    const old = await dev.tokens.createOrg('acme', { name: 'no grace' });
    const fresh = await dev.tokens.rotate(old.id);
    await expectProblem(client(server, old.token).viewer.get(), 401, 'token_rotated');
    expect((await client(server, fresh.token).viewer.get()).token.replaces).toBe(old.id);
  });

  it('rotating a rotated token is 409 token_already_rotated, a revoked one 409 token_already_revoked', async () => {
    const dev = client(server);
    const rotated = await dev.tokens.createOrg('acme');
    await dev.tokens.rotate(rotated.id, { gracePeriod: 60 });
    await expectProblem(dev.tokens.rotate(rotated.id), 409, 'token_already_rotated');
    const revoked = await dev.tokens.createOrg('acme');
    await dev.tokens.revoke(revoked.id);
    await expectProblem(dev.tokens.rotate(revoked.id), 409, 'token_already_revoked');
  });

  it('rotating an expired token is 409 token_already_expired, and mints nothing', async () => {
    const dev = client(server);
    const expired = await dev.tokens.createOrg('acme', { name: 'short', expiresIn: 60 });
    await admin(server, 'POST', '/clock', { advance_seconds: 120 });
    const error = await expectProblem(dev.tokens.rotate(expired.id), 409, 'token_already_expired');
    expect(error.problem?.detail).toMatch(
      new RegExp(
        `^Token ${expired.id} expired at \\d{4}-\\d\\d-\\d\\dT[\\d:]+Z; .*create a new one`,
      ),
    );
    const named = (await dev.tokens.listOrg('acme')).items.filter((t) => t.name === 'short');
    expect(named.map((t) => t.id)).toEqual([expired.id]);
  });

  it('grace_period over 7 days is a 400 naming body.grace_period', async () => {
    const dev = client(server);
    const token = await dev.tokens.createOrg('acme');
    // The SDK refuses it before sending; the server refuses it too when it is sent.
    await expect(dev.tokens.rotate(token.id, { gracePeriod: 604_801 })).rejects.toThrow(RangeError);
    const raw = await fetch(`${server.url}/v1/tokens/${token.id}/rotate`, {
      method: 'POST',
      headers: { authorization: `Bearer ${server.devToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ grace_period: 604_801 }),
    });
    const body = (await raw.json()) as { code: string; errors: { field: string }[] };
    expect([raw.status, body.code, body.errors[0]?.field]).toEqual([
      400,
      'validation_failed',
      'body.grace_period',
    ]);
  });

  it('rotateCurrentToken rotates the token in use; the new one keeps its expiry (minting rule)', async () => {
    const dev = client(server);
    const ci = await dev.tokens.createOrg('acme', { name: 'ci self', expiresIn: '48h' });
    const fresh = await client(server, ci.token).tokens.rotateCurrent({ gracePeriod: 600 });
    expect(fresh).toMatchObject({ name: 'ci self', kind: 'org', replaces: ci.id });
    expect(fresh.expires_at).toBe(ci.expires_at);
    await expectProblem(
      client(server, ci.token).tokens.rotateCurrent({ expiresIn: '720h' }),
      409,
      'token_already_rotated',
    );
    await expectProblem(
      client(server, fresh.token).tokens.rotateCurrent({ expiresIn: '720h' }),
      403,
      'exceeds_token_lifetime',
    );
  });

  it('in its grace a rotated token mints nothing that outlives the grace (tokens and trust policies)', async () => {
    const dev = client(server);
    const a = await dev.tokens.createOrg('acme', { name: 'grace parent', expiresIn: '1h' });
    const old = client(server, a.token);
    const fresh = await old.tokens.rotateCurrent({ gracePeriod: 60 });
    const graceEnd = Date.parse((await dev.tokens.get(a.id)).rotated_at ?? '');
    expect(graceEnd).toBe(Date.parse(fresh.created_at) + 60_000);
    const refused = await expectProblem(
      old.tokens.createOrg('acme', { expiresIn: '55m' }),
      403,
      'exceeds_token_lifetime',
    );
    expect(refused.detail).toContain(new Date(graceEnd).toISOString().slice(0, 19));
    await expectProblem(
      old.trustPolicies.create('acme', {
        name: 'grace backdoor',
        issuer: 'https://issuer.example',
        audience: 'hangar',
        conditions: { sub: 'repo:evil/*' },
        grant: { kind: 'org', expires_in: 600 },
      }),
      403,
      'exceeds_token_lifetime',
    );
    // Left out, a child's lifetime is shortened to the end of the grace, as to an expiry.
    const child = await old.tokens.createOrg('acme', { name: 'grace child' });
    expect(Date.parse(child.expires_at)).toBeLessThanOrEqual(graceEnd);
    await admin(server, 'POST', '/clock', { advance_seconds: 120 });
    await expectProblem(old.viewer.get(), 401, 'token_rotated');
    await expectProblem(client(server, child.token).viewer.get(), 401, 'token_expired');
  });

  it('in its grace, Hangar-Token-Expires-At gives the end of the grace (when it is refused), not its original expiry', async () => {
    const dev = client(server);
    const a = await dev.tokens.createOrg('acme', { name: 'grace header', expiresIn: '48h' });
    await dev.tokens.rotate(a.id, { gracePeriod: '1h' });
    const graceEnd = (await dev.tokens.get(a.id)).rotated_at ?? '';
    expect(Date.parse(graceEnd)).toBeLessThan(Date.parse(a.expires_at));
    const expiresAt = async () => {
      const res = await fetch(`${server.url}/v1/viewer`, {
        headers: { authorization: `Bearer ${a.token}` },
      });
      expect(res.status).toBe(200);
      return res.headers.get('hangar-token-expires-at');
    };
    expect(await expiresAt()).toBe(graceEnd);
    // Minutes before the end of the grace it still says so; a second later the token is refused.
    await admin(server, 'POST', '/clock', { advance_seconds: HOUR - 120 });
    expect(await expiresAt()).toBe(graceEnd);
    await admin(server, 'POST', '/clock', { advance_seconds: 121 });
    await expectProblem(client(server, a.token).viewer.get(), 401, 'token_rotated');
  });

  it('an attenuated token may not rotate itself (403), and its parent keeps working', async () => {
    const dev = client(server);
    const parent = await dev.tokens.createOrg('acme');
    const narrowed = attenuate(parent.token, [
      { type: 'actions', actions: ['read', 'create', 'delete'] },
    ]);
    await expectProblem(client(server, narrowed).tokens.rotateCurrent(), 403, 'forbidden');
    await expectProblem(client(server, narrowed).tokens.rotate(parent.id), 403, 'forbidden');
    expect((await dev.tokens.get(parent.id)).replaced_by).toBeNull();
  });

  it('a read-only token cannot rotate (it cannot revoke either)', async () => {
    const dev = client(server);
    const ro = await dev.tokens.createReadonly('acme');
    const target = await dev.tokens.createOrg('acme');
    await expectProblem(client(server, ro.token).tokens.rotate(target.id), 403, 'forbidden');
    await expectProblem(client(server, ro.token).tokens.rotateCurrent(), 403, 'forbidden');
  });
});

describe('a rotated-away token used again and again', () => {
  it('records one token.used_after_rotation per minute per token, and pushes no other event out', async () => {
    // A small retention shows what 1000 (the default) would: refused requests are free to make.
    await withServer({ eventRetention: 3 }, async (server) => {
      const dev = client(server);
      const old = await dev.tokens.createDeploy('acme-web', { name: 'leaked' });
      const fresh = await dev.tokens.rotate(old.id);
      const dead = client(server, old.token);
      const refuse = async (times: number) => {
        for (let i = 0; i < times; i++) {
          await expectProblem(dead.viewer.get(), 401, 'token_rotated');
        }
      };
      const types = async () =>
        (await dev.events.listOrg('acme', { limit: 100 })).items.map((e) => e.type);
      const before = await types();
      expect(before).toEqual(expect.arrayContaining(['token.rotated', 'token.created']));

      await refuse(20);
      expect(await types()).toEqual(['token.used_after_rotation', ...before]);
      // Half a minute on: still inside the first minute, with room for a slow machine's real
      // seconds, which the admin clock adds on top of its offset (59 s failed under load).
      await admin(server, 'POST', '/clock', { advance_seconds: 30 });
      await refuse(5);
      expect(await types()).toEqual(['token.used_after_rotation', ...before]);
      // Each new minute records the next one; eight minutes of them leave every other event.
      for (let minute = 0; minute < 8; minute++) {
        await admin(server, 'POST', '/clock', { advance_seconds: 60 });
        await refuse(5);
      }
      const after = await types();
      expect(after.slice(-before.length)).toEqual(before);
      const reuses = after.filter((type) => type === 'token.used_after_rotation');
      expect(reuses).toHaveLength(3);
      expect(after).toHaveLength(before.length + 3);
      expect((await client(server, fresh.token).viewer.get()).token.id).toBe(fresh.id);
    });
  });
});

describe('listPersonalTokens and the status filter (issue 15)', () => {
  let server: MockServer;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(async () => {
    await server?.close();
  });

  it('lists the caller’s personal tokens, newest first, and only to a personal token', async () => {
    const dev = client(server);
    const session = await client(server, null).sessions.create(
      'dev@hangar.local',
      'hangar-dev-password',
    );
    const page = await dev.tokens.listPersonal();
    expect(page.items.every((t) => t.kind === 'personal')).toBe(true);
    const sessionId = (await client(server, session.token).viewer.get()).token.id;
    expect(page.items[0]?.id).toBe(sessionId);
    const org = await dev.tokens.createOrg('acme');
    await expectProblem(client(server, org.token).tokens.listPersonal(), 404, 'not_found');
  });

  it('filters each token list by status: active, revoked, expired, rotated', async () => {
    const dev = client(server);
    const app = (await dev.apps.create('acme', 'status-filter')).name;
    const active = await dev.tokens.createDeploy(app, { name: 'active' });
    const revoked = await dev.tokens.createDeploy(app, { name: 'revoked' });
    await dev.tokens.revoke(revoked.id);
    const expiring = await dev.tokens.createDeploy(app, { name: 'expired', expiresIn: 60 });
    const rotated = await dev.tokens.createDeploy(app, { name: 'rotated' });
    const replacement = await dev.tokens.rotate(rotated.id);
    await admin(server, 'POST', '/clock', { advance_seconds: 120 });
    const ids = async (status?: 'active' | 'revoked' | 'expired' | 'rotated') =>
      (await dev.tokens.listApp(app, status ? { status } : {})).items.map((t) => t.id).sort();
    expect(await ids('active')).toEqual([active.id, replacement.id].sort());
    expect(await ids('revoked')).toEqual([revoked.id]);
    expect(await ids('expired')).toEqual([expiring.id]);
    expect(await ids('rotated')).toEqual([rotated.id]);
    expect(await ids()).toHaveLength(5);
  });
});
