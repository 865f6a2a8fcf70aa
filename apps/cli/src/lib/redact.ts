import { redactTokens as redactTokensIn } from '@hangar/tokens/redact';

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
 * A JSON Web Token in compact form (RFC 7519 section 3, RFC 7515 section 7.1): three base64url
 * parts joined by dots, the first a JSON header (`{"` encodes as `eyJ`). The signature may be
 * empty (an unsecured JWT). CI OIDC ID tokens (`auth exchange`) look like this, and each is a
 * live credential until it expires.
 */
const JWT_IN_TEXT = /eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/g;

/** What a JWT found by {@link redactTokens} becomes. */
export const REDACTED_JWT = '[redacted JWT]';

/** True when `text`, trimmed, is one JWT and nothing else (see {@link JWT_IN_TEXT}). */
export function looksLikeJwt(text: string): boolean {
  const trimmed = text.trim();
  return trimmed.replace(JWT_IN_TEXT, '') === '' && trimmed !== '';
}

/**
 * `text` with every Hangar token string in it (found as the server finds them:
 * `@hangar/tokens/redact`) shown as {@link redactToken} shows one, and every JWT (an OIDC ID
 * token) as {@link REDACTED_JWT}: error lines echo what was typed, and a secret pasted where a
 * name, id or file belongs must not be repeated on the terminal or in `--json` output. Every
 * error line the CLI prints passes through here (bin/run.js, errorJson).
 */
export function redactTokens(text: string): string {
  return redactTokensIn(text, redactToken).replace(JWT_IN_TEXT, REDACTED_JWT);
}
