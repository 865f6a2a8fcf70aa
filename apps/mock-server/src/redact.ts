/**
 * Secrets out of logs, the request journal and problem bodies: the one rule of the server.
 * Anything shaped like a secret is blanked wherever it appears (path, query, body, header
 * value), whatever the field or parameter it came in:
 * - Hangar token strings, by `@hangar/tokens/redact` (the one function of the server and the
 *   CLI; `DELETE /v1/tokens/hangar_…` must not be echoed back or logged): `hangar_[redacted]`;
 * - admin keys (`hma_` + base64url, secrets.ts), also with the `_` percent-encoded:
 *   `hma_[redacted]`;
 * - JSON Web Tokens, such as OIDC ID tokens (RFC 7519: base64url JSON header `eyJ…`, then two
 *   to four more `.`-separated base64url parts, the dots maybe percent-encoded as `%2E`):
 *   `[redacted JWT]`.
 * Words that only start like one (`hangar_short`, `hma_x`) are kept: every real secret is far
 * longer.
 */
import { redactTokens } from '@hangar/tokens/redact';

export { REDACTED_TOKEN } from '@hangar/tokens/redact';

/**
 * An admin key, or a JWT: what the server redacts besides token strings. A JWT starts where a
 * base64url run starts (or after a percent-encoded character), so a long run such as
 * `eyJeyJeyJ…` is tried once, not at every `eyJ` in it: linear time on any 64 KiB text.
 */
const OTHER_SECRETS =
  /hma(?:_|%5[fF])[A-Za-z0-9_%-]{20,}|(?:(?<=%[0-9A-Fa-f]{2})|(?<![A-Za-z0-9_-]))eyJ[A-Za-z0-9_-]{8,}(?:(?:\.|%2[eE])[A-Za-z0-9_-]*){2,4}/g;

/** What an admin key becomes: `hma_[redacted]`. */
export const REDACTED_ADMIN_KEY = 'hma_[redacted]';
/** What a JWT becomes: `[redacted JWT]`. */
export const REDACTED_JWT = '[redacted JWT]';

/** `text` with every token string, admin key and JWT in it replaced (see above). */
export function redactSecrets(text: string): string {
  return redactTokens(text).replace(OTHER_SECRETS, (found) =>
    found.startsWith('hma') ? REDACTED_ADMIN_KEY : REDACTED_JWT,
  );
}
