import { createReadStream } from 'node:fs';
import { CliError, UsageError } from './errors.js';

/**
 * The most the CLI reads from standard input or an `--id-token` file: 64 KiB, four times the
 * longest value it can hold (a token or an ID token, at most 16 KiB each; a password, 1 KiB).
 * Reading stops there, so `< /dev/zero`, a big file or an endless producer piped in by mistake
 * is one clear usage error instead of a run that grows until the machine runs out of memory.
 */
export const MAX_INPUT_BYTES = 64 * 1024;

/**
 * Reads all of standard input as text, at most {@link MAX_INPUT_BYTES}.
 * @throws UsageError (exit 2) when there is more
 */
export async function readStdin(): Promise<string> {
  return readBounded(process.stdin, 'Standard input');
}

/**
 * Reads a file as text, at most {@link MAX_INPUT_BYTES} (a device such as /dev/zero included).
 * @throws UsageError (exit 2) when there is more; the file system's error (ENOENT, EISDIR, ...)
 *   when it cannot be read
 */
export async function readInputFile(path: string, what: string): Promise<string> {
  // `end` is inclusive: one byte past the limit is enough to know there is more.
  return readBounded(createReadStream(path, { start: 0, end: MAX_INPUT_BYTES }), what);
}

async function readBounded(stream: AsyncIterable<unknown>, what: string): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  // Leaving the loop early (the throw) destroys the stream: nothing more is read.
  for await (const chunk of stream) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    size += buffer.length;
    if (size > MAX_INPUT_BYTES) {
      throw new UsageError(
        `${what} holds more than ${MAX_INPUT_BYTES / 1024} KiB, more than any token, ID token or password: pass only that value (nothing was sent to the server).`,
      );
    }
    chunks.push(buffer);
  }
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
