import type { Kysely } from 'kysely';

/**
 * Stored answers to requests made with an `Idempotency-Key` (idempotency.ts), one per caller
 * scope and key, pruned after the retention window. `body` is the answer with every token string
 * replaced by a marker naming its identifier and caveats: no token secret is stored, the replay
 * re-derives it. `fingerprint` is an HMAC of the method, path and body under the master key, so
 * a login's password cannot be guessed from it.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('idempotency_keys')
    .addColumn('scope', 'text', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('fingerprint', 'text', (c) => c.notNull())
    .addColumn('status', 'integer', (c) => c.notNull())
    .addColumn('content_type', 'text')
    .addColumn('body', 'text')
    .addColumn('created_at', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('idempotency_keys_pk', ['scope', 'key'])
    .execute();
  await db.schema
    .createIndex('idempotency_keys_created_at')
    .on('idempotency_keys')
    .column('created_at')
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('idempotency_keys').execute();
}
