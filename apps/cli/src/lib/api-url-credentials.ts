import { CliError, UsageError } from './errors.js';

/** `scheme://` followed by an authority holding `@`: user information (RFC 3986 section 3.2.1). */
const USERINFO = /^\s*[a-z][a-z0-9+.-]*:\/\/[^/?#]*@/i;

/**
 * Refuses an API URL with user information (`http://user:password@host`) before it is parsed,
 * used or printed: fetch refuses such a URL anyway ("Request cannot be constructed from a URL
 * that includes credentials"), and the password would otherwise be echoed by --verbose and error
 * lines. The message never holds the URL. Hangar authenticates with a token, never with URL
 * credentials (RFC 3986 section 3.2.1 deprecates `user:password` in URLs).
 *
 * @param raw the API URL as given
 * @param source where it came from: `--api-url`, `$HANGAR_API_URL`, or the config file's path
 * @param typed true when it was given on this command line or in the environment (exit 2), false
 *   for the config file (exit 1: not a mistake in this command)
 * @throws UsageError or CliError when `raw` holds user information
 */
export function refuseUrlCredentials(raw: string, source: string, typed: boolean): void {
  if (!USERINFO.test(raw)) return;
  const message = `The API URL (${source}) must not hold a user name or password: remove the "user:password@" part; Hangar authenticates with a token (--access-token, $HANGAR_API_TOKEN or "hangar auth login").`;
  throw typed ? new UsageError(message) : new CliError(message);
}
