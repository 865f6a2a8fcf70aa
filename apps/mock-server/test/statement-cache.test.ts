import { attenuate } from '@hangar/tokens';
import { describe, expect, it } from 'vitest';
import { Db, STATEMENT_CACHE_SIZE } from '../src/db/database.js';
import { client, withServer } from './helpers.js';

describe('prepared statements stay bounded (issue #11)', () => {
  it('queries of many distinct shapes keep at most STATEMENT_CACHE_SIZE statements', async () => {
    const db = new Db(':memory:');
    try {
      await db.migrate();
      for (let n = 1; n <= STATEMENT_CACHE_SIZE * 2; n++) {
        const ids = Array.from({ length: n }, (_, i) => `app_${i}`);
        expect(db.all(db.q.selectFrom('apps').select('id').where('id', 'in', ids))).toEqual([]);
      }
      expect(db.cachedStatements).toBeGreaterThan(0);
      expect(db.cachedStatements).toBeLessThanOrEqual(STATEMENT_CACHE_SIZE);
    } finally {
      db.close();
    }
  });

  it('the viewer names the apps of a long apps caveat', async () => {
    await withServer({}, async (server) => {
      const web = await client(server).apps.get('acme-web');
      const apps: Record<string, ['read']> = { [web.id]: ['read'] };
      for (let i = 0; i < 300; i++) apps[`a${i}`] = ['read'];
      const token = attenuate(server.devToken, [{ type: 'apps', apps }]);
      const scope = (await client(server, token).viewer.get()).scope;
      expect(scope.apps).toHaveLength(301);
      expect(scope.apps).toContain('acme-web');
    });
  });
});
