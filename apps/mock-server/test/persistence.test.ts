import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Db } from '../src/db/database.js';
import {
  orgTokensAfter,
  orgTokensFirst,
  personalTokensAfter,
  personalTokensFirst,
} from '../src/routes/tokens.js';
import { admin, client, expectProblem, startServer } from './helpers.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'hangar-mock-test-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const mode = (path: string) => statSync(path).mode & 0o777;

describe('a data directory', () => {
  it('keeps data across a restart, without re-seeding', async () => {
    const dataDir = join(dir, 'data');
    const first = await startServer({ dataDir });
    const hangar = client(first);
    await hangar.apps.create('acme', 'kept');
    await hangar.apps.delete('acme-api');
    const org = await hangar.tokens.createOrg('acme', { name: 'survivor' });
    const revoked = await hangar.tokens.createOrg('acme');
    await hangar.tokens.revoke(revoked.id);
    await first.close();

    const second = await startServer({ dataDir });
    expect(second.adminKey).toBe(first.adminKey);
    const again = client(second);
    expect((await again.apps.list('acme')).items.map((a) => a.name)).toEqual(['acme-web', 'kept']);
    // Tokens minted before the restart still verify: the master key is kept in the data dir.
    expect((await client(second, org.token).viewer.get()).token.name).toBe('survivor');
    await expectProblem(client(second, revoked.token).viewer.get(), 401, 'token_revoked');
    // The previous start-up token is still a valid personal token too.
    await client(second, first.devToken).viewer.get();
    await second.close();
  });

  it('keeps its secrets private: directory 0700, key files and database 0600', async () => {
    const dataDir = join(dir, 'private');
    const server = await startServer({ dataDir });
    await server.close();
    expect(mode(dataDir)).toBe(0o700);
    for (const file of ['master.key', 'admin.key', 'hangar.db'])
      expect(mode(join(dataDir, file))).toBe(0o600);
    expect(statSync(join(dataDir, 'master.key')).size).toBe(32);
  });

  it('a master key given as a secret replaces the key file', async () => {
    const secret = 'a'.repeat(64);
    const first = await startServer({ dataDir: join(dir, 'a'), masterKey: secret });
    const org = await client(first).tokens.createOrg('acme');
    await first.close();
    const second = await startServer({ dataDir: join(dir, 'a'), masterKey: 'b'.repeat(64) });
    await expectProblem(client(second, org.token).viewer.get(), 401, 'token_invalid');
    await second.close();
  });

  it('finishes in-flight requests on close and loses nothing acknowledged', async () => {
    const dataDir = join(dir, 'graceful');
    const server = await startServer({ dataDir });
    const hangar = client(server);
    const created = await hangar.tokens.createOrg('acme', { name: 'just before close' });
    // A login spends ~100 ms in scrypt: close() is called once the server has received it
    // (Node's documented `http.server.request.start` diagnostics channel), so it is in flight.
    const received = new Promise<void>((resolve) => {
      const onRequest = () => {
        unsubscribe('http.server.request.start', onRequest);
        resolve();
      };
      subscribe('http.server.request.start', onRequest);
    });
    const login = hangar.sessions.create(server.devUser.email, server.devUser.password);
    await received;
    const closed = server.close();
    const session = await login;
    await closed;
    await expectProblem(hangar.viewer.get(), 0, 'network_error');

    const restarted = await startServer({ dataDir });
    await client(restarted, created.token).viewer.get();
    expect((await client(restarted, session.token).viewer.get()).token.kind).toBe('personal');
    await restarted.close();
  });

  it('keeps the admin clock across a restart: an expired token stays expired', async () => {
    const dataDir = join(dir, 'clock');
    const first = await startServer({ dataDir });
    const short = await client(first).tokens.createOrg('acme', { expiresIn: '1h' });
    const advanced = Date.parse(
      (await admin(first, 'POST', '/clock', { advance_seconds: 2 * 3600 })).now as string,
    );
    await expectProblem(client(first, short.token).viewer.get(), 401, 'token_expired');
    await first.close();

    const second = await startServer({ dataDir });
    const now = Date.parse((await admin(second, 'GET', '/clock')).now as string);
    expect(now).toBeGreaterThanOrEqual(advanced);
    await expectProblem(client(second, short.token).viewer.get(), 401, 'token_expired');
    // `/_admin/reset` goes back to real time, and that is kept too.
    await admin(second, 'POST', '/reset');
    await second.close();
    const third = await startServer({ dataDir });
    const reset = Date.parse((await admin(third, 'GET', '/clock')).now as string);
    expect(reset).toBeLessThan(advanced - 3600 * 1000);
    await third.close();
  });
});

describe('token list at scale', () => {
  it('a page of an org with 100,000 tokens is one index range scan', async () => {
    const db = new Db(':memory:');
    await db.migrate();
    const explain = (after: boolean) => {
      const params = { orgId: 'org_1', take: 21, status: 'all', now: 1, createdAt: 1, id: 'tok_x' };
      const query = after ? orgTokensAfter(db.q, params) : orgTokensFirst(db.q, params);
      const { sql, parameters } = query.compile();
      return db.sqlite
        .prepare(`explain query plan ${sql}`)
        .all(parameters as unknown[])
        .map((row) => (row as { detail: string }).detail)
        .join('\n');
    };
    for (const plan of [explain(false), explain(true)]) {
      expect(plan).toMatch(/USING INDEX tokens_org_list/);
      expect(plan).not.toMatch(/TEMP B-TREE/);
    }
    db.close();
  });

  it('a page of personal tokens, with a status filter, is one range scan of tokens_personal_list', async () => {
    const db = new Db(':memory:');
    await db.migrate();
    const params = {
      userId: 'usr_1',
      take: 21,
      status: 'active',
      now: 1,
      createdAt: 1,
      id: 'tok_x',
    };
    for (const query of [personalTokensFirst(db.q, params), personalTokensAfter(db.q, params)]) {
      const { sql, parameters } = query.compile();
      const plan = db.sqlite
        .prepare(`explain query plan ${sql}`)
        .all(parameters as unknown[])
        .map((row) => (row as { detail: string }).detail)
        .join('\n');
      expect(plan).toMatch(/USING INDEX tokens_personal_list/);
      expect(plan).not.toMatch(/TEMP B-TREE/);
    }
    db.close();
  });
});
