import type { Event } from '@hangar/sdk';
import type { Column } from './output.js';

/**
 * Who did it, in one cell: the user's email and the token kind and id; for an exchange, the ID
 * token's subject and the trust policy that allowed it.
 */
function actorText(event: Event): string {
  const { actor } = event;
  if (actor.subject !== undefined) {
    return `${actor.subject} (trust policy ${actor.trust_policy ?? '?'}, for ${actor.email})`;
  }
  return actor.token_id ? `${actor.email} (${actor.token_kind} ${actor.token_id})` : actor.email;
}

/** What it was done to: the target's name, else its id. */
function targetText(event: Event): string {
  const { target } = event;
  return target.name
    ? `${target.type} ${target.name} (${target.id})`
    : `${target.type} ${target.id}`;
}

/**
 * Columns of `events list`: time, type, app, the target's id, its type and name, actor, request
 * id. The target's id is never cut (it is what `tokens show` and `tokens revoke` take): on a
 * narrow terminal the request id, the actor, the app and then the name go first, and the name
 * and the actor are cut before they go.
 */
export const EVENT_COLUMNS: Column<Event>[] = [
  { header: 'TIME', get: (e) => e.time },
  { header: 'TYPE', get: (e) => e.type },
  { header: 'APP', get: (e) => e.app, drop: 3 },
  { header: 'TARGET', get: (e) => e.target.id },
  {
    header: 'NAME',
    get: (e) => (e.target.name ? `${e.target.type} ${e.target.name}` : e.target.type),
    drop: 4,
    minWidth: 8,
  },
  { header: 'ACTOR', get: actorText, drop: 2, minWidth: 16 },
  { header: 'REQUEST', get: (e) => e.request_id, drop: 1 },
];

/** One event on one line, for `--follow`: time, type, app, target, actor. */
export function eventLine(event: Event): string {
  return [event.time, event.type, event.app ?? '-', targetText(event), actorText(event)].join('  ');
}
