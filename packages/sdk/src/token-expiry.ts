import type { Middleware } from 'openapi-fetch';

/** The response header saying when the token in use expires (RFC 3339, UTC). */
export const TOKEN_EXPIRES_AT_HEADER = 'Hangar-Token-Expires-At';

/** What {@link HangarClientOptions.onTokenExpiry} hears after each authenticated answer. */
export interface TokenExpiry {
  /** When the token in use expires: the header's RFC 3339 text, e.g. `2026-12-30T08:00:00Z`. */
  expiresAt: string;
  /** The same instant in milliseconds since the Unix epoch. */
  expiresAtMs: number;
  /**
   * Whole seconds from now (this machine's clock) until then; negative once past. The server's
   * clock decides expiry, so treat it as an estimate.
   */
  secondsLeft: number;
  /** The request that got the answer: method and URL (never headers or the token). */
  method: string;
  url: string;
}

/** Hears the token's expiry from every answer that carries it (errors too). */
export type TokenExpiryListener = (expiry: TokenExpiry) => void;

/**
 * Calls `listener` with the `Hangar-Token-Expires-At` of each response that has a valid one
 * (answers to authenticated requests, GitHub's `GitHub-Authentication-Token-Expiration` is the
 * model). A listener that throws does not fail the request.
 */
export function tokenExpiryMiddleware(listener: TokenExpiryListener): Middleware {
  return {
    onResponse({ request, response }) {
      const expiresAt = response.headers.get(TOKEN_EXPIRES_AT_HEADER);
      if (expiresAt === null) return undefined;
      const expiresAtMs = Date.parse(expiresAt);
      if (Number.isNaN(expiresAtMs)) return undefined;
      try {
        listener({
          expiresAt,
          expiresAtMs,
          secondsLeft: Math.floor((expiresAtMs - Date.now()) / 1000),
          method: request.method,
          url: request.url,
        });
      } catch {
        // The listener is advice for the caller (a warning); the answer stands either way.
      }
      return undefined;
    },
  };
}
