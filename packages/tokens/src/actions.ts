/** An operation class a token may allow. Order matters: caveat text lists actions in this order. */
export type Action = 'read' | 'write' | 'create' | 'delete' | 'control';

/** Every action, in canonical order (the order caveat text uses). */
export const ACTIONS: readonly Action[] = Object.freeze([
  'read',
  'write',
  'create',
  'delete',
  'control',
]);

const ACTION_SET: ReadonlySet<string> = new Set(ACTIONS);

/** True when `value` names one of {@link ACTIONS}. */
export function isAction(value: unknown): value is Action {
  return typeof value === 'string' && ACTION_SET.has(value);
}

/**
 * Canonical form of an action list: deduplicated and sorted in {@link ACTIONS} order, so the same
 * set always yields the same caveat bytes. Throws TypeError on an unknown action.
 */
export function canonicalActions(actions: readonly string[]): Action[] {
  for (const a of actions) {
    if (!isAction(a)) throw new TypeError(`unknown action ${JSON.stringify(a)}`);
  }
  return ACTIONS.filter((a) => actions.includes(a));
}
