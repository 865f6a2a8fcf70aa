/**
 * Secrets out of logs, the request journal and problem bodies: the one rule of the server.
 * Anything shaped like a secret is blanked wherever it appears (path, query, body, header
 * value), whatever the field or parameter it came in:
 * - Hangar token strings, by `@hangar/tokens/redact` (the one function of the server and the
 *   CLI; `DELETE /v1/tokens/hangar_…` must not be echoed back or logged): `hangar_[redacted]`;
 * - admin keys (`hma_` + base64url, secrets.ts), also with the `_` percent-encoded:
 *   `hma_[redacted]`;
 * - JSON Web Tokens, such as OIDC ID tokens, by `@hangar/tokens/redact` too (`redactJwts`):
 *   `[redacted JWT]`.
 * Words that only start like one (`hangar_short`, `hma_x`) are kept: every real secret is far
 * longer.
 */
import { redactJwts, redactTokens } from '@hangar/tokens/redact';

export { REDACTED_JWT, REDACTED_TOKEN } from '@hangar/tokens/redact';

/** An admin key (secrets.ts), the server's own secret, also with its `_` percent-encoded. */
const ADMIN_KEY_IN_TEXT = /hma(?:_|%5[fF])[A-Za-z0-9_%-]{20,}/g;

/** What an admin key becomes: `hma_[redacted]`. */
export const REDACTED_ADMIN_KEY = 'hma_[redacted]';

/** `text` with every token string, admin key and JWT in it replaced (see above). */
export function redactSecrets(text: string): string {
  return redactJwts(redactTokens(text).replace(ADMIN_KEY_IN_TEXT, REDACTED_ADMIN_KEY));
}
