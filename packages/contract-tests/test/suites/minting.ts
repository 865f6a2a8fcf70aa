import { attenuate } from '@hangar/tokens';
import { beforeAll, describe, expect, it } from 'vitest';
import { problemCode } from '../../src/operations.js';
import { APP_A1, APP_A2, ORG_A, type World } from '../../src/world.js';

type MintOp = 'createOrgToken' | 'createReadonlyToken' | 'createDeployToken';
const PARENT_LIFETIME = 3600;

/**
 * The minting rule (docs/architecture.md#minting-rule): a token creates only tokens within its
 * own power, in scope and in time. Every parent below lives one hour (by expires_in, or by an
 * offline not-after caveat on the personal token).
 */
export function mintingSuite(world: () => World) {
  const parents = new Map<string, { token: string; ops: MintOp[] }>();

  async function mint(token: string, op: MintOp, body: Record<string, unknown>) {
    const client = world().client(token);
    if (op === 'createDeployToken') {
      return client.POST('/v1/apps/{app}/tokens', { params: { path: { app: APP_A1 } }, body });
    }
    const path =
      op === 'createOrgToken' ? '/v1/orgs/{org}/tokens/org' : '/v1/orgs/{org}/tokens/readonly';
    return client.POST(path, { params: { path: { org: ORG_A } }, body });
  }

  describe('minting rule: no token outlives or outreaches its creator', () => {
    beforeAll(async () => {
      const w = world();
      const now = await w.admin.now();
      const life = { expires_in: PARENT_LIFETIME };
      parents.set('org token (1 h)', {
        token: (await w.createToken('org', ORG_A, { name: 'short parent', ...life })).token,
        ops: ['createOrgToken', 'createReadonlyToken', 'createDeployToken'],
      });
      parents.set('deploy token (1 h)', {
        token: (await w.createToken('deploy', APP_A1, { name: 'short parent', ...life })).token,
        ops: ['createDeployToken'],
      });
      parents.set('personal token with not-after in 1 h (offline)', {
        token: attenuate(w.tokens.personal ?? '', [
          { type: 'not-after', notAfter: now + PARENT_LIFETIME },
        ]),
        ops: ['createOrgToken', 'createReadonlyToken', 'createDeployToken'],
      });
    });

    // The contract (CreateTokenRequest.expires_in): an explicit lifetime past the creator's expiry
    // is 403 exceeds_token_lifetime; a left-out one is the 20-year default shortened to it.
    const cases = [
      ['an explicit 20 years (631152000 s)', { expires_in: 631_152_000 }],
      ['twice its own lifetime', { expires_in: 2 * PARENT_LIFETIME }],
    ] as const;
    for (const parent of [
      'org token (1 h)',
      'deploy token (1 h)',
      'personal token with not-after in 1 h (offline)',
    ]) {
      for (const [what, body] of cases) {
        it(`${parent} cannot mint a token with ${what}: 403 exceeds_token_lifetime`, async () => {
          const { token, ops } = parents.get(parent) ?? { token: '', ops: [] };
          const wrong: string[] = [];
          for (const op of ops) {
            const { data, error, response } = await mint(token, op, body);
            if (response.status !== 403 || problemCode(error) !== 'exceeds_token_lifetime') {
              const got = data ? `a token expiring ${data.expires_at}` : (problemCode(error) ?? '');
              wrong.push(
                `${op}: expected 403 exceeds_token_lifetime, got ${response.status} ${got}`,
              );
            }
          }
          expect(wrong).toEqual([]);
        });
      }
      it(`${parent} mints with no expires_in a token expiring exactly when it does`, async () => {
        const { token, ops } = parents.get(parent) ?? { token: '', ops: [] };
        const viewer = await world().client(token).GET('/v1/viewer');
        const parentExpiry = viewer.data?.scope.expires_at;
        for (const op of ops) {
          const { data, response } = await mint(token, op, {});
          expect([op, response.status, data?.expires_at]).toEqual([op, 201, parentExpiry]);
        }
      });
      it(`${parent} can mint a token living half as long, expiring no later than itself`, async () => {
        const { token, ops } = parents.get(parent) ?? { token: '', ops: [] };
        const viewer = await world().client(token).GET('/v1/viewer');
        const parentExpiry = Date.parse(viewer.data?.scope.expires_at ?? '');
        for (const op of ops) {
          const { data, response } = await mint(token, op, { expires_in: PARENT_LIFETIME / 2 });
          expect([op, response.status]).toEqual([op, 201]);
          expect(Date.parse(data?.expires_at ?? '')).toBeLessThanOrEqual(parentExpiry);
        }
      });
    }

    it('an org token narrowed to read+create cannot mint a full org or deploy token: 403 exceeds_token_scope', async () => {
      const narrowed = attenuate(world().tokens.orgA ?? '', [
        { type: 'actions', actions: ['read', 'create'] },
      ]);
      for (const op of ['createOrgToken', 'createDeployToken'] as const) {
        const { error, response } = await mint(narrowed, op, { expires_in: 600 });
        expect([op, response.status, problemCode(error)]).toEqual([op, 403, 'exceeds_token_scope']);
      }
      const readonly = await mint(narrowed, 'createReadonlyToken', { expires_in: 600 });
      expect(readonly.response.status).toBe(201);
    });

    it('an org token narrowed to one app cannot mint a full deploy token for it, nor any org token', async () => {
      const appId = world().ids.get(APP_A1) ?? '';
      const narrowed = attenuate(world().tokens.orgA ?? '', [
        { type: 'apps', apps: { [appId]: ['read', 'create'] } },
      ]);
      const deploy = await mint(narrowed, 'createDeployToken', { expires_in: 600 });
      expect([deploy.response.status, problemCode(deploy.error)]).toEqual([
        403,
        'exceeds_token_scope',
      ]);
      const org = await mint(narrowed, 'createOrgToken', { expires_in: 600 });
      expect([org.response.status, problemCode(org.error)]).toEqual([403, 'forbidden']);
    });

    it('a deploy token cannot mint org or read-only tokens (403) nor deploy tokens for another app (404)', async () => {
      const deploy = world().tokens.deployA1 ?? '';
      for (const op of ['createOrgToken', 'createReadonlyToken'] as const) {
        const { error, response } = await mint(deploy, op, { expires_in: 600 });
        expect([op, response.status, problemCode(error)]).toEqual([op, 403, 'forbidden']);
      }
      const other = await world()
        .client(deploy)
        .POST('/v1/apps/{app}/tokens', {
          params: { path: { app: APP_A2 } },
          body: { expires_in: 600 },
        });
      expect(other.response.status).toBe(404);
    });

    it('a token attenuated offline to a past not-after is refused: 401 token_expired', async () => {
      const now = await world().admin.now();
      const stale = attenuate(world().tokens.orgA ?? '', [
        { type: 'not-after', notAfter: now - 10 },
      ]);
      const { error, response } = await world().client(stale).GET('/v1/viewer');
      expect([response.status, problemCode(error)]).toEqual([401, 'token_expired']);
    });
  });
}
