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
import { ACTIONS, type Action, canonicalActions } from './actions.js';

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
/**
 * 9999-12-31T23:59:59Z in Unix seconds: the latest `not-after` a caveat can state (its RFC 3339
 * time has a four-digit year). A later one makes {@link formatCaveat} throw.
 */
export const MAX_NOT_AFTER = 253_402_300_799;

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
export function formatUnixSeconds(seconds: number): string {
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
      return `not-after = ${formatUnixSeconds(t)}`;
    }
    default:
      throw new TypeError(
        `unknown caveat type ${JSON.stringify((caveat as { type?: unknown })?.type)}`,
      );
  }
}

/** Every canonical action list (the 31 non-empty subsets in ACTIONS order), by its text. */
function canonicalListTable(separator: string): ReadonlyMap<string, readonly Action[]> {
  const table = new Map<string, readonly Action[]>();
  for (let mask = 1; mask < 1 << ACTIONS.length; mask++) {
    const list = ACTIONS.filter((_a, i) => mask & (1 << i));
    table.set(list.join(separator), list);
  }
  return table;
}
const ACTION_LISTS = { ',': canonicalListTable(','), '+': canonicalListTable('+') };

/**
 * `a,b` or `a+b` action list, canonical only (known actions, deduplicated, in ACTIONS order):
 * a table lookup, since verify parses caveats on every request. Returns a fresh array.
 */
function parseActions(value: string, separator: ',' | '+'): Action[] | null {
  const list = ACTION_LISTS[separator].get(value);
  return list === undefined ? null : [...list];
}

function parseApps(value: string): Record<string, Action[]> | null {
  const apps: Record<string, Action[]> = {};
  let previous = '';
  for (const part of value.split(',')) {
    const colon = part.indexOf(':');
    const id = part.slice(0, colon);
    // Strictly increasing ids: sorted (code-unit order, as Array.sort) and no duplicates.
    if (colon < 0 || !ID_PATTERN.test(id) || (previous !== '' && id <= previous)) return null;
    const actions = parseActions(part.slice(colon + 1), '+');
    if (actions === null) return null;
    apps[id] = actions;
    previous = id;
  }
  return apps;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
/** `YYYY-MM-DDTHH:MM:SSZ`; the field ranges are checked after. */
const NOT_AFTER_SHAPE = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/;

/** Two or four ASCII digits at `at` as a number (the shape is checked first). */
function digits(value: string, at: number, count: number): number {
  let n = 0;
  for (let i = at; i < at + count; i++) n = n * 10 + value.charCodeAt(i) - 48;
  return n;
}

function parseNotAfter(value: string): number | null {
  if (!NOT_AFTER_SHAPE.test(value)) return null;
  const year = digits(value, 0, 4);
  const month = digits(value, 5, 2);
  const day = digits(value, 8, 2);
  const hour = digits(value, 11, 2);
  const minute = digits(value, 14, 2);
  const second = digits(value, 17, 2);
  if (
    year < 1970 ||
    month < 1 ||
    month > 12 ||
    day < 1 ||
    hour > 23 ||
    minute > 59 ||
    second > 59
  ) {
    return null;
  }
  const leap = month === 2 && year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  if (day > (DAYS_IN_MONTH[month - 1] as number) + (leap ? 1 : 0)) return null;
  return Date.UTC(year, month - 1, day, hour, minute, second) / 1000;
}

/**
 * Parses canonical caveat text; returns null for anything else (unknown kind, malformed value,
 * non-canonical spelling such as unsorted apps or repeated actions), so callers fail closed.
 * Checked directly rather than by re-formatting, because verify runs this on every request;
 * a test asserts parse(format(c)) round-trips and that non-canonical spellings are refused.
 */
export function parseCaveat(text: string): Caveat | null {
  // Cheaper than a capturing regex on this hot path: split at the first " = ", then check.
  const eq = text.indexOf(' = ');
  const kind = text.slice(0, eq);
  const value = text.slice(eq + 3);
  if (eq < 0) return null;
  // No separate character check: each value parser below accepts only its exact grammar.
  switch (kind) {
    case 'org':
      return ID_PATTERN.test(value) ? { type: 'org', org: value } : null;
    case 'apps': {
      const apps = parseApps(value);
      return apps === null ? null : { type: 'apps', apps };
    }
    case 'actions': {
      const actions = parseActions(value, ',');
      return actions === null ? null : { type: 'actions', actions };
    }
    case 'not-after': {
      const notAfter = parseNotAfter(value);
      return notAfter === null ? null : { type: 'not-after', notAfter };
    }
    default:
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
      return `expires ${formatUnixSeconds(caveat.notAfter)}`;
    default:
      return `unknown caveat ${JSON.stringify(caveat.text)} (the token is refused)`;
  }
}
