/**
 * Anything shaped like a Hangar token string (`hangar_` + base64url + `_` + checksum, see
 * packages/tokens/src/token-string.ts), also with its underscore percent-encoded (`hangar%5F…`)
 * as it appears in a raw URL. Greedy on purpose: a look-alike is blanked out too.
 */
const TOKEN_SHAPE = /hangar(?:_|%5f)[A-Za-z0-9_%-]+/gi;

/** What a token string becomes in logs and problem bodies. */
export const REDACTED_TOKEN = 'hangar_[redacted]';

/**
 * `text` with every token-shaped substring replaced by `hangar_[redacted]`, for URLs in logs and
 * every text field of a problem body (a token pasted into a path, e.g. `DELETE /v1/tokens/hangar_…`,
 * must not be echoed back or logged).
 */
export function redactTokens(text: string): string {
  return text.replace(TOKEN_SHAPE, REDACTED_TOKEN);
}
