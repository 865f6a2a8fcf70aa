import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { admin, client, startServer, withServer } from './helpers.js';

// Found by review (issue #11): a start killed half-way, two servers on one directory, a lost
// master key and a blank admin key file must never leave a data directory unusable or its
// tokens silently dead.

const BIN = fileURLToPath(new URL('../bin/hangar-mock.js', import.meta.url));

let root: string;
let dir: string;
const children: ChildProcess[] = [];
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'hangar-mock-safety-'));
  dir = join(root, 'data');
});
afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
  rmSync(root, { recursive: true, force: true });
});

interface Started {
  child: ChildProcess;
  /** The `--json` line, or undefined when the process exited first. */
  info?: { url: string; token: string };
  code: number | null;
  stderr: string;
}

/** Starts `hangar-mock --json` and resolves at its ready line or its exit, whichever comes first. */
function startBinary(args: string[]): Promise<Started> {
  const child = spawn(process.execPath, [BIN, '--port', '0', '--json', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let stdout = '';
  let stderr = '';
  return new Promise((resolve) => {
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
    });
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
      const newline = stdout.indexOf('\n');
      if (newline >= 0) {
        resolve({ child, info: JSON.parse(stdout.slice(0, newline)), code: null, stderr });
      }
    });
    child.once('exit', (code) => resolve({ child, code, stderr }));
  });
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

/** Runs a statement batch on the data directory's database from outside the server. */
function onDatabase(sql: string): void {
  const db = new BetterSqlite3(join(dir, 'hangar.db'));
  db.exec(sql);
  db.close();
}

describe('a first start that was cut short', () => {
  it('schema created but no seed: the next start seeds it', async () => {
    const first = await startServer({ dataDir: dir });
    await first.close();
    // What a kill between the schema and the seed leaves (each table's rows gone).
    onDatabase(
      'delete from tokens; delete from machines; delete from apps; delete from memberships; delete from orgs; delete from users; delete from settings;',
    );
    await withServer({ dataDir: dir }, async (server) => {
      const orgs = await client(server).orgs.list();
      expect(orgs.items.map((o) => o.slug).sort()).toEqual(['acme', 'dev-personal']);
    });
  });

  it('an empty database file (killed before its first write): the next start works', async () => {
    mkdirSync(dir, { mode: 0o700 });
    writeFileSync(join(dir, 'hangar.db'), '');
    await withServer({ dataDir: dir }, async (server) => {
      expect((await client(server).viewer.get()).user.email).toBe(server.devUser.email);
    });
  });

  it('a server killed with SIGKILL: the next start takes over its lock and its data', async () => {
    const killed = await startBinary(['--data-dir', dir]);
    expect(killed.info, killed.stderr).toBeDefined();
    killed.child.kill('SIGKILL');
    await exited(killed.child);
    expect(readFileSync(join(dir, 'hangar-mock.lock'), 'utf8').trim()).toBe(
      String(killed.child.pid),
    );

    await withServer({ dataDir: dir }, async (server) => {
      expect(server.devToken).toBe(killed.info?.token);
      await client(server).viewer.get();
    });
  });
});

