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

/** A pino JSON logger writing to stderr (file descriptor 2 unless `destination` says otherwise). */
export function createLogger(level: LogLevel, destination?: NodeJS.WritableStream): Logger {
  return pino(
    { level, redact: { paths: REDACT_PATHS, censor: '[redacted]' }, base: { name: 'hangar-mock' } },
    destination ?? pino.destination({ dest: 2, sync: true }),
  );
}
