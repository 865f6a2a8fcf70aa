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

interface TemplateRow {
  org_id: string;
  created_by: string;
  parent_id: string | null;
  created_at: number;
  expires_at: number;
}

/**
 * Adds `count` token rows to the org whose slug is `orgSlug` in the SQLite file `dbFile`,
 * modelled on that org's newest existing row (which must exist: create one through the API
 * first). Returns the number of rows inserted. Throws if the org has no token to copy.
 */
export function cloneTokenRows(dbFile: string, orgSlug: string, count: number): number {
  const db = new BetterSqlite3(dbFile);
  try {
    db.pragma('busy_timeout = 5000');
    const template = db
      .prepare(
        `select tokens.org_id, tokens.created_by, tokens.parent_id, tokens.created_at,
           tokens.expires_at from tokens join orgs on orgs.id = tokens.org_id
         where orgs.slug = ? order by tokens.created_at limit 1`,
      )
      .get(orgSlug) as TemplateRow | undefined;
    if (!template) throw new Error(`org ${orgSlug} has no token to clone`);
    const lifetime = template.expires_at - template.created_at;
    const step = Math.max(1, Math.floor(TWO_YEARS_MS / count));
    const insert = db.prepare(
      `insert into tokens (id, name, kind, org_id, app_id, created_by, created_at, expires_at,
         last_used_at, revoked_at, parent_id)
       values (?, ?, ?, ?, null, ?, ?, ?, ?, ?, ?)`,
    );
    db.transaction(() => {
      for (let i = 0; i < count; i++) {
        // Oldest first, all before the template, one `step` apart.
        const createdAt = template.created_at - (count - i) * step;
        const readonly = i % 3 === 0;
        insert.run(
          newIdentifier(),
          readonly ? `Read-only org token ${i}` : `Org deploy token ${i}`,
          readonly ? 'readonly' : 'org',
          template.org_id,
          template.created_by,
          createdAt,
          createdAt + lifetime,
          i % 4 === 0 ? createdAt + step : null,
          i % 10 === 0 ? createdAt + 2 * step : null,
          template.parent_id,
        );
      }
    })();
    return count;
  } finally {
    db.close();
  }
}
