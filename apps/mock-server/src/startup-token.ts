import { issuePersonalToken, remintToken } from './auth/issue.js';
import type { TokensTable } from './db/schema.js';
import type { Services } from './services.js';

/** The settings key holding the start-up token's identifier. */
const STARTUP_TOKEN_KEY = 'startup_token_id';
const STARTUP_TOKEN_NAME = 'hangar-mock start-up token';

/**
 * The personal token `hangar-mock` prints at start-up for the user `userId`. A restart on the
 * same data directory gives back the same token (re-minted from its recorded identifier, so no
 * secret is stored) while it is active; once it is revoked, rotated, expired or gone, or belongs to
 * another user, a new one is issued and its identifier recorded.
 * @returns the token row and its string.
 */
export function startupToken(
  services: Services,
  userId: string,
): { row: TokensTable; secret: string } {
  const { db, clock, masterKey } = services;
  return db.transaction(() => {
    const id = db.first(
      db.q.selectFrom('settings').select('value').where('key', '=', STARTUP_TOKEN_KEY),
    )?.value;
    const row = id
      ? db.first(db.q.selectFrom('tokens').selectAll().where('id', '=', id))
      : undefined;
    const reusable =
      row !== undefined &&
      row.kind === 'personal' &&
      row.created_by === userId &&
      row.revoked_at === null &&
      row.replaced_by === null &&
      row.expires_at > clock.nowMs();
    if (reusable) return { row, secret: remintToken(masterKey, row) };

    const issued = issuePersonalToken(services, userId, STARTUP_TOKEN_NAME);
    db.run(
      db.q
        .insertInto('settings')
        .values({ key: STARTUP_TOKEN_KEY, value: issued.row.id })
        .onConflict((oc) => oc.column('key').doUpdateSet({ value: issued.row.id })),
    );
    return issued;
  });
}
