import type { Kysely } from 'kysely';

/**
 * The OIDC ID tokens already exchanged (routes/token-exchange.ts), by issuer and `jti`: an ID
 * token is exchanged once (as PyPI's trusted publishing refuses a reused `jti`). `expires_at`
 * (ms of server clock) is when the ID token can no longer verify anyway; rows past it are
 * purged on the next successful exchange, so the table holds only ID tokens still alive.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('used_id_tokens')
    .addColumn('issuer', 'text', (c) => c.notNull())
    .addColumn('jti', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('used_id_tokens_pk', ['issuer', 'jti'])
    .execute();
  await db.schema
    .createIndex('used_id_tokens_expires_at')
    .on('used_id_tokens')
    .column('expires_at')
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('used_id_tokens').execute();
}
