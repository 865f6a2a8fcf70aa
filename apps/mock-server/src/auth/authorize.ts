import { type AccessRequest, authorize, type CaveatScope, isWithin } from '@hangar/tokens';
import type { Kysely } from 'kysely';
import { formatTimeMs } from '../clock.js';
import type { AppsTable, Database, OrgsTable, TokensTable } from '../db/schema.js';
import { problem, type RequiredAccess } from '../problems.js';
import type { Services } from '../services.js';
import type { Access } from './access-table.js';
import type { Caller } from './authenticate.js';
import { resourcesWord } from './resource-words.js';

/** An org the caller can see, with the caller's role in it. */
export type VisibleOrg = OrgsTable & { role: 'admin' | 'member' };
/** An app the caller can see, with its org's slug. */
export type VisibleApp = AppsTable & { org_slug: string };

/** The target of an access check: the org (and app) the request acts on. */
export interface Target {
  level: 'none' | 'org' | 'app';
  org?: { id: string; slug: string };
  app?: { id: string; name: string };
}

/** An org by slug with the user's role, if the user is a member (prepared once). */
const orgOfMember = (q: Kysely<Database>, p: { slug: string; userId: string }) =>
  q
    .selectFrom('orgs')
    .innerJoin('memberships', 'memberships.org_id', 'orgs.id')
    .selectAll('orgs')
    .select('memberships.role')
    .where('orgs.slug', '=', p.slug)
    .where('memberships.user_id', '=', p.userId);

/** An app by name with its org's slug, if the user is a member of that org (prepared once). */
const appOfMember = (q: Kysely<Database>, p: { name: string; userId: string }) =>
  q
    .selectFrom('apps')
    .innerJoin('orgs', 'orgs.id', 'apps.org_id')
    .innerJoin('memberships', 'memberships.org_id', 'apps.org_id')
    .selectAll('apps')
    .select('orgs.slug as org_slug')
    .where('apps.name', '=', p.name)
    .where('memberships.user_id', '=', p.userId);

/**
 * Step 2: the org with `slug`, if the caller can see it — the user is a member and the token's
 * org caveat (if any) names it.
 * @throws ProblemError 404 `not_found` otherwise (no existence leak).
 */
export function visibleOrg({ db }: Services, caller: Caller, slug: string): VisibleOrg {
  const org = db.firstWith(orgOfMember, { slug, userId: caller.user.id });
  if (!org || (caller.scope.org !== null && caller.scope.org !== org.id)) {
    throw problem('not_found', `No organization "${slug}" is visible to this token`);
  }
  return org;
}

/**
 * Step 2 for app resources: the app named `name`, if its org is visible and the token's apps
 * caveat (if any) lists it.
 * @throws ProblemError 404 `not_found` otherwise.
 */
export function visibleApp({ db }: Services, caller: Caller, name: string): VisibleApp {
  const app = db.firstWith(appOfMember, { name, userId: caller.user.id });
  const { scope } = caller;
  if (
    !app ||
    (scope.org !== null && scope.org !== app.org_id) ||
    (scope.apps !== null && !Object.hasOwn(scope.apps, app.id))
  ) {
    throw problem('not_found', `No app "${name}" is visible to this token`);
  }
  return app;
}

/**
 * Step 2 for a token's metadata (level `owner`): an org or read-only token belongs to its org, a
 * deploy token to its app (its org once the app is deleted), a personal token to its user — seen
 * only by that user's tokens that are not limited to an org or apps.
 * @returns the target to authorize against.
 * @throws ProblemError 404 `not_found` when the caller cannot see the token.
 */
export function tokenTarget(services: Services, caller: Caller, token: TokensTable): Target {
  const hidden = () => problem('not_found', `No token ${token.id} is visible to this token`);
  try {
    // The row carries its app's name and org's slug (apps are never renamed, and deleting an
    // app sets app_id to null), so no lookup by id is needed before the visibility check.
    if (token.app_id !== null) {
      if (token.app_name === null) throw hidden();
      const app = visibleApp(services, caller, token.app_name);
      return {
        level: 'app',
        org: { id: app.org_id, slug: app.org_slug },
        app: { id: app.id, name: app.name },
      };
    }
    if (token.org_id !== null) {
      if (token.org_slug === null) throw hidden();
      const org = visibleOrg(services, caller, token.org_slug);
      return { level: 'org', org: { id: org.id, slug: org.slug } };
    }
  } catch {
    throw hidden();
  }
  const { scope } = caller;
  if (token.created_by !== caller.user.id || scope.org !== null || scope.apps !== null) {
    throw hidden();
  }
  return { level: 'none' };
}

