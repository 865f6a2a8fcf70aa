/**
 * Shows a secret token only as its prefix and last four characters, e.g. `hangar_…abcd`, so that
 * --verbose output and messages can say which token is in use without revealing it.
 */
export function redactToken(token: string): string {
  const trimmed = token.trim();
  const prefix = trimmed.startsWith('hangar_') ? 'hangar_' : '';
  if (trimmed.length < prefix.length + 8) return `${prefix}…`;
  return `${prefix}…${trimmed.slice(-4)}`;
}

/** A whole Hangar token string inside other text (the body and checksum are base64url/base62). */
const TOKEN_IN_TEXT = /hangar_[A-Za-z0-9_-]{20,}/g;

/**
 * `text` with every Hangar token string in it shown as {@link redactToken} shows one: error
 * lines echo what was typed, and a token pasted where a name or id belongs must not be repeated
 * on the terminal or in `--json` output.
 */
export function redactTokens(text: string): string {
  return text.replace(TOKEN_IN_TEXT, (token) => redactToken(token));
}
