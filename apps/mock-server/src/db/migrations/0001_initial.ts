import { type Kysely, sql } from 'kysely';

/**
 * The first schema. Lists page on (created_at, id), newest first, so every list has an index
 * ending in those two columns; token lists use partial indexes so a page stays one index range
 * scan with 100,000 tokens in one org.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('users')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('email', 'text', (c) => c.notNull().unique())
    .addColumn('password_hash', 'text', (c) => c.notNull())
    .addColumn('created_at', 'integer', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('orgs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('slug', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull().check(sql`type in ('personal', 'shared')`))
    .addColumn('created_at', 'integer', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('memberships')
    .addColumn('org_id', 'text', (c) => c.notNull().references('orgs.id').onDelete('cascade'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('role', 'text', (c) => c.notNull().check(sql`role in ('admin', 'member')`))
    .addColumn('created_at', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('memberships_pk', ['user_id', 'org_id'])
    .execute();

  await db.schema
    .createTable('apps')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull().unique())
    .addColumn('org_id', 'text', (c) => c.notNull().references('orgs.id').onDelete('cascade'))
    .addColumn('created_at', 'integer', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('apps_by_org')
    .on('apps')
    .columns(['org_id', 'created_at', 'id'])
    .execute();

  await db.schema
    .createTable('machines')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('app_id', 'text', (c) => c.notNull().references('apps.id').onDelete('cascade'))
    .addColumn('state', 'text', (c) => c.notNull().check(sql`state in ('started', 'stopped')`))
    .addColumn('image', 'text', (c) => c.notNull())
    .addColumn('region', 'text', (c) => c.notNull())
    .addColumn('created_at', 'integer', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('machines_by_app')
    .on('machines')
    .columns(['app_id', 'created_at', 'id'])
    .execute();

  await db.schema
    .createTable('tokens')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) =>
      c.notNull().check(sql`kind in ('personal', 'org', 'readonly', 'deploy')`),
    )
    .addColumn('org_id', 'text', (c) => c.references('orgs.id').onDelete('cascade'))
    .addColumn('app_id', 'text', (c) => c.references('apps.id').onDelete('set null'))
    .addColumn('created_by', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('created_at', 'integer', (c) => c.notNull())
    .addColumn('expires_at', 'integer', (c) => c.notNull())
    .addColumn('last_used_at', 'integer')
    .addColumn('revoked_at', 'integer')
    .addColumn('parent_id', 'text')
    .execute();
  // listOrgTokens: `where org_id = ? and kind in ('org', 'readonly')` — the query repeats this
  // exact predicate so SQLite can use the partial index.
  await db.schema
    .createIndex('tokens_org_list')
    .on('tokens')
    .columns(['org_id', 'created_at', 'id'])
    .where(sql.ref('kind'), 'in', ['org', 'readonly'])
    .execute();
  await db.schema
    .createIndex('tokens_app_list')
    .on('tokens')
    .columns(['app_id', 'created_at', 'id'])
    .where(sql.ref('kind'), '=', 'deploy')
    .execute();
  await db.schema.createIndex('tokens_by_creator').on('tokens').column('created_by').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['tokens', 'machines', 'apps', 'memberships', 'orgs', 'users']) {
    await db.schema.dropTable(table).execute();
  }
}
