// @ts-check
/**
 * Floor baseline: the work GET /v1/orgs/{org}/tokens cannot skip, on bare Express 5 with no
 * contract validation, CORS or error handling: verify the bearer token (@hangar/tokens: decode,
 * signature chain, caveats), look its row up (revocation), resolve the org among the user's
 * memberships, authorize, read one page of 20 tokens from SQLite (prepared statements, indexed),
 * and send it as JSON in the contract's shape. Its own database (a file in WAL mode, as
 * hangar-mock keeps by default) and master key, so it does not depend on the mock server's schema. It shows how close any server that authenticates
 * and reads SQLite per request can get to "bare Express returning bytes" on this machine.
 * Usage: node minimal-auth.mjs; prints one JSON line {"url","token"} on stdout (a throwaway token).
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { authenticate, authorize, deriveRootKey, mint, newIdentifier } from '@hangar/tokens';
import BetterSqlite3 from 'better-sqlite3';
import express from 'express';

const masterKey = randomBytes(32);
const dataDir = mkdtempSync(join(tmpdir(), 'hangar-bench-floor-'));
const db = new BetterSqlite3(join(dataDir, 'floor.db'));
db.pragma('journal_mode = WAL');
db.pragma('synchronous = NORMAL');
db.exec(`
  create table users (id text primary key, email text not null unique);
  create table orgs (id text primary key, slug text not null unique);
  create table memberships (org_id text not null, user_id text not null, primary key (user_id, org_id));
  create table tokens (id text primary key, name text not null, kind text not null,
    org_id text, created_by text not null, created_at integer not null,
    expires_at integer not null, last_used_at integer, revoked_at integer);
  create index tokens_by_org on tokens (org_id, created_at, id);
  insert into users values ('usr_1', 'dev@hangar.local');
  insert into orgs values ('org_1', 'acme');
  insert into memberships values ('org_1', 'usr_1');
`);
const now = Date.now();
const twentyYears = 631_152_000_000;
const insert = db.prepare('insert into tokens values (?, ?, ?, ?, ?, ?, ?, null, null)');
const personalId = newIdentifier();
insert.run(personalId, 'personal', 'personal', null, 'usr_1', now, now + twentyYears);
for (let i = 0; i < 20; i++) {
  insert.run(
    newIdentifier(),
    `bench token ${i}`,
    'org',
    'org_1',
    'usr_1',
    now + i,
    now + twentyYears,
  );
}
const token = mint({
  rootKey: deriveRootKey(masterKey, personalId),
  identifier: personalId,
  caveats: [{ type: 'not-after', notAfter: Math.floor((now + twentyYears) / 1000) }],
});

// Each statement reads only the columns the answer needs, as arrays (better-sqlite3's raw
// mode), the way hangar-mock reads its hot paths: the floor should be as tight as a server
// doing this work can be, so that it bounds what any such server reaches.
const tokenRow = db
  .prepare('select tokens.revoked_at, tokens.created_by from tokens where tokens.id = ?')
  .raw(true);
const orgOfMember = db
  .prepare(
    'select orgs.id from orgs join memberships m on m.org_id = orgs.id where orgs.slug = ? and m.user_id = ?',
  )
  .raw(true);
const page = db
  .prepare(
    `select tokens.id, tokens.name, tokens.kind, orgs.slug, users.email, tokens.created_at,
       tokens.expires_at, tokens.last_used_at, tokens.revoked_at from tokens
     join users on users.id = tokens.created_by left join orgs on orgs.id = tokens.org_id
     where tokens.org_id = ? and tokens.kind in ('org', 'readonly')
     order by tokens.created_at desc, tokens.id desc limit 21`,
  )
  .raw(true);
/** @param {number | null} ms */
const time = (ms) => (ms === null ? null : new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z'));

/** @param {import('express').Response} res @param {number} status @param {unknown} value */
function sendJson(res, status, value) {
  const body = JSON.stringify(value);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
  });
  res.end(body);
}

const app = express();
app.disable('x-powered-by');
app.set('etag', false);
app.get('/v1/orgs/:org/tokens', (req, res) => {
  const result = authenticate(
    req.headers.authorization ?? '',
    (id) => deriveRootKey(masterKey, id),
    new Date(),
  );
  if (!result.ok) return sendJson(res, 401, { code: result.reason });
  const caller = /** @type {[number | null, string] | undefined} */ (
    tokenRow.get(result.identifier)
  );
  if (!caller || caller[0] !== null) return sendJson(res, 401, { code: 'revoked' });
  const org = /** @type {[string] | undefined} */ (orgOfMember.get(req.params.org, caller[1]));
  if (!org) return sendJson(res, 404, { code: 'not_found' });
  if (!authorize(result.scope, { level: 'org', org: org[0], action: 'read' }).ok) {
    return sendJson(res, 403, { code: 'forbidden' });
  }
  const nowMs = Date.now();
  const rows = /** @type {any[][]} */ (page.all(org[0]));
  const items = rows.slice(0, 20).map((t) => ({
    id: t[0],
    name: t[1],
    kind: t[2],
    org: t[3],
    app: null,
    created_by: t[4],
    created_at: time(t[5]),
    expires_at: time(t[6]),
    last_used_at: time(t[7]),
    revoked_at: time(t[8]),
    status: t[8] !== null ? 'revoked' : nowMs > t[6] ? 'expired' : 'active',
  }));
  sendJson(res, 200, { items, next_cursor: rows.length > 20 ? 'more' : null });
});
const server = app.listen(0, '127.0.0.1', () => {
  const address = server.address();
  if (address && typeof address === 'object') {
    process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${address.port}`, token })}\n`);
  }
});
process.on('SIGTERM', () =>
  server.close(() => {
    db.close();
    rmSync(dataDir, { recursive: true, force: true });
    process.exit(0);
  }),
);
