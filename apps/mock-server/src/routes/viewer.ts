import type { components } from '@hangar/sdk';
import { type Kysely, sql } from 'kysely';
import type { Caller } from '../auth/authenticate.js';
import { formatTimeMs } from '../clock.js';
import type { HandlerMap } from '../context.js';
import type { Db } from '../db/database.js';
import type { Database } from '../db/schema.js';
import { tokenRow, tokenView } from './tokens.js';

/** The contract's `Scope` schema: the caller's scope as `GET /v1/viewer` shows it (names). */
type ViewerScope = components['schemas']['Scope'];

/** An org's slug by id, if the user is a member of it (prepared once). */
const memberOrgSlug = (q: Kysely<Database>, p: { orgId: string; userId: string }) =>
  q
    .selectFrom('orgs')
    .innerJoin('memberships', 'memberships.org_id', 'orgs.id')
    .select('orgs.slug')
    .where('orgs.id', '=', p.orgId)
    .where('memberships.user_id', '=', p.userId);

/**
 * Apps among `ids` (a JSON array of app ids) in orgs the user is a member of. One statement for
 * any number of ids: the list is one bound JSON text read by `json_each`, not one `?` per id,
 * which would prepare a new statement for every list length.
 */
const memberAppNames = (q: Kysely<Database>, p: { ids: string; userId: string }) =>
  q
    .selectFrom('apps')
    .innerJoin('memberships', 'memberships.org_id', 'apps.org_id')
    .select(['apps.id', 'apps.name', 'apps.org_id'])
    .where('memberships.user_id', '=', p.userId)
    .where('apps.id', 'in', sql<string>`(select value from json_each(${p.ids}))`);

/**
 * The caller's effective scope with ids turned into the slug and app names the API shows, only
 * for what the caller can see: its user's orgs and their apps (within the token's org, if it is
 * limited to one). Any other id in a caveat (caveats can be added offline, naming anything) stays
 * an id, so the viewer never tells a name the caller could not read elsewhere.
 */
function scopeView(db: Db, caller: Caller): ViewerScope {
  const { scope } = caller;
  const userId = caller.user.id;
  const org =
    scope.org === null
      ? null
      : (db.firstWith(memberOrgSlug, { orgId: scope.org, userId })?.slug ?? scope.org);
  let apps: string[] | null = null;
  if (scope.apps !== null) {
    const ids = Object.keys(scope.apps);
    const names = new Map<string, string>();
    if (ids.length > 0) {
      for (const app of db.allWith(memberAppNames, { ids: JSON.stringify(ids), userId })) {
        if (scope.org === null || scope.org === app.org_id) names.set(app.id, app.name);
      }
    }
    // An app deleted since the token was minted keeps its id too: there is no name to show.
    apps = ids.map((id) => names.get(id) ?? id);
  }
  return {
    org,
    apps,
    actions: [...scope.actions],
    expires_at: scope.notAfter === null ? null : formatTimeMs(scope.notAfter * 1000),
  };
}

/**
 * The viewer: getViewer (who is calling, with which token and scope). revokeCurrentToken
 * (`DELETE /v1/viewer/token`) is a token operation: see tokens.ts.
 */
export const viewerHandlers = {
  getViewer(ctx) {
    const caller = ctx.authorizeCaller();
    const { db, clock } = ctx.services;
    const row = tokenRow(db, caller.token.id);
    const now = clock.nowMs();
    return {
      status: 200,
      body: { user: caller.user, token: tokenView(row, now), scope: scopeView(db, caller) },
    };
  },
} satisfies HandlerMap<'getViewer'>;
