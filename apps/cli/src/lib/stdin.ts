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
 * Asks a question on stderr and reads one line from the terminal. With `hidden`, the typed
 * characters are not echoed (passwords).
 *
 * @throws CliError when standard input is not a terminal
 */
export async function prompt(question: string, { hidden = false } = {}): Promise<string> {
  if (!stdinIsTerminal())
    throw new CliError(`Cannot ask "${question.trim()}": standard input is not a terminal.`);
  const { createInterface } = await import('node:readline');
  const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
  if (hidden) {
    // Mute echo of what is typed after the question (readline writes through _writeToOutput).
    const internal = rl as unknown as { _writeToOutput: (s: string) => void };
    let asked = false;
    internal._writeToOutput = (s: string) => {
      if (!asked) {
        process.stderr.write(s);
        asked = true;
      } else if (s.includes('\n') || s.includes('\r')) process.stderr.write('\n');
    };
  }
  try {
    return await new Promise<string>((resolve) => rl.question(question, resolve));
  } finally {
    rl.close();
  }
}
