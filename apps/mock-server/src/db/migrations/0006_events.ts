import type { Kysely } from 'kysely';

/**
 * The audit log (routes/events.ts, events.ts). Names are copied into each row (org slug, app
 * name, actor email) so an event outlives the app or token it names; no foreign keys for the
 * same reason. Lists page newest first on (created_at, id) per org and per app.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('created_at', 'integer', (c) => c.notNull())
    .addColumn('org_id', 'text', (c) => c.notNull())
    .addColumn('org_slug', 'text', (c) => c.notNull())
    .addColumn('app_id', 'text')
    .addColumn('app_name', 'text')
    .addColumn('actor_token_id', 'text')
    .addColumn('actor_token_kind', 'text')
    .addColumn('actor_email', 'text', (c) => c.notNull())
    .addColumn('target_type', 'text', (c) => c.notNull())
    .addColumn('target_id', 'text', (c) => c.notNull())
    .addColumn('target_name', 'text')
    .addColumn('request_id', 'text', (c) => c.notNull())
    .addColumn('source_ip', 'text')
    .addColumn('user_agent', 'text')
    .execute();
  await db.schema
    .createIndex('events_by_org')
    .on('events')
    .columns(['org_id', 'created_at', 'id'])
    .execute();
  await db.schema
    .createIndex('events_by_app')
    .on('events')
    .columns(['app_id', 'created_at', 'id'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('events').execute();
}
