import { crc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import {
  checksumOf,
  decodeTokenString,
  encodeTokenString,
  inspect,
  normalizeToken,
  TokenFormatError,
} from '../src/index.js';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** Independent base62 of a CRC, most significant digit first. */
function base62(n: number): string {
  const digits: string[] = [];
  for (let i = 0; i < 6; i++) {
    digits.unshift(BASE62[n % 62] as string);
    n = Math.floor(n / 62);
  }
  return digits.join('');
}

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    if (error instanceof TokenFormatError) return error.code;
    throw error;
  }
  return undefined;
}

describe('token string format', () => {
  it('is hangar_ + base64url(bytes) + _ + base62 CRC-32 of the body', () => {
    const bytes = Buffer.from([0x02, 0xfb, 0xff, 0x10]);
    const body = bytes.toString('base64url');
    expect(body).toBe('Avv_EA');
    expect(encodeTokenString(bytes)).toBe(`hangar_${body}_${base62(crc32(body))}`);
  });

  it('decodes what it encodes', () => {
    const bytes = Buffer.from('any bytes at all \u0000\u00ff');
    expect(decodeTokenString(encodeTokenString(bytes)).equals(bytes)).toBe(true);
  });

  it('writes the checksum with the 0-9, A-Z, a-z alphabet', () => {
    // "a" has CRC-32 0xe8b7be43 = 3904355907.
    expect(crc32('a')).toBe(3904355907);
    // 3904355907 = 4*62^5 + 16*62^4 + 14*62^3 + 17*62^2 + 20*62 + 23 -> "4", "G", "E", "H", "K", "N"
    expect(checksumOf('a')).toBe('4GEHKN');
    expect(base62(61)).toBe('00000z');
    expect(base62(62)).toBe('000010');
    expect(base62(36)).toBe('00000a');
    expect(base62(10)).toBe('00000A');
  });

  it('left-pads short checksums with 0 to 6 characters', () => {
    // The CRC-32 of the empty string is 0.
    expect(checksumOf('')).toBe('000000');
    for (const body of ['a', 'AAAA', 'hello', 'xyz_-']) {
      expect(checksumOf(body)).toMatch(/^[0-9A-Za-z]{6}$/);
      expect(checksumOf(body)).toBe(base62(crc32(body)));
    }
  });

  it('decodes tokens whose checksum starts with zeros', () => {
    // crc < 62^4 gives a checksum beginning "00"; about 1 body in 290 does.
    let i = 0;
    let token = '';
    while (!token.endsWith('_00', token.length - 4))
      token = encodeTokenString(Buffer.from(`body ${i++}`));
    expect(token).toMatch(/_00[0-9A-Za-z]{4}$/);
    expect(decodeTokenString(token).toString()).toBe(`body ${i - 1}`);
  });

  it('reports a wrong prefix', () => {
    expect(codeOf(() => decodeTokenString('fly_abc_000000'))).toBe('wrong_prefix');
    expect(codeOf(() => decodeTokenString('Hangar_AAAA_000000'))).toBe('wrong_prefix');
    expect(codeOf(() => decodeTokenString(''))).toBe('wrong_prefix');
    expect(codeOf(() => decodeTokenString(42 as unknown as string))).toBe('wrong_prefix');
  });

  it('reports a bad checksum for a mistyped or truncated token', () => {
    const token = encodeTokenString(Buffer.from('some macaroon bytes'));
    expect(codeOf(() => decodeTokenString(token.slice(0, -1)))).toBe('bad_checksum');
    expect(codeOf(() => decodeTokenString(token.slice(0, 20)))).toBe('bad_checksum');
    expect(codeOf(() => decodeTokenString('hangar_'))).toBe('bad_checksum');
    expect(codeOf(() => decodeTokenString('hangar__000000'))).toBe('bad_checksum');
    const typo = token.replace(
      /^(hangar_.)./,
      (_m, p: string) => `${p}${token[8] === 'Q' ? 'R' : 'Q'}`,
    );
    expect(codeOf(() => decodeTokenString(typo))).toBe('bad_checksum');
  });

  it('reports an undecodable body when the checksum matches', () => {
    const withBody = (body: string) => `hangar_${body}_${checksumOf(body)}`;
    expect(codeOf(() => decodeTokenString(withBody('AA=A')))).toBe('undecodable');
    expect(codeOf(() => decodeTokenString(withBody('A+/A')))).toBe('undecodable');
    expect(codeOf(() => decodeTokenString(withBody('AAAAA')))).toBe('undecodable');
    // "AB" leaves non-zero unused bits: not the canonical encoding of any byte string.
    expect(codeOf(() => decodeTokenString(withBody('AB')))).toBe('undecodable');
    expect(codeOf(() => decodeTokenString(withBody('A'.repeat(20_000))))).toBe('undecodable');
    // Valid base64url, but not a macaroon: inspect parses the body too.
    expect(codeOf(() => inspect(withBody('AAAA')))).toBe('undecodable');
  });

  it('never echoes the token in error messages', () => {
    const token = encodeTokenString(Buffer.from('secret-ish bytes'));
    try {
      decodeTokenString(`${token}x`);
    } catch (error) {
      expect((error as Error).message).not.toContain(token.slice(7, 20));
    }
  });
});

describe('normalizeToken', () => {
  it('trims whitespace and a leading Bearer in any case', () => {
    expect(normalizeToken('  hangar_x_000000\n')).toBe('hangar_x_000000');
    expect(normalizeToken('Bearer hangar_x_000000')).toBe('hangar_x_000000');
    expect(normalizeToken('bearer   hangar_x_000000 ')).toBe('hangar_x_000000');
    expect(normalizeToken('\tBEARER hangar_x_000000')).toBe('hangar_x_000000');
  });

  it('leaves other text alone', () => {
    expect(normalizeToken('Bearerhangar_x')).toBe('Bearerhangar_x');
    expect(normalizeToken('Basic abc')).toBe('Basic abc');
  });
});
