import type { BaseUrlProblem } from '@hangar/sdk';
import { DEFAULT_API_URL } from './env.js';
import { CliError, UsageError } from './errors.js';

/**
 * The CLI's words for an API URL that the SDK's rule (`baseUrlProblem`, the one check shared with
 * `createHangarClient`) refuses: one line saying what to type instead. Never holds a password:
 * a URL with user information is not echoed at all, and any other is shown as the SDK masks it.
 *
 * User information (`http://user:password@host`) is refused before anything is sent or printed:
 * fetch refuses such a URL anyway ("Request cannot be constructed from a URL that includes
 * credentials"), and --verbose and error lines would echo the password. Hangar authenticates with
 * a token, never with URL credentials (RFC 3986 section 3.2.1 deprecates `user:password`).
 *
 * @param problem what the SDK found wrong
 * @param source where the URL came from: `--api-url`, `$HANGAR_API_URL`, or the config file's path
 * @param typed true when it was given on this command line or in the environment, false for the
 *   config file; only user information in the config file is a CliError (exit 1: not a mistake in
 *   this command), everything else a UsageError (exit 2)
 */
export function apiUrlError(problem: BaseUrlProblem, source: string, typed: boolean): CliError {
  switch (problem.kind) {
    case 'credentials': {
      const message = `The API URL (${source}) must not hold a user name or password: remove the "user:password@" part; Hangar authenticates with a token (--access-token, $HANGAR_API_TOKEN or "hangar auth login").`;
      return typed ? new UsageError(message) : new CliError(message);
    }
    case 'not_url':
      return new UsageError(
        `Invalid API URL "${problem.shown}": expected something like ${DEFAULT_API_URL}.`,
      );
    case 'scheme':
      return new UsageError(
        `Invalid API URL "${problem.shown}": it must start with http:// or https://.`,
      );
    case 'query':
      // The SDK appends `/v1/...` to the URL, so `http://host/?x=1` would call
      // `http://host/?x=1/v1/orgs`.
      return new UsageError(
        `Invalid API URL: it cannot have a query string or fragment (only scheme, host, port and an optional path prefix); use ${problem.suggestion}.`,
      );
  }
}
