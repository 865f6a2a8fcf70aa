/**
 * libmacaroons v2 binary serialization (rescrv/libmacaroons doc/format.txt; same as go-macaroon's
 * marshal-v2.go):
 *
 *   version 0x02
 *   [location packet] identifier packet EOS
 *   ( [location packet] identifier packet [vid packet] EOS )*   -- one section per caveat
 *   EOS
 *   signature packet (32 bytes)
 *
 * A packet is `uvarint(field type) uvarint(length) bytes`; EOS is the single byte 0 (type 0, no
 * length). Field types: 1 location, 2 identifier, 4 verification id, 6 signature.
 *
 * Only canonical encodings decode, so one macaroon has exactly one byte form: a first-party
 * caveat has no vid packet at all (an empty vid packet, which go-macaroon reads as "absent", is
 * refused), and a location packet is never empty (the encoder omits an empty location). A
 * non-empty macaroon location is kept: it is unsigned in every macaroon, and Hangar never
 * decides anything from it (README, "Security notes").
 */
import { isUtf8 } from 'node:buffer';
import { TokenFormatError } from './errors.js';

export const FIELD_EOS = 0;
export const FIELD_LOCATION = 1;
export const FIELD_IDENTIFIER = 2;
export const FIELD_VID = 4;
export const FIELD_SIGNATURE = 6;
export const VERSION_2 = 2;
export const SIGNATURE_LENGTH = 32;

/** One caveat as stored: a first-party caveat has only `id`; a third-party one also `vid`. */
export interface RawCaveat {
  id: Uint8Array;
  vid?: Uint8Array;
  location?: string;
}

/**
 * Third-party caveats carry a verification id. {@link decodeMacaroon} refuses an empty one, so
 * the length check only guards hand-built RawCaveat values.
 */
export function isThirdParty(caveat: RawCaveat): boolean {
  return caveat.vid !== undefined && caveat.vid.length > 0;
}

/** A macaroon's fields as serialized; no interpretation of identifier or caveat bytes. */
export interface RawMacaroon {
  location?: string;
  identifier: Uint8Array;
  caveats: RawCaveat[];
  signature: Uint8Array;
}

function undecodable(why: string): never {
  throw new TokenFormatError('undecodable', `token body is not a v2 macaroon: ${why}`);
}

function uvarintSize(n: number): number {
  let size = 1;
  while (n >= 0x80) {
    n = Math.floor(n / 0x80);
    size++;
  }
  return size;
}

function writeUvarint(out: Buffer, pos: number, n: number): number {
  while (n >= 0x80) {
    out[pos++] = (n & 0x7f) | 0x80;
    n = Math.floor(n / 0x80);
  }
  out[pos++] = n;
  return pos;
}

type Packet = [type: number, data: Uint8Array];

function packets(m: RawMacaroon): (Packet | null)[] {
  const list: (Packet | null)[] = [];
  if (m.location) list.push([FIELD_LOCATION, Buffer.from(m.location, 'utf8')]);
  list.push([FIELD_IDENTIFIER, m.identifier], null);
  for (const c of m.caveats) {
    if (c.location) list.push([FIELD_LOCATION, Buffer.from(c.location, 'utf8')]);
    list.push([FIELD_IDENTIFIER, c.id]);
    if (c.vid !== undefined && isThirdParty(c)) list.push([FIELD_VID, c.vid]);
    list.push(null);
  }
  list.push(null, [FIELD_SIGNATURE, m.signature]);
  return list;
}

/** Serializes a macaroon in the v2 binary format. `null` entries above stand for EOS. */
export function encodeMacaroon(m: RawMacaroon): Buffer {
  const list = packets(m);
  let size = 1;
  for (const p of list) {
    size += p === null ? 1 : uvarintSize(p[0]) + uvarintSize(p[1].length) + p[1].length;
  }
  const out = Buffer.allocUnsafe(size);
  out[0] = VERSION_2;
  let pos = 1;
  for (const p of list) {
    if (p === null) {
      out[pos++] = FIELD_EOS;
      continue;
    }
    pos = writeUvarint(out, pos, p[0]);
    pos = writeUvarint(out, pos, p[1].length);
    out.set(p[1], pos);
    pos += p[1].length;
  }
  return out;
}

