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
   * When the server answered, in milliseconds since the Unix epoch ({@link serverTimeMs}: the
   * answer's `Date` header, RFC 9110 section 6.6.1). The server's clock decides expiry, so
   * relative times are best computed from this.
   */
  serverNowMs: number;
  /** Whole seconds from `serverNowMs` until `expiresAtMs`; negative once past. */
  secondsLeft: number;
  /** The request that got the answer: method and URL (never headers or the token). */
  method: string;
  url: string;
}

/** Hears the token's expiry from every answer that carries it (errors too). */
export type TokenExpiryListener = (expiry: TokenExpiry) => void;

/**
 * The server's time now, in milliseconds since the Unix epoch, from an answer's `Date` header
 * (RFC 9110 section 6.6.1). The header has whole seconds, so this machine's clock keeps the
 * milliseconds: within 2 s of the header (the clocks agree, give or take the answer's travel)
 * it is taken as it is; else it is shifted by the whole seconds the server is ahead or behind
 * (a server clock moved by `/_admin/clock`). Without a valid header, this machine's clock.
 */
export function serverTimeMs(response: Response): number {
  const local = Date.now();
  const date = Date.parse(response.headers.get('Date') ?? '');
  if (Number.isNaN(date) || Math.abs(date - local) < 2000) return local;
  return local + (date - Math.floor(local / 1000) * 1000);
}

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
      const serverNowMs = serverTimeMs(response);
      try {
        listener({
          expiresAt,
          expiresAtMs,
          serverNowMs,
          secondsLeft: Math.floor((expiresAtMs - serverNowMs) / 1000),
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
