import { type Kysely, sql } from 'kysely';

/**
 * Token rotation (rotateToken, rotateCurrentToken): `rotated_at` is when a rotated token is
 * refused (the rotation time plus its grace period), `replaced_by` and `replaces` link the old
 * and the new token. Plus the index listPersonalTokens pages on: a user's personal tokens,
 * newest first, as the other token lists do (docs/architecture.md).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('tokens').addColumn('rotated_at', 'integer').execute();
  await db.schema.alterTable('tokens').addColumn('replaced_by', 'text').execute();
  await db.schema.alterTable('tokens').addColumn('replaces', 'text').execute();
  // listPersonalTokens: `where created_by = ? and kind = 'personal'`, the query repeats it.
  await db.schema
    .createIndex('tokens_personal_list')
    .on('tokens')
    .columns(['created_by', 'created_at', 'id'])
    .where(sql.ref('kind'), '=', 'personal')
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('tokens_personal_list').execute();
  for (const column of ['replaces', 'replaced_by', 'rotated_at']) {
    await db.schema.alterTable('tokens').dropColumn(column).execute();
  }
}
