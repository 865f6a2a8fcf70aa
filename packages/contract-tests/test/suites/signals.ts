import type { AccessCheckRequest } from '@hangar/sdk';
import { describe, expect, it } from 'vitest';
import { AUTHENTICATING_TOKENS, matrixRows } from '../../src/expectations.js';
import { APP_A1, APP_A2, APP_B1, ORG_A, ORG_B, type World } from '../../src/world.js';

const ORG_OF: Record<string, string> = { A: ORG_A, B: ORG_B };
const APP_OF: Record<string, string> = { A1: APP_A1, A2: APP_A2, B1: APP_B1 };

/**
 * checkAccess, Hangar-Token-Expires-At and the audit event lists: what the contract states in
 * their descriptions, beyond the matrix's status per token kind.
 */
export function signalsSuite(world: () => World) {
  describe('token lifecycle signals', () => {
    it('checkAccess predicts the status of every org- and app-level matrix cell', async () => {
      const w = world();
      const wrong: string[] = [];
      for (const row of matrixRows()) {
        const access = w.contract.operation(row.operationId).access;
        const org = ORG_OF[row.target];
        const app = APP_OF[row.target];
        if (!access || (org === undefined && app === undefined)) continue;
        const body = {
          resource: access.resource as AccessCheckRequest['resource'],
          action: access.action as AccessCheckRequest['action'],
          ...(app === undefined ? { org } : { app }),
        };
        for (const kind of AUTHENTICATING_TOKENS) {
          const { data, response } = await w.as(kind).POST('/v1/viewer/access-checks', { body });
          const expected = row.expected[kind].status;
          if (
            response.status !== 200 ||
            data?.status !== expected ||
            data.allowed !== expected < 300
          ) {
            wrong.push(
              `${row.label} as ${kind}: matrix ${expected}, checkAccess ${JSON.stringify(data)}`,
            );
          }
        }
      }
      expect(wrong).toEqual([]);
    });

    it('every authenticated answer says when the token expires; a 401 does not', async () => {
      const w = world();
      const ok = await w.as('orgA').GET('/v1/orgs/{org}', { params: { path: { org: ORG_A } } });
      const viewer = await w.as('orgA').GET('/v1/viewer');
      expect(ok.response.headers.get('hangar-token-expires-at')).toBe(
        viewer.data?.scope.expires_at,
      );
      const hidden = await w.as('orgA').GET('/v1/orgs/{org}', { params: { path: { org: ORG_B } } });
      expect(hidden.response.status).toBe(404);
      expect(hidden.response.headers.get('hangar-token-expires-at')).toBe(
        viewer.data?.scope.expires_at,
      );
      const refused = await w.as('missing').GET('/v1/viewer');
      expect(refused.response.headers.get('hangar-token-expires-at')).toBeNull();
    });

    it('events: a change shows in the org and app logs, filtered by type and token', async () => {
      const w = world();
      const created = await w.createToken('deploy', APP_A2, { name: 'events' });
      const machine = await w.client(created.token).POST('/v1/apps/{app}/machines', {
        params: { path: { app: APP_A2 } },
        body: { image: 'registry.hangar.dev/events:v1' },
      });
      expect(machine.response.status).toBe(201);
      const byToken = await w.personal.GET('/v1/orgs/{org}/events', {
        params: { path: { org: ORG_A }, query: { token_id: created.id } },
      });
      expect(byToken.data?.items.map((e) => e.type)).toEqual(['machine.created', 'token.created']);
      const typed = await w.as('deployA1').GET('/v1/apps/{app}/events', {
        params: { path: { app: APP_A1 }, query: { type: ['machine.created'], limit: 1 } },
      });
      expect(typed.response.status).toBe(200);
      const appLog = await w.personal.GET('/v1/apps/{app}/events', {
        params: { path: { app: APP_A2 }, query: { type: ['machine.created', 'token.created'] } },
      });
      expect(appLog.data?.items[0]).toMatchObject({
        type: 'machine.created',
        app: APP_A2,
        actor: { token_id: created.id, token_kind: 'deploy' },
      });
      const bad = await w.personal.GET('/v1/orgs/{org}/events', {
        params: { path: { org: ORG_A }, query: { since: 'yesterday' } },
      });
      expect(bad.response.status).toBe(400);
    });
  });
}
