/**
 * The caveat scope: the intersection of a token's caveats, and the checks that read it. Every
 * caveat must hold, so combining caveats can only narrow: two different org caveats leave a
 * scope that allows no action at all.
 */
import { ACTIONS, type Action } from './actions.js';
import { type Caveat, formatCaveat, formatUnixSeconds, ID_PATTERN } from './caveats.js';

/**
 * What a token may do, as its caveats say it (ids and unix seconds; the API's `Scope` schema, in
 * @hangar/sdk, is the same scope shown with slugs, app names and RFC 3339).
 * `org`/`apps`/`notAfter` null mean "not restricted"; `actions` is always
 * the explicit allowed list (empty: nothing is allowed, e.g. contradictory org caveats).
 * `apps` maps app id to allowed actions; an app missing from it is out of scope.
 */
export interface CaveatScope {
  org: string | null;
  apps: Record<string, Action[]> | null;
  actions: Action[];
  /** Unix seconds. */
  notAfter: number | null;
}

/** @deprecated Use {@link CaveatScope}; `Scope` is the API's schema name in @hangar/sdk. */
export type Scope = CaveatScope;

/**
 * The access one API operation needs. `level` says which caveats apply: `none` (viewer-level,
 * e.g. listing orgs), `org` (the whole org: `org` required), `app` (one app: `org` and `app`).
 */
export interface AccessRequest {
  level: 'none' | 'org' | 'app';
  org?: string;
  app?: string;
  action: Action;
}

export type AuthorizeResult =
  | { ok: true }
  | { ok: false; reason: 'caveat_unmet'; caveat: string; detail: string };

function intersect(a: readonly Action[], b: readonly Action[]): Action[] {
  return a.filter((x) => b.includes(x));
}

/** The intersection of `caveats` (all must hold). Pure; no time check. */
export function scopeOf(caveats: readonly Caveat[]): CaveatScope {
  let org: string | null = null;
  let apps: Record<string, Action[]> | null = null;
  let actions: Action[] = [...ACTIONS];
  let notAfter: number | null = null;
  for (const c of caveats) {
    switch (c.type) {
      case 'org':
        // A second, different org caveat can never hold together with the first.
        if (org !== null && org !== c.org) actions = [];
        org ??= c.org;
        break;
      case 'apps': {
        const next: Record<string, Action[]> = {};
        for (const id of Object.keys(c.apps).sort()) {
          // Ids outside ID_PATTERN (such as "__proto__") can never be in a signed caveat.
          if (!ID_PATTERN.test(id)) continue;
          const mine = c.apps[id] ?? [];
          const allowed =
            apps === null ? mine : Object.hasOwn(apps, id) ? intersect(apps[id] ?? [], mine) : [];
          if (allowed.length > 0) next[id] = [...allowed];
        }
        apps = next;
        break;
      }
      case 'actions':
        actions = intersect(actions, c.actions);
        break;
      case 'not-after':
        notAfter = notAfter === null ? c.notAfter : Math.min(notAfter, c.notAfter);
        break;
    }
  }
  return { org, apps, actions, notAfter };
}

function unmet(caveat: string, detail: string): AuthorizeResult {
  return { ok: false, reason: 'caveat_unmet', caveat, detail };
}

function appsText(apps: Record<string, Action[]>): string {
  return Object.keys(apps).length === 0 ? 'apps = (none)' : formatCaveat({ type: 'apps', apps });
}

/**
 * Whether `scope` allows `request` (expiry is authenticate's job). Rules: the action must be in
 * `actions`; an org restriction holds for level `none` and otherwise needs `request.org` equal to
 * it; an app restriction holds for level `none`, fails for level `org` (an app-scoped token cannot
 * act on the whole org) and for level `app` needs `request.app` listed with the action.
 * On deny, `caveat` is the (canonical) caveat text that is not met.
 */
export function authorize(scope: CaveatScope, request: AccessRequest): AuthorizeResult {
  const { action, level } = request;
  if (!scope.actions.includes(action)) {
    if (scope.actions.length === 0) {
      return unmet(
        'actions = (none)',
        'the token allows no action (its caveats contradict each other)',
      );
    }
    return unmet(
      formatCaveat({ type: 'actions', actions: scope.actions }),
      `the token does not allow the ${action} action`,
    );
  }
  if (scope.org !== null && level !== 'none' && request.org !== scope.org) {
    return unmet(`org = ${scope.org}`, 'the token is limited to another organization');
  }
  if (scope.apps !== null && level !== 'none') {
    if (level !== 'app') {
      return unmet(
        appsText(scope.apps),
        'the token is limited to apps and cannot act on the whole organization',
      );
    }
    const app = request.app;
    if (app === undefined || !Object.hasOwn(scope.apps, app)) {
      return unmet(appsText(scope.apps), 'the token is limited to other apps');
    }
    if (!scope.apps[app]?.includes(action)) {
      return unmet(
        appsText(scope.apps),
        `the token does not allow the ${action} action on this app`,
      );
    }
  }
  return { ok: true };
}

/**
 * The minting rule: true when `child` is no wider than `parent` in every dimension (org, app set
 * and per-app actions, actions, and time: child.notAfter <= parent.notAfter, null = unlimited).
 */
export function isWithin(child: CaveatScope, parent: CaveatScope): boolean {
  if (parent.org !== null && child.org !== parent.org) return false;
  if (!child.actions.every((a) => parent.actions.includes(a))) return false;
  if (parent.apps !== null) {
    if (child.apps === null) return false;
    for (const id of Object.keys(child.apps)) {
      if (!Object.hasOwn(parent.apps, id)) return false;
      const allowed = parent.apps[id] ?? [];
      if (!(child.apps[id] ?? []).every((a) => allowed.includes(a))) return false;
    }
  }
  if (parent.notAfter !== null && (child.notAfter === null || child.notAfter > parent.notAfter)) {
    return false;
  }
  return true;
}

/** `notAfter` as RFC 3339 UTC, or null. */
export function expiresAt(scope: CaveatScope): string | null {
  return scope.notAfter === null ? null : formatUnixSeconds(scope.notAfter);
}
