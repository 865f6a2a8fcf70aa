/**
 * Token verification as the server does it on every request, beside the HMAC-SHA256 work it
 * cannot avoid. The token part is the token-verify benchmark (`../token-verify.ts`: decode,
 * signature chain, 5 caveats, authorize, beside the same 7 raw HMAC-SHA256 calls, interleaved),
 * reused rather than copied. This case adds what the issue also counts: the revocation lookup,
 * the mock server's query (the caller's columns of the token row by identifier) as a prepared
 * better-sqlite3 statement over a table of 10,000 tokens. Per round:
 *   subject  = verify us + lookup us      baseline = raw HMAC us      target: ratio <= 1.5
 */
import { newIdentifier } from '@hangar/tokens';
import BetterSqlite3 from 'better-sqlite3';
import { makeRow } from '../report.js';
import { runVerifyBenchmark } from '../token-verify.js';
import type { BenchCase, CaseContext, Row } from '../types.js';

/** Rows in the revocation table: enough that the lookup is a real B-tree descent. */
const TOKEN_ROWS = 10_000;

interface RevocationTable {
  identifier: string;
  lookup: BetterSqlite3.Statement;
  close(): void;
}

/**
 * An in-memory copy of the mock server's tokens table (its columns as of migration 0002, which
 * keeps the org slug, app name and creator email on the row), filled with deploy tokens.
 */
function makeRevocationTable(): RevocationTable {
  const db = new BetterSqlite3(':memory:');
  db.exec(`create table tokens (id text primary key, name text not null, kind text not null,
      org_id text, app_id text, created_by text not null, created_at integer not null,
      expires_at integer not null, last_used_at integer, revoked_at integer, parent_id text,
      org_slug text, app_name text, creator_email text not null default '')`);
  const insert = db.prepare(
    `insert into tokens (id, name, kind, org_id, app_id, created_by, created_at, expires_at,
       parent_id, org_slug, app_name, creator_email)
     values (?, 'Deploy token', 'deploy', 'org_01bench', 'app_01bench', 'usr_01bench', ?, ?,
       ?, 'acme', 'acme-web', 'dev@hangar.local')`,
  );
  const identifier = newIdentifier();
  const parent = newIdentifier();
  db.transaction(() => {
    for (let i = 0; i < TOKEN_ROWS - 1; i++) insert.run(newIdentifier(), i, 2 ** 40, parent);
    insert.run(identifier, TOKEN_ROWS, 2 ** 40, parent);
  })();
  // What apps/mock-server/src/auth/authenticate.ts asks on every request (callerRowById): the
  // four columns a request needs, read in raw mode (an array, no object per row).
  const lookup = db
    .prepare('select revoked_at, last_used_at, created_by, creator_email from tokens where id = ?')
    .raw(true);
  return { identifier, lookup, close: () => db.close() };
}

/**
 * Mean microseconds of process CPU time (user + system, as token-verify.ts measures, so
 * the two add up) per revocation lookup over `iterations` calls. Throws if the row is missing.
 */
function lookupMicros(table: RevocationTable, iterations: number): number {
  const started = process.cpuUsage();
  for (let i = 0; i < iterations; i++) {
    const row = table.lookup.get(table.identifier) as [revokedAt: number | null] | undefined;
    if (!row || row[0] !== null) throw new Error('bench token row missing or revoked');
  }
  const used = process.cpuUsage(started);
  return (used.user + used.system) / iterations;
}

export const verifyCase: BenchCase = {
  name: 'verify',
  description:
    'token verification (decode, 5 caveats, revocation lookup) vs the same raw HMAC-SHA256 calls',
  async run(context: CaseContext): Promise<Row[]> {
    const iterations = context.quick ? 5_000 : 20_000;
    const rounds = context.quick ? 3 : 9;
    const table = makeRevocationTable();
    try {
      lookupMicros(table, iterations); // warm-up
      const library: number[] = [];
      const withLookup: number[] = [];
      const hmac: number[] = [];
      let hmacCalls = 0;
      for (let round = 0; round < rounds; round++) {
        const result = runVerifyBenchmark({ iterations, rounds: 1 });
        const lookupUs = lookupMicros(table, iterations);
        library.push(result.verifyUs);
        withLookup.push(result.verifyUs + lookupUs);
        hmac.push(result.hmacUs);
        hmacCalls = result.hmacCalls;
      }
      context.log(`verify: ${rounds} rounds x ${iterations} calls`);
      const baselineName = `${hmacCalls}x raw HMAC-SHA256`;
      const note = `5 caveats; ${rounds} rounds x ${iterations} calls; verify from token-verify.ts`;
      return [
        makeRow({
          case: 'verify',
          metric: 'verify + revocation lookup (SQLite)',
          unit: 'us',
          samples: withLookup,
          baselineName,
          baselineSamples: hmac,
          target: { on: 'ratio', op: '<=', value: 1.5 },
          note: `${note}; lookup: the caller columns by id, prepared, raw, ${TOKEN_ROWS} rows`,
        }),
        makeRow({
          case: 'verify',
          metric: 'verify only (@hangar/tokens)',
          unit: 'us',
          samples: library,
          baselineName,
          baselineSamples: hmac,
          note,
        }),
      ];
    } finally {
      table.close();
    }
  },
};
