/**
 * Errors the CLI raises on purpose. Each carries the process exit code (oclif reads `oclif.exit`)
 * and a message that is already one user-facing line: bin/run.js prints it as `Error: <message>`
 * and never a stack trace (unless DEBUG is set).
 */
export class CliError extends Error {
  readonly oclif: { exit: number };
  /** Marks errors whose message is final, so the error printer does not rewrite them. */
  readonly hangar = true;

  constructor(message: string, exit = 1) {
    super(message);
    this.name = 'CliError';
    this.oclif = { exit };
  }
}

/** A mistake in how the command was called (bad flag value, missing argument): exit code 2. */
export class UsageError extends CliError {
  constructor(message: string) {
    super(message, 2);
    this.name = 'UsageError';
  }
}
