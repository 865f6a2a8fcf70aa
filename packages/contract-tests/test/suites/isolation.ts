import { describe, expect, it } from 'vitest';
import { APP_A1, APP_B1, ORG_A, ORG_B, type World } from '../../src/world.js';

/** What the matrix's statuses cannot show: the bodies of successful reads never leak across scopes. */
export function isolationSuite(world: () => World) {
  describe('isolation in listed bodies', () => {
    it('listOrgs shows an org token its one org, a personal token both', async () => {
      const slugs = async (kind: Parameters<World['as']>[0]) => {
        const { data, response } = await world()
          .as(kind)
          .GET('/v1/orgs', { params: { query: { limit: 100 } } });
        expect(response.status).toBe(200);
        return (data?.items ?? []).map((o) => o.slug);
      };
      expect(await slugs('orgA')).toEqual([ORG_A]);
      expect(await slugs('readonlyA')).toEqual([ORG_A]);
      expect(await slugs('deployA1')).toEqual([ORG_A]);
      expect(await slugs('orgB')).toEqual([ORG_B]);
      expect(await slugs('personal')).toEqual(expect.arrayContaining([ORG_A, ORG_B]));
    });

    it('token lists hold only tokens of the listed org or app', async () => {
      const orgTokens = await world()
        .as('orgA')
        .GET('/v1/orgs/{org}/tokens', {
          params: { path: { org: ORG_A }, query: { limit: 100 } },
        });
      expect(orgTokens.response.status).toBe(200);
      for (const token of orgTokens.data?.items ?? []) {
        expect(token.org).toBe(ORG_A);
        expect(['org', 'readonly']).toContain(token.kind);
      }
      const appTokens = await world()
        .as('deployA1')
        .GET('/v1/apps/{app}/tokens', {
          params: { path: { app: APP_A1 }, query: { limit: 100 } },
        });
      expect(appTokens.response.status).toBe(200);
      for (const token of appTokens.data?.items ?? []) {
        expect(token).toMatchObject({ kind: 'deploy', org: ORG_A, app: APP_A1 });
      }
    });

    it('getViewer reports each token kind with its effective scope', async () => {
      const viewer = async (kind: Parameters<World['as']>[0]) => {
        const { data, response } = await world().as(kind).GET('/v1/viewer');
        expect(response.status).toBe(200);
        return data;
      };
      expect((await viewer('personal'))?.scope).toMatchObject({ org: null, apps: null });
      expect((await viewer('orgA'))?.token).toMatchObject({ kind: 'org', org: ORG_A, app: null });
      expect((await viewer('orgA'))?.scope).toMatchObject({ org: ORG_A, apps: null });
      expect((await viewer('readonlyA'))?.scope).toMatchObject({ org: ORG_A, actions: ['read'] });
      expect((await viewer('deployA1'))?.scope).toMatchObject({ org: ORG_A, apps: [APP_A1] });
      expect((await viewer('deployA1ReadOnly'))?.scope).toMatchObject({
        org: ORG_A,
        apps: [APP_A1],
        actions: ['read'],
      });
      expect((await viewer('orgB'))?.token).toMatchObject({ kind: 'org', org: ORG_B });
    });

    it('an org-A token cannot reach org B by an id it learnt elsewhere', async () => {
      const { data } = await world().personal.GET('/v1/apps/{app}/machines', {
        params: { path: { app: APP_B1 } },
      });
      const machine = data?.items[0]?.id ?? '';
      const { response } = await world()
        .as('orgA')
        .GET('/v1/apps/{app}/machines/{machine}', {
          params: { path: { app: APP_B1, machine } },
        });
      expect(response.status).toBe(404);
    });
  });
}
