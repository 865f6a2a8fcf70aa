import { attenuate } from '@hangar/tokens';
import { describe, expect, it } from 'vitest';
import { problemCode } from '../../src/operations.js';
import { APP_A1, ORG_A, ORG_B, readOnly, type World } from '../../src/world.js';

/** Behaviour the contract states in prose: revocation, deletion cascades, conflicts, statuses. */
export function lifecycleSuite(world: () => World) {
  describe('lifecycle', () => {
    it('revoking a token refuses it and every token attenuated from it on the next request', async () => {
      const w = world();
      const created = await w.createToken('org', ORG_A, { name: 'revoke me' });
      const child = readOnly(created.token);
      expect((await w.client(child).GET('/v1/viewer')).response.status).toBe(200);
      const revoked = await w.personal.DELETE('/v1/tokens/{token_id}', {
        params: { path: { token_id: created.id } },
      });
      expect(revoked.response.status).toBe(200);
      expect(revoked.data).toMatchObject({ id: created.id, status: 'revoked' });
      expect(revoked.data?.revoked_at).not.toBeNull();
      for (const token of [created.token, child]) {
        const { error, response } = await w.client(token).GET('/v1/viewer');
        expect([response.status, problemCode(error)]).toEqual([401, 'token_revoked']);
      }
    });

    it('revoking a revoked token: 409 token_already_revoked', async () => {
      const w = world();
      const created = await w.createToken('deploy', APP_A1, { name: 'twice' });
      await w.revoke(created.id);
      const again = await w.personal.DELETE('/v1/tokens/{token_id}', {
        params: { path: { token_id: created.id } },
      });
      expect([again.response.status, problemCode(again.error)]).toEqual([
        409,
        'token_already_revoked',
      ]);
    });

    it('revokeCurrentToken revokes the token in use and nothing else', async () => {
      const w = world();
      const created = await w.createToken('org', ORG_A, { name: 'self revoke' });
      const self = await w.client(created.token).DELETE('/v1/viewer/token');
      expect(self.response.status).toBe(200);
      expect(self.data).toMatchObject({ id: created.id, status: 'revoked' });
      const after = await w.client(created.token).GET('/v1/viewer');
      expect([after.response.status, problemCode(after.error)]).toEqual([401, 'token_revoked']);
      expect((await w.as('orgA').GET('/v1/viewer')).response.status).toBe(200);
    });

    it('revokeCurrentToken refuses an attenuated token: 403, and the token it came from lives', async () => {
      const w = world();
      const created = await w.createToken('org', ORG_A, { name: 'parent of a narrowed token' });
      const narrowed = attenuate(created.token, [{ type: 'actions', actions: ['read', 'delete'] }]);
      const self = await w.client(narrowed).DELETE('/v1/viewer/token');
      expect([self.response.status, problemCode(self.error)]).toEqual([403, 'forbidden']);
      expect((await w.client(created.token).GET('/v1/viewer')).response.status).toBe(200);
    });

    it('lists revoked and expired tokens with their status', async () => {
      const { data, response } = await world().personal.GET('/v1/orgs/{org}/tokens', {
        params: { path: { org: ORG_A }, query: { limit: 100 } },
      });
      expect(response.status).toBe(200);
      const byName = (name: string) => data?.items.find((t) => t.name === name);
      expect(byName('expires in 60 s')?.status).toBe('expired');
      expect(byName('to be revoked')?.status).toBe('revoked');
    });

    it('deleting an app removes it and its machines and revokes its deploy tokens', async () => {
      const w = world();
      const app = await w.createApp(ORG_A);
      await w.createMachine(app);
      const deploy = await w.createToken('deploy', app);
      const deleted = await w.personal.DELETE('/v1/apps/{app}', { params: { path: { app } } });
      expect(deleted.response.status).toBe(204);
      const path = { params: { path: { app } } };
      expect((await w.personal.GET('/v1/apps/{app}', path)).response.status).toBe(404);
      expect((await w.personal.GET('/v1/apps/{app}/machines', path)).response.status).toBe(404);
      const refused = await w.client(deploy.token).GET('/v1/viewer');
      expect([refused.response.status, problemCode(refused.error)]).toEqual([401, 'token_revoked']);
      const token = await w.personal.GET('/v1/tokens/{token_id}', {
        params: { path: { token_id: deploy.id } },
      });
      expect(token.data?.status).toBe('revoked');
    });

    it('app names are unique across the server: 409 conflict, whatever the org', async () => {
      const w = world();
      const name = await w.createApp(ORG_A);
      for (const org of [ORG_A, ORG_B]) {
        const { error, response } = await w.personal.POST('/v1/orgs/{org}/apps', {
          params: { path: { org } },
          body: { name },
        });
        expect([org, response.status, problemCode(error)]).toEqual([org, 409, 'conflict']);
      }
    });

    it('machines start in iad, stop and start idempotently, and are gone once deleted', async () => {
      const w = world();
      const machine = await w.createMachine(APP_A1);
      expect(machine).toMatchObject({ app: APP_A1, state: 'started', region: 'iad' });
      const path = { params: { path: { app: APP_A1, machine: machine.id } } };
      for (const [action, state] of [
        ['stop', 'stopped'],
        ['stop', 'stopped'],
        ['start', 'started'],
        ['start', 'started'],
      ] as const) {
        const route =
          action === 'stop'
            ? '/v1/apps/{app}/machines/{machine}/stop'
            : '/v1/apps/{app}/machines/{machine}/start';
        const { data, response } = await w.personal.POST(route, path);
        expect([action, response.status, data?.state]).toEqual([action, 200, state]);
      }
      expect(
        (await w.personal.DELETE('/v1/apps/{app}/machines/{machine}', path)).response.status,
      ).toBe(204);
      expect(
        (await w.personal.GET('/v1/apps/{app}/machines/{machine}', path)).response.status,
      ).toBe(404);
      expect(
        (await w.personal.DELETE('/v1/apps/{app}/machines/{machine}', path)).response.status,
      ).toBe(404);
    });

    it('unknown resources are 404 not_found', async () => {
      const p = world().personal;
      const checks = [
        p.GET('/v1/orgs/{org}', { params: { path: { org: 'no-such-org' } } }),
        p.GET('/v1/apps/{app}', { params: { path: { app: 'no-such-app' } } }),
        p.GET('/v1/tokens/{token_id}', { params: { path: { token_id: `tok_${'0'.repeat(32)}` } } }),
      ];
      for (const { error, response } of await Promise.all(checks)) {
        expect([response.status, problemCode(error)]).toEqual([404, 'not_found']);
      }
    });
  });
}