describe('one server per data directory', () => {
  it('two servers starting at once on a new directory: one runs, the other names it', async () => {
    const [a, b] = await Promise.all([
      startBinary(['--data-dir', dir]),
      startBinary(['--data-dir', dir]),
    ]);
    const winners = [a, b].filter((s) => s.info !== undefined);
    const losers = [a, b].filter((s) => s.info === undefined);
    expect(winners.length, `${a.stderr}\n${b.stderr}`).toBe(1);
    const [winner, loser] = [winners[0] as Started, losers[0] as Started];
    expect(loser.code).toBe(1);
    expect(loser.stderr).toBe(
      `hangar-mock: data directory ${dir} is in use by another process (pid ${winner.child.pid}): stop that hangar-mock or use another --data-dir (if no hangar-mock runs there, delete ${join(dir, 'hangar-mock.lock')})\n`,
    );
    await client({ url: winner.info?.url as string }, winner.info?.token).viewer.get();
    winner.child.kill('SIGTERM');
    await exited(winner.child);
    expect(existsSync(join(dir, 'hangar-mock.lock'))).toBe(false);
  });

  it('a second in-process server on a directory in use is refused', async () => {
    await withServer({ dataDir: dir }, async (server) => {
      await expect(startServer({ dataDir: dir })).rejects.toThrow(
        `data directory ${dir} is in use by this process (pid ${process.pid})`,
      );
      await client(server).viewer.get();
    });
    const again = await startServer({ dataDir: dir });
    await again.close();
  });

  it('a stale lock left by a process that is gone does not block', async () => {
    const gone = spawnSync(process.execPath, ['-e', '']).pid;
    mkdirSync(dir, { mode: 0o700 });
    writeFileSync(join(dir, 'hangar-mock.lock'), `${gone}\n`);
    await withServer({ dataDir: dir }, async (_server) => {
      expect(readFileSync(join(dir, 'hangar-mock.lock'), 'utf8')).toBe(`${process.pid}\n`);
    });
    expect(existsSync(join(dir, 'hangar-mock.lock'))).toBe(false);
  });

  it('a lock naming our own pid that this process does not hold (a container restarted as pid 1) is taken over', async () => {
    mkdirSync(dir, { mode: 0o700 });
    writeFileSync(join(dir, 'hangar-mock.lock'), `${process.pid}\n`);
    await withServer({ dataDir: dir }, async (server) => {
      await client(server).viewer.get();
      // Taken, not just ignored: a second server in this process is still refused.
      await expect(startServer({ dataDir: dir })).rejects.toThrow(
        `data directory ${dir} is in use by this process (pid ${process.pid})`,
      );
    });
    expect(existsSync(join(dir, 'hangar-mock.lock'))).toBe(false);
  });
});

describe('key files', () => {
  it('a missing master key with tokens in the database: refused, naming the file and the ways out', async () => {
    const first = await startServer({ dataDir: dir });
    await first.close();
    rmSync(join(dir, 'master.key'));

    const masterKey = join(dir, 'master.key');
    const expected = `${masterKey} is missing, but the database in ${dir} holds tokens signed with it: restore that file, or set HANGAR_MOCK_SECRET to the secret the tokens were made with, or start over with a new --data-dir (or delete ${join(dir, 'hangar.db')})`;
    await expect(startServer({ dataDir: dir })).rejects.toThrow(expected);
    expect(existsSync(masterKey)).toBe(false);

    const cli = await startBinary(['--data-dir', dir]);
    expect(cli.info).toBeUndefined();
    expect(cli.code).toBe(1);
    expect(cli.stderr).toBe(`hangar-mock: ${expected}\n`);
    expect(existsSync(masterKey)).toBe(false);
  });

  it('a hangar.db that is not SQLite: refused, naming the file and what to do', async () => {
    mkdirSync(dir, { mode: 0o700 });
    const db = join(dir, 'hangar.db');
    writeFileSync(db, 'these are not the bytes of a SQLite database, whatever the name says\n');
    const expected = `${db} is not a SQLite database (file is not a database): move it away (the next start makes a new one) or use another --data-dir`;
    await expect(startServer({ dataDir: dir })).rejects.toThrow(expected);

    const cli = await startBinary(['--data-dir', dir]);
    expect(cli.info).toBeUndefined();
    expect(cli.code).toBe(1);
    expect(cli.stderr).toBe(`hangar-mock: ${expected}\n`);
    expect(readFileSync(db, 'utf8')).toMatch(/^these are not the bytes/);
  });

  it('an empty master.key (a start killed while writing it) with no tokens yet is replaced', async () => {
    mkdirSync(dir, { mode: 0o700 });
    const file = join(dir, 'master.key');
    writeFileSync(file, '', { mode: 0o600 });
    await withServer({ dataDir: dir }, async (server) => {
      await client(server).viewer.get();
      expect(statSync(file).size).toBe(32);
    });
  });

  it('a blank admin.key is replaced by a new key (0600) instead of stopping start-up', async () => {
    mkdirSync(dir, { mode: 0o700 });
    const file = join(dir, 'admin.key');
    writeFileSync(file, ' \n', { mode: 0o600 });
    await withServer({ dataDir: dir }, async (server) => {
      expect(server.adminKey).toMatch(/^hma_[\w-]{43}$/);
      expect(readFileSync(file, 'utf8')).toBe(`${server.adminKey}\n`);
      expect(statSync(file).mode & 0o777).toBe(0o600);
      await admin(server, 'GET', '/clock');
    });
  });
});
