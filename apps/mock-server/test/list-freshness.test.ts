import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { admin, client, useTempDir, withServer } from './helpers.js';

// Token list pages must never be stale: every change made between two identical list requests
// shows in the second (they used to be read through a page cache; see src/caches.ts).
const dir = useTempDir('hangar-mock-fresh-');

describe('token lists are never stale', () => {
  it('show creation, revocation, last use and expiry on the very next request', async () => {
    await withServer({ dataDir: join(dir.path, 'data') }, async (server) => {
      const dev = client(server);
      const list = async () => (await dev.tokens.listOrg('acme', { limit: 5 })).items;
      expect(await list()).toEqual(await list());

      const created = await dev.tokens.createOrg('acme', { expiresIn: 3600 });
      const first = await list();
      expect(first[0]?.id).toBe(created.id);
      expect(first[0]?.last_used_at).toBeNull();

      await client(server, created.token).viewer.get();
      expect((await list())[0]?.last_used_at).not.toBeNull();

      await admin(server, 'POST', '/clock', { advance_seconds: 3601 });
      expect((await list())[0]?.status).toBe('expired');

      const other = await dev.tokens.createOrg('acme');
      await dev.tokens.revoke(other.id);
      const afterRevoke = await list();
      expect(afterRevoke[0]).toMatchObject({ id: other.id, status: 'revoked' });

      // A write by another connection to the same file (another process) shows too.
      const outside = new BetterSqlite3(join(dir.path, 'data', 'hangar.db'));
      outside.prepare('update tokens set name = ? where id = ?').run('renamed', other.id);
      outside.close();
      expect((await list())[0]?.name).toBe('renamed');
    });
  });
});
