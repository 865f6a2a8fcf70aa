/**
 * Filling an org with 100,000 tokens fast, for the list-at-scale case. Going through the API
 * would take minutes per run (each creation mints, signs and commits); instead the rows are
 * cloned, in one transaction on a second SQLite connection to the server's own database file
 * (WAL lets the server keep running), from tokens the API itself created in that org.
 *
 * Why that is realistic enough for a list benchmark: a token row is all the server keeps (no
 * secret), so a cloned row is indistinguishable from a minted one to every query; the clones get
 * fresh random identifiers, a mix of org and read-only kinds, distinct creation times spread
 * over the past two years (older than the API-made rows, as in a long-lived org), and about
 * one in ten is revoked. What it does not reproduce: the file layout of 100,000 separate commits
 * (the B-tree pages come out denser), and ANALYZE statistics, which neither path creates.
 */
import { newIdentifier } from '@hangar/tokens';
import BetterSqlite3 from 'better-sqlite3';

const TWO_YEARS_MS = 2 * 365 * 86_400_000;

type TokenRow = Record<string, unknown> & { created_at: number; expires_at: number };

/**
 * Adds `count` token rows to the org whose slug is `orgSlug` in the SQLite file `dbFile`, each a
 * copy of that org's oldest existing row (which must exist: create one through the API first)
 * with its own id, name, kind, times and revocation. Every other column (org, creator, the names
 * the server keeps on the row, parent...) is copied as it is, whatever the schema holds, so the
 * clones follow the server's migrations. Returns the number of rows inserted.
 * Throws if the org has no token to copy.
 */
export function cloneTokenRows(dbFile: string, orgSlug: string, count: number): number {
  const db = new BetterSqlite3(dbFile);
  try {
    db.pragma('busy_timeout = 5000');
    const template = db
      .prepare(
        `select tokens.* from tokens join orgs on orgs.id = tokens.org_id
         where orgs.slug = ? order by tokens.created_at limit 1`,
      )
      .get(orgSlug) as TokenRow | undefined;
    if (!template) throw new Error(`org ${orgSlug} has no token to clone`);
    const lifetime = template.expires_at - template.created_at;
    const step = Math.max(1, Math.floor(TWO_YEARS_MS / count));
    const columns = Object.keys(template);
    const insert = db.prepare(
      `insert into tokens (${columns.map((c) => `"${c}"`).join(', ')})
       values (${columns.map((c) => `@${c}`).join(', ')})`,
    );
    db.transaction(() => {
      for (let i = 0; i < count; i++) {
        // Oldest first, all before the template, one `step` apart.
        const createdAt = template.created_at - (count - i) * step;
        const readonly = i % 3 === 0;
        insert.run({
          ...template,
          id: newIdentifier(),
          name: readonly ? `Read-only org token ${i}` : `Org deploy token ${i}`,
          kind: readonly ? 'readonly' : 'org',
          created_at: createdAt,
          expires_at: createdAt + lifetime,
          last_used_at: i % 4 === 0 ? createdAt + step : null,
          revoked_at: i % 10 === 0 ? createdAt + 2 * step : null,
        });
      }
    })();
    return count;
  } finally {
    db.close();
  }
}