function describeTarget(access: Access, target: Target): string {
  const what = `${access.action} access to ${resourcesWord(access.resource)}`;
  if (target.app) return `${what} of app "${target.app.name}"`;
  if (target.org) return `${what} in organization "${target.org.slug}"`;
  return what;
}

/**
 * What the token's caveat scope says about `access` on `target`: the one decision both
 * {@link requireAccess} (every operation) and checkAccess (`POST /v1/viewer/access-checks`) use.
 * `caveat` is the canonical text of the caveat that refuses (null when allowed); `detail` says why
 * in words; `required` is the access the operation needs, by name.
 */
export interface AccessDecision {
  allowed: boolean;
  required: RequiredAccess;
  caveat: string | null;
  detail: string;
}

/** Step 3 as a decision, without throwing: see {@link AccessDecision}. */
export function decideAccess(caller: Caller, access: Access, target: Target): AccessDecision {
  const request: AccessRequest = { level: target.level, action: access.action };
  if (target.org) request.org = target.org.id;
  if (target.app) request.app = target.app.id;
  const required: RequiredAccess = { resource: access.resource, action: access.action };
  if (target.org) required.org = target.org.slug;
  if (target.app) required.app = target.app.name;
  const decision = authorize(caller.scope, request);
  if (decision.ok) {
    return {
      allowed: true,
      required,
      caveat: null,
      detail: `allowed: ${describeTarget(access, target)}`,
    };
  }
  return { allowed: false, required, caveat: decision.caveat, detail: decision.detail };
}

/**
 * Step 3: the token's scope must allow `access.action` at the target's level.
 * @throws ProblemError 403 `forbidden` naming the access needed, with `required_access`.
 */
export function requireAccess(caller: Caller, access: Access, target: Target): void {
  const decision = decideAccess(caller, access, target);
  if (decision.allowed) return;
  throw problem(
    'forbidden',
    `This token cannot do this: it needs ${describeTarget(access, target)}, but ${decision.detail}`,
    { requiredAccess: decision.required },
  );
}

/**
 * The last moment (Unix seconds) the caller's token works, or null for never: the earlier of its
 * expiry (`notAfter`) and, for a rotated token still in its grace period, the end of that grace
 * (after which authentication refuses it as `token_rotated`).
 */
export function workingUntil(caller: Caller): number | null {
  const { notAfter } = caller.scope;
  if (caller.rotatedAtMs === null) return notAfter;
  const graceEnd = Math.floor(caller.rotatedAtMs / 1000);
  return notAfter === null ? graceEnd : Math.min(notAfter, graceEnd);
}

/**
 * Step 4, the minting rule: a new token's scope must be within the caller's (org, apps,
 * actions), and it must not outlive the caller ({@link workingUntil}: its expiry, or the end of
 * its grace period once rotated).
 * @throws ProblemError 403 `exceeds_token_scope` or `exceeds_token_lifetime`.
 */
export function requireWithin(caller: Caller, child: CaveatScope): void {
  const parent = caller.scope;
  if (!isWithin({ ...child, notAfter: parent.notAfter }, parent)) {
    throw problem(
      'exceeds_token_scope',
      'This token cannot create a token that reaches further than itself (organization, apps or actions)',
    );
  }
  const until = workingUntil(caller);
  if (until !== null && (child.notAfter === null || child.notAfter > until)) {
    const how = until === parent.notAfter ? 'expires' : 'stops working (rotated)';
    throw problem(
      'exceeds_token_lifetime',
      `This token ${how} at ${formatTimeMs(until * 1000)} and cannot create a token that expires later`,
    );
  }
}
