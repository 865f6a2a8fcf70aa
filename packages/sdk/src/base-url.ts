/**
 * Why a Hangar API base URL cannot be used, as {@link baseUrlProblem} finds it. `message` is one
 * sentence for a developer (it names `baseUrl`); `shown` is the URL as given with anything before
 * an `@` in it replaced by `***`, so it never holds a password. Callers with their own words (the
 * CLI) switch on `kind`:
 *
 * - `credentials`: it holds user information (`user:password@`, or just `@`, before the host);
 * - `not_url`: it is not an absolute URL at all (`127.0.0.1:4280`, `not a url`, ``);
 * - `scheme`: an absolute URL whose scheme is not `http:` or `https:` (`localhost:4280` parses as
 *   scheme `localhost:`);
 * - `query`: it has a query string or fragment, even an empty one (`http://host/?`); request
 *   paths are appended to the base URL, so `http://host/?x=1` would call
 *   `http://host/?x=1/v1/orgs`. `suggestion` is the URL without them (origin and path, no
 *   trailing slash).
 */
export type BaseUrlProblem =
  | { kind: 'credentials' | 'not_url' | 'scheme'; message: string; shown: string }
  | { kind: 'query'; message: string; shown: string; suggestion: string };

/**
 * `scheme:` then an authority holding `@` (user information, RFC 3986 section 3.2.1), with or
 * without the slashes: WHATWG URL parsing reads `http:user:pw@host` and `http:\\user:pw@host` as
 * `http://user:pw@host`. Read on the text, before parsing, so an unparseable URL is caught too.
 */
const USERINFO = /^\s*[a-z][a-z0-9+.-]*:[/\\]*[^/\\?#]*@/i;

/**
 * The one rule for a Hangar API base URL, shared by `createHangarClient` and the `hangar` CLI's
 * `--api-url`: an absolute `http:` or `https:` URL (a path prefix is allowed), with no user name
 * or password (fetch refuses them, and they would be echoed in errors and logs; Hangar
 * authenticates with a token) and no query or fragment. Pure: no network, no throw.
 *
 * @param baseUrl the URL as given (the server root, optionally with a path prefix or `/v1`)
 * @returns undefined when it can be used, else what is wrong ({@link BaseUrlProblem}); no field
 *   of the answer repeats a password
 * @example
 *   baseUrlProblem('http://127.0.0.1:4280'); // undefined
 *   baseUrlProblem('127.0.0.1:4280')?.kind; // 'not_url'
 *   baseUrlProblem('http://u:pw@host')?.kind; // 'credentials'
 */
export function baseUrlProblem(baseUrl: string): BaseUrlProblem | undefined {
  const text = String(baseUrl);
  const shown = text.replace(/^(.*\/\/)?[^/]*@/, '$1***@');
  const quoted = JSON.stringify(shown);
  const credentials = {
    kind: 'credentials',
    message:
      'baseUrl must not hold a user name or password (user:password@); pass the API token as `token`',
    shown,
  } as const;
  if (USERINFO.test(text)) return credentials;
  const absolute = `baseUrl must be an absolute http:// or https:// URL such as http://127.0.0.1:4280; got ${quoted}`;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { kind: 'not_url', message: absolute, shown };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return { kind: 'scheme', message: absolute, shown };
  }
  // Parsing drops tabs and newlines anywhere, so user information can hide from the text check.
  if (url.username || url.password) return credentials;
  if (/[?#]/.test(text)) {
    const suggestion = `${url.origin}${url.pathname.replace(/\/$/, '')}`;
    return {
      kind: 'query',
      message: `baseUrl must not have a query or fragment; got ${quoted}, use ${JSON.stringify(suggestion)}`,
      shown,
      suggestion,
    };
  }
  return undefined;
}

/**
 * The server root of a base URL: trailing slashes and one trailing `/v1` removed
 * (`http://h/v1/` -> `http://h`). Request paths already start with `/v1`.
 */
export function serverRoot(baseUrl: string): string {
  return baseUrl.replace(/\/+$/, '').replace(/\/v1$/, '').replace(/\/+$/, '');
}
