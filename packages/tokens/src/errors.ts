/** Why a token string could not be decoded. */
export type TokenFormatErrorCode = 'wrong_prefix' | 'bad_checksum' | 'undecodable';

/**
 * Thrown when a token string is not a well-formed Hangar token. `code` says which layer failed:
 * - `wrong_prefix`: it does not start with `hangar_` (not a Hangar token at all);
 * - `bad_checksum`: the CRC-32 suffix is missing or does not match (mistyped or truncated);
 * - `undecodable`: the checksum matches but the body is not base64url of a v2 binary macaroon.
 * Messages never contain the token itself.
 */
export class TokenFormatError extends Error {
  override readonly name = 'TokenFormatError';
  constructor(
    readonly code: TokenFormatErrorCode,
    message: string,
  ) {
    super(message);
  }
}
