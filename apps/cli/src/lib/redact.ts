import { redactJwts, redactTokens as redactTokensIn } from '@hangar/tokens/redact';

export { looksLikeJwt, REDACTED_JWT } from '@hangar/tokens/redact';

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

/**
 * `text` with every Hangar token string in it shown as {@link redactToken} shows one, and every
 * JWT (an OIDC ID token) as `[redacted JWT]`, both found as the server finds them
 * (`@hangar/tokens/redact`): error lines echo what was typed, and a secret pasted where a name,
 * id or file belongs must not be repeated on the terminal or in `--json` output. Every error
 * line the CLI prints passes through here (bin/run.js, errorJson).
 */
export function redactTokens(text: string): string {
  return redactJwts(redactTokensIn(text, redactToken));
}
