import BetterSqlite3 from 'better-sqlite3';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { client, withServer } from './helpers.js';

// Why a bare `LIMIT ?` matters: SQLite codes a bound LIMIT as a constant and prepares the
// statement again each time the parameter is bound, which better-sqlite3 does on every run, so
// every list request parsed and planned its page query anew (rowLimit in src/pagination.ts).
describe('list pages keep their prepared plan from one request to the next', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('no list query binds its LIMIT bare (`limit ?`), first pages and cursor pages alike', async () => {
    const prepared: string[] = [];
    const prepare = BetterSqlite3.prototype.prepare;
    vi.spyOn(BetterSqlite3.prototype, 'prepare').mockImplementation(function (
      this: BetterSqlite3.Database,
      source: string,
    ) {
      prepared.push(source);
      return prepare.call(this, source);
    });
    await withServer({}, async (server) => {
      const api = client(server);
      const app = 'acme-web';
      await api.machines.create(app, { image: 'nginx:1' });
      await api.machines.create(app, { image: 'nginx:1' });
      await api.tokens.createOrg('acme', { name: 'a' });
      await api.tokens.createOrg('acme', { name: 'b' });
      await api.tokens.createDeploy(app, { name: 'd1' });
      await api.tokens.createDeploy(app, { name: 'd2' });
      const pages = [
        (cursor?: string) => api.tokens.listOrg('acme', { limit: 1, cursor }),
        (cursor?: string) => api.tokens.listApp(app, { limit: 1, cursor }),
        (cursor?: string) => api.tokens.listPersonal({ limit: 1, cursor }),
        (cursor?: string) => api.events.listOrg('acme', { limit: 1, cursor }),
        (cursor?: string) => api.events.listApp(app, { limit: 1, cursor }),
        (cursor?: string) => api.apps.list('acme', { limit: 1, cursor }),
        (cursor?: string) => api.machines.list(app, { limit: 1, cursor }),
        (cursor?: string) => api.orgs.list({ limit: 1, cursor }),
        (cursor?: string) => api.trustPolicies.list('acme', { limit: 1, cursor }),
      ];
      for (const page of pages) {
        const first = await page();
        if (first.next_cursor) await page(first.next_cursor);
      }
    });
    const limited = prepared.filter((source) => /\blimit\b/i.test(source));
    expect(limited.length).toBeGreaterThanOrEqual(8);
    expect(limited.filter((source) => /\blimit\s+\?/i.test(source))).toEqual([]);
  });
});
