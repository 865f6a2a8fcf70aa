import type { components } from '@hangar/sdk';
import type { VisibleOrg } from '../auth/authorize.js';
import type { HandlerMap } from '../context.js';
import { oldestFirstPage } from '../pagination.js';

type Org = components['schemas']['Org'];

/** The API view of an org; `role` is the caller's. */
export function orgView(org: VisibleOrg): Org {
  return { id: org.id, slug: org.slug, name: org.name, type: org.type, role: org.role };
}

/** Organizations: listOrgs (those the token sees, oldest first) and getOrg. */
export const orgHandlers = {
  listOrgs(ctx) {
    const caller = ctx.authorizeCaller();
    const { db } = ctx.services;
    let orgs = db.q
      .selectFrom('orgs')
      .innerJoin('memberships', 'memberships.org_id', 'orgs.id')
      .selectAll('orgs')
      .select('memberships.role')
      .where('memberships.user_id', '=', caller.user.id);
    if (caller.scope.org !== null) orgs = orgs.where('orgs.id', '=', caller.scope.org);
    const page = { ...ctx.query, list: ctx.listKey };
    return { status: 200, body: oldestFirstPage(db, orgs, 'orgs', page, orgView) };
  },

  getOrg(ctx) {
    const org = ctx.authorizeOrg(ctx.params.org);
    return { status: 200, body: orgView(org) };
  },
} satisfies HandlerMap<'listOrgs' | 'getOrg'>;
