import { randomBytes } from 'node:crypto';
import type { components } from '@hangar/sdk';
import { type Action, scopeOf } from '@hangar/tokens';
import { requireWithin } from '../auth/authorize.js';
import { caveatsFor } from '../auth/issue.js';
import { formatTimeMs } from '../clock.js';
import type { HandlerMap } from '../context.js';
import type { TrustPoliciesTable } from '../db/schema.js';
import { oldestFirstPage } from '../pagination.js';
import { problem } from '../problems.js';

type TrustPolicy = components['schemas']['TrustPolicy'];
type CreateTrustPolicyRequest = components['schemas']['CreateTrustPolicyRequest'];

/** The contract's default lifetime of an exchanged token, in seconds (15 minutes). */
export const DEFAULT_GRANT_SECONDS = 900;

/** The API view of a policy row. */
export function trustPolicyView(row: TrustPoliciesTable, orgSlug: string): TrustPolicy {
  const grant: TrustPolicy['grant'] = { kind: row.grant_kind, expires_in: row.expires_in };
  if (row.grant_app_name !== null) grant.app = row.grant_app_name;
  if (row.grant_actions !== null) grant.actions = JSON.parse(row.grant_actions) as Action[];
  return {
    id: row.id,
    name: row.name,
    org: orgSlug,
    issuer: row.issuer,
    audience: row.audience,
    conditions: JSON.parse(row.conditions) as Record<string, string>,
    grant,
    created_by: row.creator_email,
    created_at: formatTimeMs(row.created_at),
  };
}

/** 400 `validation_failed` naming `field`. */
function invalid(field: string, message: string) {
  return problem('validation_failed', `${field}: ${message}`, { errors: [{ field, message }] });
}

/**
 * Trust policies of an organization: list (oldest first, the order exchanges try them), create
 * (org write, within the creator's scope and lifetime by requireWithin, the minting rule of
 * token creation), get, delete. Create and delete are audit events.
 */
export const trustPolicyHandlers = {
  listTrustPolicies(ctx) {
    const org = ctx.authorizeOrg(ctx.params.org);
    const { db } = ctx.services;
    const rows = db.q.selectFrom('trust_policies').selectAll().where('org_id', '=', org.id);
    const page = { ...ctx.query, list: ctx.listKey };
    return {
      status: 200,
      body: oldestFirstPage(db, rows, 'trust_policies', page, (r) => trustPolicyView(r, org.slug)),
    };
  },

  createTrustPolicy(ctx) {
    const org = ctx.authorizeOrg(ctx.params.org);
    const { db, clock } = ctx.services;
    const body: CreateTrustPolicyRequest = ctx.body;
    const { grant } = body;
    let app: { id: string; name: string } | null = null;
    if (grant.kind === 'deploy') {
      if (grant.app === undefined) throw invalid('body.grant.app', 'a deploy grant names its app');
      app =
        db.first(
          db.q
            .selectFrom('apps')
            .select(['id', 'name'])
            .where('name', '=', grant.app)
            .where('org_id', '=', org.id),
        ) ?? null;
      if (!app) throw invalid('body.grant.app', `no app "${grant.app}" in "${org.slug}"`);
    } else if (grant.app !== undefined) {
      throw invalid('body.grant.app', `only a deploy grant names an app; leave it out`);
    }
    if (grant.kind === 'readonly' && grant.actions?.some((a) => a !== 'read')) {
      throw invalid('body.grant.actions', 'a readonly grant can only have read');
    }
    const expiresIn = grant.expires_in ?? DEFAULT_GRANT_SECONDS;
    const now = clock.nowMs();
    const notAfter = Math.floor(now / 1000) + expiresIn;
    const actions = grant.actions ?? null;
    requireWithin(
      ctx.caller,
      scopeOf(caveatsFor(grant.kind, org.id, app?.id ?? null, notAfter, actions)),
    );
    const row: TrustPoliciesTable = {
      id: `tp_${randomBytes(8).toString('hex')}`,
      org_id: org.id,
      name: body.name,
      issuer: body.issuer,
      audience: body.audience,
      conditions: JSON.stringify(body.conditions),
      grant_kind: grant.kind,
      grant_app_id: app?.id ?? null,
      grant_app_name: app?.name ?? null,
      grant_actions: actions ? JSON.stringify(actions) : null,
      expires_in: expiresIn,
      created_by: ctx.caller.user.id,
      creator_email: ctx.caller.user.email,
      created_at: now,
      created_by_token: ctx.caller.token.id,
    };
    db.transaction(() => {
      const taken = db.first(
        db.q
          .selectFrom('trust_policies')
          .select('id')
          .where('org_id', '=', org.id)
          .where('name', '=', body.name),
      );
      if (taken) throw problem('conflict', `A trust policy named "${body.name}" already exists`);
      db.run(db.q.insertInto('trust_policies').values(row));
      ctx.recordEvent({
        type: 'trust_policy.created',
        org,
        app,
        target: { type: 'trust_policy', id: row.id, name: row.name },
      });
    });
    return { status: 201, body: trustPolicyView(row, org.slug) };
  },

  getTrustPolicy(ctx) {
    const org = ctx.authorizeOrg(ctx.params.org);
    return { status: 200, body: trustPolicyView(policyRow(ctx, org.id), org.slug) };
  },

  deleteTrustPolicy(ctx) {
    const org = ctx.authorizeOrg(ctx.params.org);
    const { db } = ctx.services;
    const row = policyRow(ctx, org.id);
    db.transaction(() => {
      db.run(db.q.deleteFrom('trust_policies').where('id', '=', row.id));
      const app =
        row.grant_app_id !== null && row.grant_app_name !== null
          ? { id: row.grant_app_id, name: row.grant_app_name }
          : null;
      ctx.recordEvent({
        type: 'trust_policy.deleted',
        org,
        app,
        target: { type: 'trust_policy', id: row.id, name: row.name },
      });
    });
    return { status: 204 };
  },
} satisfies HandlerMap<
  'listTrustPolicies' | 'createTrustPolicy' | 'getTrustPolicy' | 'deleteTrustPolicy'
>;

/** The policy of the path in org `orgId`. @throws ProblemError 404 `not_found`. */
function policyRow(
  ctx: { params: { policy_id: string }; services: { db: import('../db/database.js').Db } },
  orgId: string,
): TrustPoliciesTable {
  const { db } = ctx.services;
  const row = db.first(
    db.q
      .selectFrom('trust_policies')
      .selectAll()
      .where('id', '=', ctx.params.policy_id)
      .where('org_id', '=', orgId),
  );
  if (!row)
    throw problem('not_found', `No trust policy ${ctx.params.policy_id} in this organization`);
  return row;
}
