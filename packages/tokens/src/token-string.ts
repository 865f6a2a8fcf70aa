/**
 * Token string form: `hangar_` + base64url (no padding) of the v2 binary macaroon + `_` + a
 * 6-character checksum, the CRC-32 (IEEE, as zlib computes it) of the base64url body's ASCII
 * bytes written in base62 (`0-9A-Za-z`), left-padded with `0`. The fixed prefix lets secret
 * scanners recognise a Hangar token; the checksum rejects a mistyped or truncated one offline.
 */
import { crc32 } from 'node:zlib';
import { TokenFormatError } from './errors.js';

export const TOKEN_PREFIX = 'hangar_';
export const CHECKSUM_LENGTH = 6;
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
/** Far above any token Hangar mints; bounds the work an oversized header can cause. */
export const MAX_TOKEN_LENGTH = 16_384;
const BASE64URL_BODY = /^[A-Za-z0-9_-]+$/;
const BEARER = /^bearer\s+/i;

/** The 6-character base62 CRC-32 of `body` (e.g. `000000` .. `4GFfc3`). */
export function checksumOf(body: string): string {
  let n = crc32(body);
  let out = '';
  do {
    out = BASE62[n % 62] + out;
    n = Math.floor(n / 62);
  } while (n > 0);
  return out.padStart(CHECKSUM_LENGTH, '0');
}

/** Whether the 6 characters of `token` from `at` are `crc` in base62 (no string built: hot path). */
function checksumMatches(token: string, at: number, crc: number): boolean {
  let n = crc;
  for (let i = at + CHECKSUM_LENGTH - 1; i >= at; i--) {
    if (token.charCodeAt(i) !== BASE62.charCodeAt(n % 62)) return false;
    n = Math.floor(n / 62);
  }
  return true;
}

/** Wraps binary macaroon bytes as a token string `hangar_<base64url>_<checksum>`. */
export function encodeTokenString(bytes: Uint8Array): string {
  const body = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('base64url');
  return `${TOKEN_PREFIX}${body}_${checksumOf(body)}`;
}

/** Value of a base64url character, for the unused-bits check below. */
function b64Value(c: number): number {
  if (c >= 65 && c <= 90) return c - 65;
  if (c >= 97 && c <= 122) return c - 71;
  if (c >= 48 && c <= 57) return c + 4;
  return c === 45 ? 62 : 63;
}

/**
 * Unwraps a token string to its binary macaroon bytes, checking prefix, checksum and base64url
 * (canonical: no padding, zero unused bits, so one byte string has exactly one token string).
 * Does not trim or strip `Bearer ` (see normalizeToken) and does not parse the macaroon.
 * Throws TokenFormatError with code wrong_prefix, bad_checksum or undecodable.
 */
export function decodeTokenString(token: string): Buffer {
  if (typeof token !== 'string' || !token.startsWith(TOKEN_PREFIX)) {
    throw new TokenFormatError('wrong_prefix', 'not a Hangar token: it must start with "hangar_"');
  }
  if (token.length > MAX_TOKEN_LENGTH) {
    throw new TokenFormatError('undecodable', 'token is too long');
  }
  const sep = token.length - CHECKSUM_LENGTH - 1;
  if (sep <= TOKEN_PREFIX.length || token.charCodeAt(sep) !== 95 /* _ */) {
    throw new TokenFormatError(
      'bad_checksum',
      'token has no checksum: it is truncated or mistyped',
    );
  }
  const body = token.slice(TOKEN_PREFIX.length, sep);
  if (!checksumMatches(token, sep + 1, crc32(body))) {
    throw new TokenFormatError(
      'bad_checksum',
      'token checksum does not match: it is mistyped or truncated',
    );
  }
  const tail = body.length % 4;
  if (!BASE64URL_BODY.test(body) || tail === 1) {
    throw new TokenFormatError('undecodable', 'token body is not base64url');
  }
  const unusedBits = tail === 2 ? 0x0f : tail === 3 ? 0x03 : 0;
  if ((b64Value(body.charCodeAt(body.length - 1)) & unusedBits) !== 0) {
    throw new TokenFormatError('undecodable', 'token body is not canonical base64url');
  }
  return Buffer.from(body, 'base64url');
}

/**
 * What a user pasted, as a token string: trims whitespace and one leading `Bearer ` (any case),
 * as in an HTTP Authorization header. Does not validate.
 */
export function normalizeToken(input: string): string {
  return input.trim().replace(BEARER, '').trim();
}