/** Cursor over the binary form; every read checks bounds and fails as `undecodable`. */
const EMPTY = Buffer.alloc(0);

class Reader {
  pos = 1;
  data: Buffer = EMPTY;
  constructor(readonly buf: Buffer) {}

  private uvarint(): number {
    // Fast path: every field type and every length below 128 is a single byte.
    const first = this.buf[this.pos];
    if (first !== undefined && first < 0x80) {
      this.pos++;
      return first;
    }
    let result = 0;
    let scale = 1;
    // Four bytes (28 bits) is far beyond any legitimate field type or length here.
    for (let i = 0; i < 4; i++) {
      if (this.pos >= this.buf.length) undecodable('truncated');
      const b = this.buf[this.pos++] as number;
      result += (b & 0x7f) * scale;
      if (b < 0x80) {
        // A trailing zero byte is a non-minimal encoding: reject so each value has one form.
        if (i > 0 && b === 0) undecodable('non-minimal varint');
        return result;
      }
      scale *= 0x80;
    }
    return undecodable('varint too long');
  }

  /** Reads the next packet, returning its field type; its bytes are then in `data`. EOS is 0. */
  next(): number {
    const type = this.uvarint();
    if (type === FIELD_EOS) return type;
    const length = this.uvarint();
    const end = this.pos + length;
    if (end > this.buf.length) undecodable('field runs past the end');
    this.data = this.buf.subarray(this.pos, end);
    this.pos = end;
    return type;
  }
}

function utf8(data: Buffer, what: string): string {
  if (!isUtf8(data)) undecodable(`${what} is not UTF-8`);
  return data.toString('utf8');
}

/** `text`, or undecodable when it is empty: the encoder never writes an empty location packet. */
function nonEmpty(text: string, what: string): string {
  if (text === '') undecodable(`empty ${what}`);
  return text;
}

/**
 * Parses the v2 binary format strictly (wrong version, unknown field, misplaced field, bad
 * signature length, trailing bytes, an empty vid or location packet: all rejected). Returned byte fields are views into `bytes`.
 * Throws TokenFormatError('undecodable').
 */
export function decodeMacaroon(bytes: Uint8Array): RawMacaroon {
  const buf = Buffer.isBuffer(bytes)
    ? bytes
    : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
  if (buf.length === 0 || buf[0] !== VERSION_2) undecodable('not version 2');
  const r = new Reader(buf);
  const m: RawMacaroon = { identifier: buf, caveats: [], signature: buf };
  let type = r.next();
  if (type === FIELD_LOCATION) {
    m.location = nonEmpty(utf8(r.data, 'location'), 'location');
    type = r.next();
  }
  if (type !== FIELD_IDENTIFIER) undecodable('missing identifier');
  m.identifier = r.data;
  if (r.next() !== FIELD_EOS) undecodable('unexpected field in header');
  for (type = r.next(); type !== FIELD_EOS; type = r.next()) {
    const caveat: RawCaveat = { id: buf };
    if (type === FIELD_LOCATION) {
      caveat.location = nonEmpty(utf8(r.data, 'caveat location'), 'caveat location');
      type = r.next();
    }
    if (type !== FIELD_IDENTIFIER) undecodable('caveat without identifier');
    caveat.id = r.data;
    type = r.next();
    if (type === FIELD_VID) {
      // Non-canonical: a first-party caveat has no vid packet (libmacaroons v2 format).
      if (r.data.length === 0) undecodable('empty verification id in a caveat');
      caveat.vid = r.data;
      type = r.next();
    }
    if (type !== FIELD_EOS) undecodable('unexpected field in caveat');
    if (caveat.location !== undefined && !isThirdParty(caveat)) {
      undecodable('location in a first-party caveat');
    }
    m.caveats.push(caveat);
  }
  if (r.next() !== FIELD_SIGNATURE) undecodable('missing signature');
  if (r.data.length !== SIGNATURE_LENGTH) undecodable('signature is not 32 bytes');
  m.signature = r.data;
  if (r.pos !== buf.length) undecodable('trailing bytes');
  return m;
}
