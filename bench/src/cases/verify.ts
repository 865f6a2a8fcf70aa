/**
 * Token verification as the server does it on every request, beside the HMAC-SHA256 work it
 * cannot avoid. Subject: decode the token string (prefix, CRC-32, base64url, macaroon v2), check
 * the signature chain, parse 5 caveats, build the scope, authorize one app-level request, then
 * look the identifier up in SQLite for revocation. Baseline: the same number of raw
 * HMAC-SHA256 calls over the same bytes: the server's root-key derivation, libmacaroons' key
 * generator step, the identifier, and one per caveat (8 for 5 caveats). The ratio is the cost of everything that is not cryptography. Target <= 1.5x.
 */
import { createHmac, randomBytes } from 'node:crypto';
import {
  type AccessRequest,
  attenuate,
  type Caveat,
  deriveRootKey,
  formatCaveat,
  mint,
  newIdentifier,
  verify,
} from '@hangar/tokens';
import BetterSqlite3 from 'better-sqlite3';
import { makeRow } from '../report.js';
import { nowMs } from '../stats.js';
import type { BenchCase, CaseContext, Row } from '../types.js';

const ORG = 'org_01bench';
const APP = 'app_01bench';
/** Rows in the revocation table: enough that the lookup is a real B-tree descent. */
const TOKEN_ROWS = 10_000;

interface Fixture {
  token: string;
  identifier: string;
  masterKey: Buffer;
  caveatTexts: string[];
  lookup: BetterSqlite3.Statement;
  close(): void;
}

/** A deploy-style token (org, actions, not-after) attenuated offline with apps and a shorter life. */
function makeFixture(): Fixture {
  const masterKey = randomBytes(32);
  const identifier = newIdentifier();
  const inAYear = Math.floor(Date.now() / 1000) + 365 * 86_400;
  const minted: Caveat[] = [
    { type: 'org', org: ORG },
    { type: 'actions', actions: ['read', 'write', 'create', 'delete', 'control'] },
    { type: 'not-after', notAfter: inAYear },
  ];
  const added: Caveat[] = [
    { type: 'apps', apps: { [APP]: ['read', 'write'] } },
    { type: 'not-after', notAfter: inAYear - 86_400 },
  ];
  const rootKey = deriveRootKey(masterKey, identifier);
  const token = attenuate(mint({ rootKey, identifier, caveats: minted }), added);

  // Same columns as the mock server's tokens table; the lookup reads the whole row, as an
  // authenticating server does (kind, org, creator, revoked_at).
  const db = new BetterSqlite3(':memory:');
  db.exec(`create table tokens (id text primary key, name text not null, kind text not null,
    org_id text, app_id text, created_by text not null, created_at integer not null,
    expires_at integer not null, last_used_at integer, revoked_at integer, parent_id text)`);
  const insert = db.prepare(
    `insert into tokens (id, name, kind, org_id, app_id, created_by, created_at, expires_at)
     values (?, 'Deploy token', 'deploy', ?, ?, 'usr_01bench', ?, ?)`,
  );
  db.transaction(() => {
    for (let i = 0; i < TOKEN_ROWS - 1; i++) insert.run(newIdentifier(), ORG, APP, i, inAYear);
    insert.run(identifier, ORG, APP, TOKEN_ROWS, inAYear);
  })();
  return {
    token,
    identifier,
    masterKey,
    caveatTexts: [...minted, ...added].map(formatCaveat),
    lookup: db.prepare('select * from tokens where id = ?'),
    close: () => db.close(),
  };
}

/** Mean microseconds per call of `fn` over `iterations` calls. */
function microsPerCall(iterations: number, fn: () => void): number {
  const started = nowMs();
  for (let i = 0; i < iterations; i++) fn();
  return ((nowMs() - started) * 1000) / iterations;
}

function verifyOnce(f: Fixture, request: AccessRequest, now: Date): void {
  const result = verify(f.token, (id) => deriveRootKey(f.masterKey, id), request, now);
  if (!result.ok) throw new Error(`bench token did not verify: ${JSON.stringify(result)}`);
  const row = f.lookup.get(result.identifier) as { revoked_at: number | null } | undefined;
  if (!row || row.revoked_at !== null) throw new Error('bench token row missing or revoked');
}

const KEY_GENERATOR = Buffer.from('macaroons-key-generator', 'utf8');

/**
 * The HMAC-SHA256 calls verification makes, raw: root-key derivation, libmacaroons' key
 * generator (HMAC("macaroons-key-generator", root key)), the identifier, then one per caveat.
 */
function hmacsOnce(f: Fixture): void {
  const rootKey = createHmac('sha256', f.masterKey).update(f.identifier, 'utf8').digest();
  const key = createHmac('sha256', KEY_GENERATOR).update(rootKey).digest();
  let sig = createHmac('sha256', key).update(f.identifier, 'utf8').digest();
  for (const text of f.caveatTexts) sig = createHmac('sha256', sig).update(text, 'utf8').digest();
}

export const verifyCase: BenchCase = {
  name: 'verify',
  description:
    'token verification (decode, 5 caveats, revocation lookup) vs the same 8 raw HMAC-SHA256 calls',
  async run(context: CaseContext): Promise<Row[]> {
    const f = makeFixture();
    const request: AccessRequest = { level: 'app', org: ORG, app: APP, action: 'read' };
    const now = new Date();
    const iterations = context.quick ? 5_000 : 20_000;
    const rounds = context.quick ? 3 : 9;
    try {
      // Warm-up: let both paths reach optimized code before anything is recorded.
      microsPerCall(iterations, () => verifyOnce(f, request, now));
      microsPerCall(iterations, () => hmacsOnce(f));
      const subject: number[] = [];
      const baseline: number[] = [];
      for (let round = 0; round < rounds; round++) {
        // Alternate which side goes first so drift in machine load hits both alike.
        const measureSubject = () =>
          subject.push(microsPerCall(iterations, () => verifyOnce(f, request, now)));
        const measureBaseline = () => baseline.push(microsPerCall(iterations, () => hmacsOnce(f)));
        if (round % 2 === 0) {
          measureSubject();
          measureBaseline();
        } else {
          measureBaseline();
          measureSubject();
        }
      }
      context.log(`verify: ${rounds} rounds x ${iterations} calls`);
      return [
        makeRow({
          case: 'verify',
          metric: 'verify + revocation lookup, per token',
          unit: 'us',
          samples: subject,
          baselineName: '8x raw HMAC-SHA256',
          baselineSamples: baseline,
          target: { on: 'ratio', op: '<=', value: 1.5 },
          note: `${f.caveatTexts.length} caveats, ${TOKEN_ROWS} rows in the SQLite table, ${rounds} rounds x ${iterations} calls`,
        }),
      ];
    } finally {
      f.close();
    }
  },
};
