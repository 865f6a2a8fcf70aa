import { CliError } from './errors.js';

/** Reads all of standard input as text. */
export async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** True when standard input is a terminal (a person can answer prompts). */
export function stdinIsTerminal(): boolean {
  return process.stdin.isTTY === true;
}

/**
 * Asks a question on stderr and reads one line from the terminal (node:readline). For a
 * password use {@link promptHidden}.
 *
 * @throws CliError when standard input is not a terminal, or when the prompt is cancelled
 *   (Ctrl-C or Ctrl-D: without this, readline closed and the run ended with Node's exit 13 for
 *   a promise never settled, saying nothing)
 */
export async function prompt(question: string): Promise<string> {
  requireTerminal(question);
  const { createInterface } = await import('node:readline');
  const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
  try {
    return await new Promise<string>((resolve, reject) => {
      const cancelled = () => reject(new CliError('Cancelled.'));
      // In raw mode Ctrl-C is a key, not a signal: readline emits SIGINT on itself.
      rl.once('SIGINT', () => {
        process.stderr.write('\n');
        cancelled();
      });
      rl.once('close', cancelled);
      rl.question(question, resolve);
    });
  } finally {
    rl.close();
  }
}

/**
 * Asks for a secret on stderr without echoing what is typed, with @inquirer/password (loaded
 * only when a password is asked for, to keep start-up fast).
 *
 * @param question the prompt, e.g. `Password:`
 * @throws CliError when standard input is not a terminal, or when the prompt is cancelled
 *   (Ctrl-C)
 */
export async function promptHidden(question: string): Promise<string> {
  requireTerminal(question);
  const { default: password } = await import('@inquirer/password');
  try {
    return await password(
      { message: question.trim(), mask: false },
      { input: process.stdin, output: process.stderr },
    );
  } catch (error) {
    if ((error as Error).name === 'ExitPromptError') throw new CliError('Cancelled.');
    throw error;
  }
}

function requireTerminal(question: string): void {
  if (!stdinIsTerminal())
    throw new CliError(`Cannot ask "${question.trim()}": standard input is not a terminal.`);
}
