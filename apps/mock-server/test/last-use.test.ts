import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { admin, client, logCapture, startServer, useTempDir, withServer } from './helpers.js';

const root = useTempDir('hangar-mock-last-use-');

describe('recording last use is best effort (issue #11)', () => {
  it('reads keep working when the last_used_at write fails, and the failure is logged once', async () => {
    const dataDir = join(root.path, 'data');
    const first = await startServer({ dataDir });
    await first.close();
    // The write fails as on a full disk: SQLite refuses the update with an error.
    const outside = new BetterSqlite3(join(dataDir, 'hangar.db'));
    outside.exec(`create trigger no_last_use before update of last_used_at on tokens
      begin select raise(abort, 'database or disk is full'); end`);
    outside.close();

    const { logDestination, lines } = logCapture();
    await withServer({ dataDir, logLevel: 'warn', logDestination }, async (server) => {
      const dev = client(server);
      for (let i = 0; i < 3; i++) {
        expect((await dev.viewer.get()).token.last_used_at).toBeNull();
        expect((await dev.orgs.list()).items.length).toBe(2);
        // Past the once-a-minute resolution: every request tries the write again.
        await admin(server, 'POST', '/clock', { advance_seconds: 61 });
      }
      const failures = lines.filter((line) => line.includes('cannot record when tokens'));
      expect(failures).toHaveLength(1);
    });
  });
});
