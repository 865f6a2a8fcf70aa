import { UsageError } from './errors.js';
import { prompt, stdinIsTerminal } from './stdin.js';

/**
 * Confirms a destructive command, as flyctl does: nothing to do with `--yes`; at a terminal,
 * the user must type `expected` (the name or id being destroyed) in answer to `question`.
 *
 * @param verb how the refusals name the action: `destroy` (apps, machines) or `delete` (trust
 *   policies), as the command itself is named
 * @throws UsageError (exit 2) without a terminal and without --yes (saying to pass --yes), or
 *   when the answer does not match
 */
export async function confirmDestroy(
  yes: boolean,
  question: string,
  expected: string,
  verb: 'destroy' | 'delete' = 'destroy',
) {
  if (yes) return;
  if (!stdinIsTerminal()) {
    throw new UsageError(`Refusing to ${verb} without confirmation: pass --yes.`);
  }
  const answer = await prompt(question);
  if (answer.trim() !== expected) throw new UsageError(`Not confirmed; nothing was ${verb}d.`);
}
