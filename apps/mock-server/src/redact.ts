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
 * - the admin key each server of this process was started with, by value
 *   ({@link redactValueOf}), whatever its shape: one set through `HANGAR_MOCK_ADMIN_KEY` or the
 *   `adminKey` option need not look like `hma_...`: `hma_[redacted]` too.
 * Words that only start like one (`hangar_short`, `hma_x`) are kept: every real secret is far
 * longer.
 */
import { redactJwts, redactTokens } from '@hangar/tokens/redact';

export { REDACTED_JWT, REDACTED_TOKEN } from '@hangar/tokens/redact';

/** An admin key (secrets.ts), the server's own secret, also with its `_` percent-encoded. */
const ADMIN_KEY_IN_TEXT = /hma(?:_|%5[fF])[A-Za-z0-9_%-]{20,}/g;

/** What an admin key becomes: `hma_[redacted]`. */
export const REDACTED_ADMIN_KEY = 'hma_[redacted]';

/** Secrets redacted by value: pattern, and how many servers registered it (two may share one). */
const byValue = new Map<string, { pattern: RegExp; servers: number }>();

/** `%XX` for one byte, either case of the hex digits (`%2f` and `%2F` are the same byte). */
const percentByte = (byte: number) =>
  `%${byte
    .toString(16)
    .padStart(2, '0')
    .replace(/[a-f]/g, (d) => `[${d}${d.toUpperCase()}]`)}`;

/**
 * A pattern matching `secret` as written, or with any of its characters percent-encoded (a
 * path or query string: `p%40ss` for `p@ss`, `+` for a space).
 */
function valuePattern(secret: string): RegExp {
  const parts = [...secret].map((char) => {
    const encoded = [...Buffer.from(char, 'utf8')].map(percentByte).join('');
    const literal = char.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&');
    return `(?:${literal}|${encoded}${char === ' ' ? '|\\+' : ''})`;
  });
  return new RegExp(parts.join(''), 'g');
}

/**
 * Redacts `secret` by value from now on, wherever {@link redactSecrets} runs (the request log,
 * the journal, problem bodies), until the returned function is called: for the admin key a
 * server starts with, which may have any shape. Every occurrence is replaced, so a key that is a
 * common word also blanks that word; an empty `secret` is ignored.
 *
 * @returns a function that stops redacting it (once every server that registered it has)
 */
export function redactValueOf(secret: string): () => void {
  if (secret === '') return () => {};
  const entry = byValue.get(secret) ?? { pattern: valuePattern(secret), servers: 0 };
  entry.servers += 1;
  byValue.set(secret, entry);
  let done = false;
  return () => {
    if (done) return;
    done = true;
    entry.servers -= 1;
    if (entry.servers === 0) byValue.delete(secret);
  };
}

/** `text` with every token string, admin key and JWT in it replaced (see above). */
export function redactSecrets(text: string): string {
  let redacted = redactTokens(text).replace(ADMIN_KEY_IN_TEXT, REDACTED_ADMIN_KEY);
  for (const { pattern } of byValue.values()) {
    redacted = redacted.replace(pattern, REDACTED_ADMIN_KEY);
  }
  return redactJwts(redacted);
}
