import type { Kysely } from 'kysely';

/**
 * The token that created a trust policy (`created_by_token`, its macaroon identifier): an
 * exchange under the policy is refused once that token is no longer usable (revoked, expired,
 * or rotated past its grace), so a policy never outlives its creator's token
 * (routes/token-exchange.ts). Rows created before this migration have null there and keep the
 * older rule: they are checked only for their creator's membership.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('trust_policies').addColumn('created_by_token', 'text').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('trust_policies').dropColumn('created_by_token').execute();
}
