// The standard macaroon layer: signature chain and v2 binary format, checked against published
// values and against bytes written out by hand from libmacaroons' doc/format.txt.
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  authenticate,
  decodeMacaroon,
  encodeMacaroon,
  encodeTokenString,
  inspect,
  type RawMacaroon,
  TokenFormatError,
} from '../src/index.js';
import { signatureFor } from '../src/signature.js';

const ROOT_KEY = Buffer.from('this is our super secret key; only we should know it');
const IDENTIFIER = Buffer.from('we used our secret key');
const CAVEAT = Buffer.from('account = 3735928559');
const EXAMPLE_SIGNATURE = '1efe4763f290dbce0c1d08477367e11f4eee456a64933cf662d79772dbb82128';

/** v2 bytes for the published example, one field at a time (all lengths fit in one byte). */
function exampleBytes(): Buffer {
  const field = (type: number, data: Buffer) =>
    Buffer.concat([Buffer.from([type, data.length]), data]);
  return Buffer.concat([
    Buffer.from([0x02]),
    field(1, Buffer.from('http://mybank/')),
    field(2, IDENTIFIER),
    Buffer.from([0x00]),
    field(2, CAVEAT),
    Buffer.from([0x00]),
    Buffer.from([0x00]),
    field(6, Buffer.from(EXAMPLE_SIGNATURE, 'hex')),
  ]);
}

const example: RawMacaroon = {
  location: 'http://mybank/',
  identifier: IDENTIFIER,
  caveats: [{ id: CAVEAT }],
  signature: Buffer.from(EXAMPLE_SIGNATURE, 'hex'),
};

describe('macaroon signature chain', () => {
  it('reproduces the published libmacaroons example with one caveat', () => {
    expect(signatureFor(ROOT_KEY, IDENTIFIER, [{ id: CAVEAT }]).toString('hex')).toBe(
      EXAMPLE_SIGNATURE,
    );
  });

  it('reproduces the published signature without caveats', () => {
    expect(signatureFor(ROOT_KEY, IDENTIFIER, []).toString('hex')).toBe(
      'e3d9e02908526c4c0039ae15114115d97fdd68bf2ba379b342aaf0f617d0552f',
    );
  });

  it('derives the key with HMAC("macaroons-key-generator", root key)', () => {
    const key = createHmac('sha256', 'macaroons-key-generator').update(ROOT_KEY).digest();
    const sig0 = createHmac('sha256', key).update(IDENTIFIER).digest();
    const sig1 = createHmac('sha256', sig0).update(CAVEAT).digest();
    expect(sig1.toString('hex')).toBe(EXAMPLE_SIGNATURE);
  });
});

