/**
 * Finding Hangar token strings inside other text, to keep them out of logs, journals, error
 * messages and problem bodies. No imports: `@hangar/tokens/redact` loads nothing else, so the
 * CLI can use it on its start-up path.
 */

/**
 * Anything shaped like a Hangar token string (`hangar_` + base64url body + `_` + checksum; see
 * token-string.ts), also with its underscore percent-encoded (`hangar%5F…`) as it appears in a
 * raw URL, and with at least 20 characters after the prefix: every real token is far longer,
 * while words such as `hangar_short` are not secrets. Greedy on purpose: a look-alike of that
 * length, or a token glued to other text, is blanked out too. Case-sensitive: tokens are
 * minted lower-case `hangar_`, and `HANGAR_API_TOKEN` is a variable name.
 */
const TOKEN_IN_TEXT = /hangar(?:_|%5[fF])[A-Za-z0-9_%-]{20,}/g;

/** What a token string becomes by default: `hangar_[redacted]`. */
export const REDACTED_TOKEN = 'hangar_[redacted]';

/**
 * `text` with every token-shaped substring (see above) replaced.
 * @param replace what a found token becomes; by default {@link REDACTED_TOKEN} (the CLI shows
 *   `hangar_…abcd` instead, so a user can tell which token it was)
 */
export function redactTokens(
  text: string,
  replace: (token: string) => string = () => REDACTED_TOKEN,
): string {
  return text.replace(TOKEN_IN_TEXT, replace);
}
