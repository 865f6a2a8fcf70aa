import type { Kysely } from 'kysely';

/**
 * Server settings that must survive a restart, as key/value text. First key:
 * `startup_token_id`, the identifier of the start-up personal token, so a restart re-mints that
 * same token instead of piling up new 30-year ones (no secret is stored: the token string is
 * re-derived from the master key, the identifier and the caveats).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('settings')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('settings').execute();
}
