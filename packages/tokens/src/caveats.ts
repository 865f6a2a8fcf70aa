/**
 * Hangar's first-party caveats, one condition each, and their canonical text:
 *   org = <org id>                         the token acts only within this organization
 *   apps = <app id>:<a>+<a>,<app id>:<a>   only these apps, each with these actions
 *   actions = <a>,<a>                      only these actions
 *   not-after = YYYY-MM-DDTHH:MM:SSZ       not valid after this instant (UTC, whole seconds)
 * Ids match ID_PATTERN; app ids are sorted (code-unit order) and actions are deduplicated and in
 * ACTIONS order. Parsing accepts only the canonical text, so one caveat has exactly one byte form
 * and anything else fails closed as an unknown caveat.
 */
import { type Action, canonicalActions } from './actions.js';

export type Caveat =
  | { type: 'org'; org: string }
  | { type: 'apps'; apps: Record<string, Action[]> }
  | { type: 'actions'; actions: Action[] }
  /** `notAfter` is in unix seconds. */
  | { type: 'not-after'; notAfter: number };

/** A caveat Hangar does not understand (or a malformed one): shown by inspect, always fails. */
export interface UnknownCaveat {
  type: 'unknown';
  text: string;
}

/** Org and app ids: an alphanumeric first character, then alphanumerics, `_`, `.` or `-`. */
export const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/;
const CAVEAT_TEXT = /^(org|apps|actions|not-after) = ([\x21-\x7e]+)$/;
const RFC3339_SECONDS = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/;
/** 9999-12-31T23:59:59Z: the last instant the caveat's four-digit year can express. */
const MAX_NOT_AFTER = 253_402_300_799;

function checkId(id: unknown, what: string): string {
  if (typeof id !== 'string' || !ID_PATTERN.test(id)) {
    throw new TypeError(`invalid ${what} id ${JSON.stringify(id)}`);
  }
  return id;
}

function actionList(actions: unknown, what: string): Action[] {
  if (!Array.isArray(actions)) throw new TypeError(`${what} must be an array of actions`);
  const list = canonicalActions(actions);
  if (list.length === 0) throw new TypeError(`${what} must allow at least one action`);
  return list;
}

/** Unix seconds to `YYYY-MM-DDTHH:MM:SSZ`. */
export function formatTime(seconds: number): string {
  return new Date(seconds * 1000).toISOString().replace('.000Z', 'Z');
}

/**
 * The canonical text of a caveat (the bytes signed into the macaroon).
 * Throws TypeError when the caveat is not valid: unknown type, bad id, unknown or no action,
 * empty app set, not-after not a whole number of seconds in 1970..9999.
 */
export function formatCaveat(caveat: Caveat): string {
  switch (caveat?.type) {
    case 'org':
      return `org = ${checkId(caveat.org, 'org')}`;
    case 'apps': {
      if (typeof caveat.apps !== 'object' || caveat.apps === null) {
        throw new TypeError('apps caveat needs an object of app id to actions');
      }
      const ids = Object.keys(caveat.apps).sort();
      if (ids.length === 0) throw new TypeError('apps caveat must name at least one app');
      const parts = ids.map((id) => {
        const actions = actionList(caveat.apps[id], `actions of app ${checkId(id, 'app')}`);
        return `${id}:${actions.join('+')}`;
      });
      return `apps = ${parts.join(',')}`;
    }
    case 'actions':
      return `actions = ${actionList(caveat.actions, 'actions caveat').join(',')}`;
    case 'not-after': {
      const t = caveat.notAfter;
      if (!Number.isInteger(t) || t < 0 || t > MAX_NOT_AFTER) {
        throw new TypeError('not-after must be whole unix seconds between 1970 and 9999');
      }
      return `not-after = ${formatTime(t)}`;
    }
    default:
      throw new TypeError(
        `unknown caveat type ${JSON.stringify((caveat as { type?: unknown })?.type)}`,
      );
  }
}

function parseValue(kind: string, value: string): Caveat {
  switch (kind) {
    case 'org':
      return { type: 'org', org: value };
    case 'apps': {
      const apps: Record<string, Action[]> = {};
      for (const part of value.split(',')) {
        const [id, actions, extra] = part.split(':');
        if (id === undefined || actions === undefined || extra !== undefined) throw new TypeError();
        if (Object.hasOwn(apps, id)) throw new TypeError();
        apps[id] = actions.split('+') as Action[];
      }
      return { type: 'apps', apps };
    }
    case 'actions':
      return { type: 'actions', actions: value.split(',') as Action[] };
    default: {
      if (!RFC3339_SECONDS.test(value)) throw new TypeError();
      return { type: 'not-after', notAfter: Date.parse(value) / 1000 };
    }
  }
}

/**
 * Parses canonical caveat text; returns null for anything else (unknown kind, malformed value,
 * non-canonical spelling such as unsorted apps or repeated actions), so callers fail closed.
 */
export function parseCaveat(text: string): Caveat | null {
  const m = CAVEAT_TEXT.exec(text);
  if (m === null) return null;
  try {
    const caveat = parseValue(m[1] as string, m[2] as string);
    // Re-formatting validates every part and proves the text was the one canonical spelling.
    return formatCaveat(caveat) === text ? caveat : null;
  } catch {
    return null;
  }
}

/**
 * A caveat in words, for `hangar tokens inspect`: "only organization org_x",
 * "only apps app_1 (read, write), app_2 (read)", "only actions: read",
 * "expires 2046-11-30T08:00:00Z", "unknown caveat \"...\" (the token is refused)".
 */
export function describeCaveat(caveat: Caveat | UnknownCaveat): string {
  switch (caveat.type) {
    case 'org':
      return `only organization ${caveat.org}`;
    case 'apps': {
      const apps = Object.keys(caveat.apps)
        .sort()
        .map((id) => `${id} (${(caveat.apps[id] ?? []).join(', ')})`);
      return `only apps ${apps.join(', ')}`;
    }
    case 'actions':
      return `only actions: ${caveat.actions.join(', ')}`;
    case 'not-after':
      return `expires ${formatTime(caveat.notAfter)}`;
    default:
      return `unknown caveat ${JSON.stringify(caveat.text)} (the token is refused)`;
  }
}
