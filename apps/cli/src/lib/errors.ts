import { printableMessage } from './output.js';
import { redactTokens } from './redact.js';

/** What an error says beyond its one-line message, for `--json` (see {@link errorJson}). */
export interface ErrorDetails {
  /**
   * Stable code: the API problem code (`forbidden`; the OAuth error such as `invalid_grant` for
   * a refused token exchange), or `usage_error` / `cli_error` (`interrupted`: Ctrl-C or
   * SIGTERM with `--json`, exit 130 or 143).
   */
  code?: string | undefined;
  /** HTTP status of the API answer; absent (null in JSON) when the CLI failed on its own. */
  status?: number | undefined;
  /** The message without the status and hint; defaults to the whole message. */
  summary?: string | undefined;
  /** What to do about it, if anything. */
  hint?: string | undefined;
  /** The API answer's `X-Request-Id`; absent (null in JSON) when no answer came. */
  requestId?: string | undefined;
  /** True when the command already wrote its own JSON result on stdout (`tokens revoke -j`). */
  jsonPrinted?: boolean | undefined;
}

/**
 * Errors the CLI raises on purpose. Each carries the process exit code (oclif reads `oclif.exit`)
 * and a message that is already one user-facing line: bin/run.js prints it as `Error: <message>`
 * and never a stack trace (unless DEBUG is set).
 */
export class CliError extends Error {
  readonly oclif: { exit: number };
  /** Marks errors whose message is final, so the error printer does not rewrite them. */
  readonly hangar = true;
  readonly details: ErrorDetails;

  constructor(message: string, exit = 1, details: ErrorDetails = {}) {
    super(message);
    this.name = 'CliError';
    this.oclif = { exit };
    this.details = details;
    // Final, as `hangar` says: oclif's parser rewrites the message of an error thrown by a
    // custom flag's parse() to "Parsing --expiry \n\t<message>\nSee more help with --help"
    // (@oclif/core lib/parser/parse.js); ours already name the flag and say what to type.
    Object.defineProperty(this, 'message', {
      get: () => message,
      set: () => {},
      enumerable: false,
      configurable: true,
    });
  }
}

/**
 * `error` with every control, bidi and invisible formatting character of its message (and
 * summary and hint) escaped (printableMessage), colour codes removed: the same error when there is none, else a copy
 * for a CliError (its message is fixed), or the same oclif error with its message rewritten.
 */
export function printableError<E extends Error>(error: E): E {
  // oclif colours some messages at a terminal: those codes are dropped (as bin/run.js and
  // errorJson drop them), not shown as text.
  const message = printableMessage(error.message.replace(ANSI_COLOUR, ''));
  if (!(error instanceof CliError)) {
    if (message !== error.message) error.message = message;
    return error;
  }
  const { summary, hint } = error.details;
  const details = {
    ...error.details,
    summary: summary === undefined ? undefined : printableMessage(summary),
    hint: hint === undefined ? undefined : printableMessage(hint),
  };
  if (message === error.message && details.summary === summary && details.hint === hint) {
    return error;
  }
  const copy = new CliError(message, error.oclif.exit, details);
  copy.name = error.name;
  return copy as unknown as E;
}

/** A mistake in how the command was called (bad flag value, missing argument): exit code 2. */
export class UsageError extends CliError {
  constructor(message: string) {
    super(message, 2);
    this.name = 'UsageError';
  }
}

/** The `--json` form of a failure, printed on stdout (documented in the CLI README). */
export interface ErrorJson {
  error: {
    code: string;
    status: number | null;
    message: string;
    hint: string | null;
    request_id: string | null;
  };
}

const ESC = String.fromCharCode(27);
const ANSI_COLOUR = new RegExp(`${ESC}\\[[0-9;]*m`, 'g');

/**
 * An error message as the one line bin/run.js prints after `Error: ` (it appends ` (see --help)`
 * to oclif's own messages that point at the help) and `--json` puts in `message`: oclif's multi-line parse messages joined, colours removed, runs of
 * whitespace made one space, oclif's "The following error(s) occurred: " dropped and its
 * "Missing required flag image" naming the flag as typed, `--image`. So `message` in `--json`
 * says what the stderr line says.
 */
export function oneLine(raw: string): string {
  return raw
    .replace(ANSI_COLOUR, '')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && line !== 'See more help with --help')
    .join(' ')
    .replace(/:\s+/g, ': ')
    .replace(/\s+/g, ' ')
    .replace(/^The following errors? occurred: /, '')
    .replace(/\bMissing required flag ([\w-]+)/g, 'Missing required flag --$1');
}

/**
 * Turns any error a command throws into the `--json` failure object (sf-plugins-core style):
 * `code` is the API problem code, `usage_error` (exit 2), `cli_error` (exit 1, the CLI's own
 * checks) or `internal_error` (anything unexpected); `status` the HTTP status or null; `message`
 * one line (oclif's multi-line parse errors are joined, colours removed); `hint` or null;
 * `request_id` the API answer's `X-Request-Id`, or null when no answer came.
 */
export function errorJson(error: unknown): ErrorJson {
  const exit = (error as { oclif?: { exit?: unknown } })?.oclif?.exit;
  const details = error instanceof CliError ? error.details : {};
  const raw = error instanceof Error ? error.message : String(error);
  const message = details.summary ?? oneLine(raw);
  const code =
    details.code ??
    (exit === 2 ? 'usage_error' : error instanceof CliError ? 'cli_error' : 'internal_error');
  const hint = details.hint === undefined ? null : redactTokens(details.hint);
  return {
    error: {
      code,
      status: details.status ?? null,
      message: redactTokens(message),
      hint,
      request_id: details.requestId ?? null,
    },
  };
}