describe('v2 binary format', () => {
  it('encodes the example to the bytes the spec describes', () => {
    expect(encodeMacaroon(example).equals(exampleBytes())).toBe(true);
  });

  it('decodes those bytes back to the same fields', () => {
    const decoded = decodeMacaroon(exampleBytes());
    expect(decoded.location).toBe('http://mybank/');
    expect(Buffer.from(decoded.identifier).equals(IDENTIFIER)).toBe(true);
    expect(decoded.caveats).toHaveLength(1);
    expect(Buffer.from(decoded.caveats[0]?.id ?? []).equals(CAVEAT)).toBe(true);
    expect(decoded.caveats[0]?.vid).toBeUndefined();
    expect(Buffer.from(decoded.signature).toString('hex')).toBe(EXAMPLE_SIGNATURE);
  });

  it('writes lengths of 128 and more as multi-byte varints', () => {
    const identifier = Buffer.alloc(300, 0x61);
    const bytes = encodeMacaroon({ identifier, caveats: [], signature: Buffer.alloc(32) });
    // 300 = 0b10_0101100 -> 0xac 0x02
    expect([...bytes.subarray(0, 4)]).toEqual([0x02, 0x02, 0xac, 0x02]);
    expect(Buffer.from(decodeMacaroon(bytes).identifier).equals(identifier)).toBe(true);
  });

  it('round-trips a third-party caveat (vid and location)', () => {
    const raw: RawMacaroon = {
      identifier: IDENTIFIER,
      caveats: [{ id: Buffer.from('3p'), vid: Buffer.from([1, 2, 3]), location: 'https://auth/' }],
      signature: Buffer.alloc(32, 9),
    };
    const back = decodeMacaroon(encodeMacaroon(raw));
    expect(back.caveats[0]?.location).toBe('https://auth/');
    expect([...(back.caveats[0]?.vid ?? [])]).toEqual([1, 2, 3]);
  });

  it('rejects an empty verification id packet: a first-party caveat has none (canonical form only)', () => {
    const bytes = Buffer.concat([
      exampleBytes().subarray(0, 64), // version, location, identifier, EOS, caveat id
      Buffer.from([0x04, 0x00]), // empty vid
      exampleBytes().subarray(64),
    ]);
    expect(() => decodeMacaroon(bytes)).toThrow(
      expect.objectContaining({
        code: 'undecodable',
        message: expect.stringMatching(/empty verification id/),
      }),
    );
    const token = encodeTokenString(bytes);
    expect(() => inspect(token)).toThrow(TokenFormatError);
    expect(authenticate(token, ROOT_KEY, new Date())).toMatchObject({
      ok: false,
      reason: 'malformed',
    });
  });

  it('rejects an empty location packet (the encoder never writes one)', () => {
    // The identifier packet ("a"), the ends of header and of caveats, a zero signature packet.
    const afterLocation = [0x02, 0x01, 0x61, 0x00, 0x00, 0x06, 0x20, ...Buffer.alloc(32)];
    // Version 2, then field type 1 (location) with length 0.
    const withEmpty = Buffer.from([0x02, 0x01, 0x00, ...afterLocation]);
    expect(() => decodeMacaroon(withEmpty)).toThrow(
      expect.objectContaining({ code: 'undecodable' }),
    );
    const without = Buffer.from([0x02, ...afterLocation]);
    expect(decodeMacaroon(without).location).toBeUndefined();
  });

  it('accepts a token another library produced: signature checks, foreign caveat fails closed', () => {
    const token = encodeTokenString(exampleBytes());
    expect(authenticate(token, ROOT_KEY, new Date())).toEqual({
      ok: false,
      reason: 'unknown_caveat',
      detail: 'unknown or malformed caveat "account = 3735928559"',
    });
    expect(authenticate(token, Buffer.from('wrong key'), new Date())).toMatchObject({
      ok: false,
      reason: 'bad_signature',
    });
    expect(inspect(token).caveats).toEqual([{ type: 'unknown', text: 'account = 3735928559' }]);
  });

  const bad: [string, number[]][] = [
    ['empty input', []],
    ['version 1 byte', [0x01]],
    ['truncated after version', [0x02]],
    ['missing identifier', [0x02, 0x01, 0x01, 0x61, 0x00]],
    ['unknown field in header', [0x02, 0x02, 0x01, 0x61, 0x05, 0x01, 0x61, 0x00]],
    ['length past the end', [0x02, 0x02, 0x09, 0x61]],
    ['non-minimal varint', [0x02, 0x02, 0x81, 0x00, 0x61]],
    ['varint too long', [0x02, 0x02, 0xff, 0xff, 0xff, 0xff, 0x01]],
    ['caveat without identifier', [0x02, 0x02, 0x01, 0x61, 0x00, 0x04, 0x01, 0x61, 0x00]],
    [
      'location in first-party caveat',
      [0x02, 0x02, 0x01, 0x61, 0x00, 0x01, 0x01, 0x6c, 0x02, 0x01, 0x63, 0x00],
    ],
    ['no signature', [0x02, 0x02, 0x01, 0x61, 0x00, 0x00]],
    ['short signature', [0x02, 0x02, 0x01, 0x61, 0x00, 0x00, 0x06, 0x01, 0x00]],
    ['location not UTF-8', [0x02, 0x01, 0x01, 0xff, 0x02, 0x01, 0x61, 0x00]],
  ];
  it.each(bad)('rejects %s as undecodable', (_name, bytes) => {
    expect(() => decodeMacaroon(Buffer.from(bytes))).toThrow(
      expect.objectContaining({ name: 'TokenFormatError', code: 'undecodable' }),
    );
  });

  it('rejects trailing bytes after the signature', () => {
    const bytes = Buffer.concat([exampleBytes(), Buffer.from([0x00])]);
    expect(() => decodeMacaroon(bytes)).toThrow(TokenFormatError);
  });
});
