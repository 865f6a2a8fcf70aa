/**
 * Finding Hangar token strings and JSON Web Tokens inside other text, to keep them out of logs,
 * journals, error messages and problem bodies (the one rule of the server and the CLI). No imports: `@hangar/tokens/redact` loads nothing else, so the
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

/**
 * A JSON Web Token, such as a CI system's OIDC ID token (RFC 7519; compact form, RFC 7515
 * section 7.1): a base64url JSON header (`{"` encodes as `eyJ`), then two to four more
 * `.`-separated base64url parts (JWS has three parts, JWE five; a signature may be empty), the
 * dots maybe percent-encoded as `%2E` in a raw URL. A match starts only where a base64url run
 * starts (or right after a percent-encoded character), so a long run such as `eyJeyJeyJ…` is
 * tried once, not at every `eyJ` in it: linear time on any text.
 */
const JWT_IN_TEXT =
  /(?:(?<=%[0-9A-Fa-f]{2})|(?<![A-Za-z0-9_-]))eyJ[A-Za-z0-9_-]{8,}(?:(?:\.|%2[eE])[A-Za-z0-9_-]*){2,4}/g;

/** What a JWT becomes: `[redacted JWT]`. */
export const REDACTED_JWT = '[redacted JWT]';

/** `text` with every JWT-shaped substring (see above) replaced by {@link REDACTED_JWT}. */
export function redactJwts(text: string): string {
  return text.replace(JWT_IN_TEXT, REDACTED_JWT);
}

/** True when `text`, trimmed, is one JWT and nothing else (see above). */
export function looksLikeJwt(text: string): boolean {
  const trimmed = text.trim();
  return trimmed !== '' && trimmed.replace(JWT_IN_TEXT, '') === '';
}
