import type { Kysely } from 'kysely';

/**
 * Trust policies (routes/trust-policies.ts) and what an exchange (routes/token-exchange.ts)
 * needs around them: a token's narrower `actions` (JSON array, null for the kind's own), so the
 * same token string can be minted again (auth/issue.ts remintToken) and a rotation keeps them;
 * and on events, the OIDC subject and the policy of a `token.exchanged` actor.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('trust_policies')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('issuer', 'text', (c) => c.notNull())
    .addColumn('audience', 'text', (c) => c.notNull())
    .addColumn('conditions', 'text', (c) => c.notNull())
    .addColumn('grant_kind', 'text', (c) => c.notNull())
    .addColumn('grant_app_id', 'text')
    .addColumn('grant_app_name', 'text')
    .addColumn('grant_actions', 'text')
    .addColumn('expires_in', 'integer', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('creator_email', 'text', (c) => c.notNull())
    .addColumn('created_at', 'integer', (c) => c.notNull())
    .addUniqueConstraint('trust_policies_org_name', ['org_id', 'name'])
    .execute();
  await db.schema
    .createIndex('trust_policies_by_org')
    .on('trust_policies')
    .columns(['org_id', 'created_at', 'id'])
    .execute();
  await db.schema.alterTable('tokens').addColumn('actions', 'text').execute();
  await db.schema.alterTable('events').addColumn('actor_subject', 'text').execute();
  await db.schema.alterTable('events').addColumn('actor_trust_policy', 'text').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('trust_policies').execute();
  await db.schema.alterTable('tokens').dropColumn('actions').execute();
  await db.schema.alterTable('events').dropColumn('actor_subject').execute();
  await db.schema.alterTable('events').dropColumn('actor_trust_policy').execute();
}
