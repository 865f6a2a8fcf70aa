import { describe, expect, it } from 'vitest';
import { Db } from '../src/db/database.js';
import { client, startServer } from './helpers.js';

// In-memory databases after the first are copies of one migrated image (db/database.ts): each
// must still be a database of its own, fully migrated, with nothing of another in it.
describe('in-memory databases', () => {
  it('each later one is fully migrated and shares no row with another', async () => {
    const first = new Db(':memory:');
    await first.migrateAndSeed(() => {});
    const second = new Db(':memory:');
    const third = new Db(':memory:');
    await second.migrateAndSeed(() => {
      second.sqlite
        .prepare(
          "insert into users (id, email, password_hash, created_at) values ('usr_a', 'a@example.com', 'x', 0)",
        )
        .run();
    });
    await third.migrateAndSeed(() => {});
    const tables = (db: Db) =>
      db.sqlite
        .prepare("select name from sqlite_master where type in ('table', 'index') order by name")
        .pluck()
        .all();
    expect(tables(second)).toEqual(tables(first));
    expect(tables(third)).toEqual(tables(first));
    const users = (db: Db) => db.sqlite.prepare('select email from users').pluck().all();
    expect(users(second)).toEqual(['a@example.com']);
    expect(users(third)).toEqual([]);
    expect(users(first)).toEqual([]);
    expect(second.sqlite.pragma('foreign_keys', { simple: true })).toBe(1);
    for (const db of [first, second, third]) db.close();
  });

  it('servers started one after another in one process each keep their own state', async () => {
    const a = await startServer();
    const b = await startServer();
    try {
      const created = await client(a).tokens.createOrg('acme', { name: 'only in a' });
      const listA = await client(a).tokens.listOrg('acme');
      const listB = await client(b).tokens.listOrg('acme');
      expect(listA.items.map((t) => t.id)).toContain(created.id);
      expect(listB.items.map((t) => t.id)).not.toContain(created.id);
    } finally {
      await a.close();
      await b.close();
    }
  });
});
