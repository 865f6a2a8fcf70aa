import { describe, expect, it } from 'vitest';
import { problemCode } from '../../src/operations.js';
import { APP_A1, ORG_A, readOnly, type World } from '../../src/world.js';

/** Seconds of grace in the rotation story; the clock is moved one second past it. */
const GRACE = 30;

/**
 * Rotation and the personal-token list (issue 15): the grace period on the admin clock, the
 * links between old and new token, the 409s, the status filter.
 */
export function rotationSuite(world: () => World) {
  describe('rotation', () => {
    it('the old token works through the grace, then 401 token_rotated (with its attenuated tokens); the new one lives on', async () => {
      const w = world();
      const old = await w.createToken('deploy', APP_A1, { name: 'rotate me' });
      const child = readOnly(old.token);
      const rotated = await w.personal.POST('/v1/tokens/{token_id}/rotate', {
        params: { path: { token_id: old.id } },
        body: { grace_period: GRACE },
      });
      expect(rotated.response.status).toBe(201);
      const fresh = rotated.data;
      expect(fresh).toMatchObject({
        name: 'rotate me',
        kind: 'deploy',
        app: APP_A1,
        replaces: old.id,
      });
      for (const token of [old.token, child, fresh?.token]) {
        expect((await w.client(token).GET('/v1/viewer')).response.status).toBe(200);
      }
      await w.admin.advance(GRACE + 1);
      for (const token of [old.token, child]) {
        const { error, response } = await w.client(token).GET('/v1/viewer');
        expect([response.status, problemCode(error)]).toEqual([401, 'token_rotated']);
      }
      expect((await w.client(fresh?.token).GET('/v1/viewer')).response.status).toBe(200);
      const listed = await w.personal.GET('/v1/apps/{app}/tokens', {
        params: { path: { app: APP_A1 }, query: { status: 'rotated', limit: 100 } },
      });
      const shown = listed.data?.items.find((t) => t.id === old.id);
      expect(shown).toMatchObject({ status: 'rotated', replaced_by: fresh?.id });
      expect(shown?.rotated_at).not.toBeNull();
      expect(listed.data?.items.every((t) => t.status === 'rotated')).toBe(true);
    });

    it('rotating a rotated token is 409 token_already_rotated; a revoked one 409 token_already_revoked', async () => {
      const w = world();
      const rotated = await w.createToken('org', ORG_A, { name: 'rotated twice' });
      const path = { params: { path: { token_id: rotated.id } } };
      expect((await w.personal.POST('/v1/tokens/{token_id}/rotate', path)).response.status).toBe(
        201,
      );
      const again = await w.personal.POST('/v1/tokens/{token_id}/rotate', path);
      expect([again.response.status, problemCode(again.error)]).toEqual([
        409,
        'token_already_rotated',
      ]);
      const revoked = await w.createToken('org', ORG_A, { name: 'revoked then rotated' });
      await w.revoke(revoked.id);
      const dead = await w.personal.POST('/v1/tokens/{token_id}/rotate', {
        params: { path: { token_id: revoked.id } },
      });
      expect([dead.response.status, problemCode(dead.error)]).toEqual([
        409,
        'token_already_revoked',
      ]);
    });

    it('rotateCurrentToken: a token rotating itself; rotating it again is 409', async () => {
      const w = world();
      const ci = await w.createToken('org', ORG_A, { name: 'ci rotating itself' });
      const self = await w.client(ci.token).POST('/v1/viewer/token/rotate', {
        body: { grace_period: GRACE },
      });
      expect(self.response.status).toBe(201);
      expect(self.data).toMatchObject({ name: 'ci rotating itself', replaces: ci.id });
      const again = await w.client(ci.token).POST('/v1/viewer/token/rotate');
      expect([again.response.status, problemCode(again.error)]).toEqual([
        409,
        'token_already_rotated',
      ]);
    });

    it('listPersonalTokens lists the personal tokens of the caller only, with a status filter', async () => {
      const w = world();
      const { data, response } = await w.personal.GET('/v1/viewer/tokens', {
        params: { query: { status: 'active', limit: 100 } },
      });
      expect(response.status).toBe(200);
      expect(data?.items.length).toBeGreaterThan(0);
      expect(data?.items.every((t) => t.kind === 'personal' && t.status === 'active')).toBe(true);
    });
  });
}
