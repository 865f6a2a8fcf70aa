import { type Kysely, sql } from 'kysely';

/**
 * Tokens keep the names their API view shows (org slug, app name, creator email: none of them can
 * change), so a token list page reads one table with no joins, and a deploy token still names its
 * app after the app is deleted.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('tokens').addColumn('org_slug', 'text').execute();
  await db.schema.alterTable('tokens').addColumn('app_name', 'text').execute();
  await db.schema
    .alterTable('tokens')
    .addColumn('creator_email', 'text', (c) => c.notNull().defaultTo(''))
    .execute();
  await sql`update tokens set
    org_slug = (select slug from orgs where orgs.id = tokens.org_id),
    app_name = (select name from apps where apps.id = tokens.app_id),
    creator_email = (select email from users where users.id = tokens.created_by)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const column of ['creator_email', 'app_name', 'org_slug']) {
    await db.schema.alterTable('tokens').dropColumn(column).execute();
  }
}
