// @ts-check
/**
 * hangar-mock used in-process, as a test suite does, timed inside one fresh Node process:
 * - `importMs`: `import('@hangar/mock-server')`;
 * - `firstMs`: the first `startMockServer({ port: 0, memory: true })` to its first 200
 *   (`GET /v1/viewer` with the dev token), then its close;
 * - `laterMs`: each of `later` further starts to their first 200 (closing each);
 * - `resetMs`: `POST /_admin/reset` round trips on a server started on a fresh data directory
 *   (file-backed SQLite, WAL, as `hangar-mock` keeps it), 5 org tokens created before each;
 * - `writeMs`: a single SQLite write beside it: one autocommitted INSERT into a file database
 *   with the same settings (WAL, synchronous NORMAL), through better-sqlite3.
 * Usage: node in-process-start.mjs <work-dir> [later=5] [resets=30]; prints one JSON line.
 */
import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';

const [work, laterArg = '5', resetsArg = '30'] = process.argv.slice(2);
if (!work) throw new Error('usage: in-process-start.mjs <work-dir> [later] [resets]');

const startedAt = performance.now();
const { startMockServer } = await import('@hangar/mock-server');
const importMs = performance.now() - startedAt;

/** Starts a server, waits for its first 200 and returns the milliseconds it took, then closes it. */
async function startToFirst200() {
  const began = performance.now();
  const server = await startMockServer({ port: 0, memory: true });
  const res = await fetch(`${server.url}/v1/viewer`, {
    headers: { authorization: `Bearer ${server.devToken}` },
  });
  await res.arrayBuffer();
  const elapsed = performance.now() - began;
  await server.close();
  if (res.status !== 200) throw new Error(`first request answered ${res.status}`);
  return elapsed;
}

const firstMs = await startToFirst200();
const laterMs = [];
for (let i = 0; i < Number(laterArg); i++) laterMs.push(await startToFirst200());

const server = await startMockServer({ port: 0, dataDir: mkdtempSync(join(work, 'reset-')) });
const auth = { authorization: `Bearer ${server.devToken}`, 'content-type': 'application/json' };
const resetMs = [];
for (let i = 0; i < Number(resetsArg); i++) {
  for (let n = 0; n < 5; n++) {
    const created = await fetch(`${server.url}/v1/orgs/acme/tokens/org`, {
      method: 'POST',
      headers: auth,
      body: JSON.stringify({ name: `reset ${i}.${n}` }),
    });
    if (created.status !== 201) throw new Error(`token creation answered ${created.status}`);
    await created.arrayBuffer();
  }
  const began = performance.now();
  const res = await fetch(`${server.url}/_admin/reset`, {
    method: 'POST',
    headers: { 'x-hangar-admin-key': server.adminKey },
  });
  await res.arrayBuffer();
  resetMs.push(performance.now() - began);
  if (res.status >= 300) throw new Error(`reset answered ${res.status}`);
}
await server.close();

const { default: BetterSqlite3 } = await import('better-sqlite3');
const db = new BetterSqlite3(join(mkdtempSync(join(work, 'write-')), 'one.db'));
db.pragma('journal_mode = WAL');
db.pragma('synchronous = NORMAL');
db.exec('CREATE TABLE t (id TEXT PRIMARY KEY, name TEXT NOT NULL, created_at INTEGER NOT NULL)');
const insert = db.prepare('INSERT INTO t (id, name, created_at) VALUES (?, ?, ?)');
const writeMs = [];
for (let i = 0; i < Number(resetsArg); i++) {
  const began = performance.now();
  insert.run(`row-${i}`, `name ${i}`, Date.now());
  writeMs.push(performance.now() - began);
}
db.close();

process.stdout.write(`${JSON.stringify({ importMs, firstMs, laterMs, resetMs, writeMs })}\n`);
