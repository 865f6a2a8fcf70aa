import { type Logger, pino } from 'pino';

/**
 * Fields pino blanks out wherever they appear in a log line: credentials in headers, token
 * secrets and passwords in objects. Request logs carry only method, URL and status anyway.
 */
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers["x-hangar-admin-key"]',
  'req.headers.cookie',
  'token',
  '*.token',
  'password',
  '*.password',
  'admin_key',
  '*.admin_key',
];

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

/**
 * A pino JSON logger writing to stderr (file descriptor 2 unless `destination` says otherwise).
 * Stderr is written asynchronously (`sync: false`): a line is queued and written while the
 * server goes on, lines queued during one write go out together in the next, and pino writes
 * what is left when the process exits. A synchronous write blocks the server whenever the
 * reader of a pipe lags (a terminal, `| tee`, a CI runner), which under load cost more than
 * the request itself (docs/benchmarks.md). Call `logger.flush()` before exiting on purpose.
 */
export function createLogger(level: LogLevel, destination?: NodeJS.WritableStream): Logger {
  return pino(
    { level, redact: { paths: REDACT_PATHS, censor: '[redacted]' }, base: { name: 'hangar-mock' } },
    destination ?? pino.destination({ dest: 2, sync: false }),
  );
}
