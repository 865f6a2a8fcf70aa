import type { ProblemCode } from './problems.js';

/** The realm of every challenge: one protection space, the whole API. */
const REALM = 'hangar';

/** Codes of a token that was sent but cannot be used (RFC 6750 §3.1 `invalid_token`). */
const INVALID_TOKEN: ReadonlySet<ProblemCode> = new Set([
  'token_malformed',
  'token_invalid',
  'token_expired',
  'token_revoked',
  'token_rotated',
]);

/**
 * The `WWW-Authenticate` value of a 401 answer with problem `code` (RFC 9110 §11.6.1 requires
 * one on every 401): `Bearer realm="hangar"`, plus `error="invalid_token"` when a bearer token
 * was sent but is malformed, invalid, expired, revoked or rotated away (RFC 6750 §3).
 */
export function bearerChallenge(code: ProblemCode): string {
  const challenge = `Bearer realm="${REALM}"`;
  return INVALID_TOKEN.has(code) ? `${challenge}, error="invalid_token"` : challenge;
}
