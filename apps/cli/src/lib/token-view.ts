import type { Token } from '@hangar/sdk';
import type { Caveat, CaveatScope, UnknownCaveat } from '@hangar/tokens';
import type { Column } from './output.js';

/**
 * Whether `t` was rotated and still works, in its grace period: the API's `status` is then
 * `active` with `replaced_by` set, and `rotated_at` is when it stops working, on the server's
 * clock (openapi/hangar.yaml `TokenStatus`).
 */
export function inGracePeriod(t: Token): boolean {
  return t.status === 'active' && t.replaced_by !== null;
}

/** STATUS as people read it: the API's `status`, but `rotating` for a token in its grace period. */
export function statusLabel(t: Token): string {
  return inGracePeriod(t) ? 'rotating' : t.status;
}

/**
 * Columns of `tokens list`: flyctl's order, with STATUS (active, rotating, expired, revoked,
 * rotated; {@link statusLabel}) after KIND.
 * On a narrow terminal REVOKED AT goes first (STATUS says revoked), then CREATED BY, LAST USED,
 * CREATED AT and EXPIRES AT; ID, KIND and STATUS always stay, and NAME is cut last.
 */
export const TOKEN_COLUMNS: Column<Token>[] = [
  { header: 'ID', get: (t) => t.id },
  { header: 'NAME', get: (t) => t.name, minWidth: 12 },
  { header: 'KIND', get: (t) => t.kind },
  { header: 'STATUS', get: statusLabel },
  { header: 'CREATED BY', get: (t) => t.created_by, drop: 2, minWidth: 12 },
  { header: 'CREATED AT', get: (t) => t.created_at, drop: 4 },
  { header: 'EXPIRES AT', get: (t) => t.expires_at, drop: 5 },
  { header: 'LAST USED', get: (t) => t.last_used_at, drop: 3 },
  { header: 'REVOKED AT', get: (t) => t.revoked_at, drop: 1 },
];

/**
 * The fields of `tokens show` for `t`: every column of `tokens list`, then how rotation links it
 * to other tokens. `rotated_at` is when a rotated token is refused (the end of its grace period):
 * "Rotated at" once past, "Stops working at" while the token is in its grace period.
 */
export function tokenFields(t: Token): Column<Token>[] {
  return [
    ...TOKEN_COLUMNS,
    { header: inGracePeriod(t) ? 'STOPS WORKING AT' : 'ROTATED AT', get: (r) => r.rotated_at },
    { header: 'REPLACED BY', get: (r) => r.replaced_by },
    { header: 'REPLACES', get: (r) => r.replaces },
  ];
}

/**
 * One caveat as `--json` prints it: the API's naming (snake_case, RFC 3339 times), so
 * `not-after` is `{"type": "not-after", "not_after": "2026-12-30T08:00:00Z"}`; `org`, `apps`
 * (app id to actions), `actions` and `unknown` (`text`) are as @hangar/tokens decodes them.
 */
export function caveatJson(caveat: Caveat | UnknownCaveat) {
  if (caveat.type !== 'not-after') return caveat;
  return { type: caveat.type, not_after: rfc3339(caveat.notAfter) };
}

/**
 * A scope read offline as `--json` prints it: the contract's `Scope` (openapi/hangar.yaml,
 * what `auth whoami --json` prints), `{org, apps, actions, expires_at}`, with the ids the token
 * holds where the server would show names (an organization id for `org`, app ids in `apps`:
 * offline there is no name to show) and `expires_at` in RFC 3339 or null.
 */
export function scopeJson(scope: CaveatScope) {
  return {
    org: scope.org,
    apps: scope.apps === null ? null : Object.keys(scope.apps),
    actions: scope.actions,
    expires_at: scope.notAfter === null ? null : rfc3339(scope.notAfter),
  };
}

/** Unix seconds as RFC 3339 UTC with whole seconds (`2026-12-30T08:00:00Z`). */
function rfc3339(seconds: number): string {
  return new Date(seconds * 1000).toISOString().replace('.000Z', 'Z');
}

/**
 * The `--json` view of a token narrowed offline (`tokens attenuate`, `tokens create readonly
 * --from-existing`): the token, its identifier, caveats ({@link caveatJson}) and expiry (RFC 3339
 * or null), never the signature. Without `--json` the commands print the token alone.
 */
export async function attenuatedJson(narrowed: string) {
  const { inspect } = await import('@hangar/tokens');
  const info = inspect(narrowed);
  return {
    token: narrowed,
    identifier: info.identifier,
    caveats: info.caveats.map(caveatJson),
    expires_at: info.expiresAt,
  };
}
