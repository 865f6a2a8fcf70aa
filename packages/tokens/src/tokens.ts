/** Minting, attenuating, authenticating and inspecting Hangar tokens (macaroons). */
import { isUtf8 } from 'node:buffer';
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import {
  decodeMacaroon,
  encodeMacaroon,
  isThirdParty,
  type RawCaveat,
  type RawMacaroon,
} from './binary.js';
import { type Caveat, formatCaveat, parseCaveat, type UnknownCaveat } from './caveats.js';
import { TokenFormatError } from './errors.js';
import {
  type AccessRequest,
  type AuthorizeResult,
  authorize,
  type CaveatScope,
  expiresAt,
  scopeOf,
} from './scope.js';
import { chainSignature, signatureFor } from './signature.js';
import { decodeTokenString, encodeTokenString, normalizeToken } from './token-string.js';

/** A root key, or a function from a token's identifier to its root key (e.g. deriveRootKey). */
export type RootKeySource = Uint8Array | ((identifier: string) => Uint8Array);

export interface MintOptions {
  /** Secret root key (any length; Hangar derives 32 bytes with deriveRootKey). */
  rootKey: Uint8Array;
  /** The token id, e.g. from newIdentifier(); stored in the clear. */
  identifier: string;
  /** Optional location hint. Not covered by the signature (standard macaroons). */
  location?: string;
  caveats: readonly Caveat[];
}

export type AuthenticateResult =
  | { ok: true; identifier: string; caveats: Caveat[]; scope: CaveatScope }
  | {
      ok: false;
      reason: 'malformed' | 'bad_signature' | 'unknown_caveat' | 'expired';
      detail: string;
    };

export type VerifyResult = AuthenticateResult | Exclude<AuthorizeResult, { ok: true }>;

export interface InspectResult {
  identifier: string;
  location: string | null;
  caveats: (Caveat | UnknownCaveat)[];
  /** The earliest not-after, RFC 3339 UTC, or null when the token never expires. */
  expiresAt: string | null;
  /** Intersection of the known caveats (unknown ones make the token unusable anyway). */
  scope: CaveatScope;
}

interface DecodedToken {
  raw: RawMacaroon;
  identifier: string;
  /** The binary macaroon; `raw`'s byte fields are views into it. */
  bytes: Buffer;
}

/** A new token id: `tok_` + 32 lowercase hex digits (128 random bits from crypto.randomBytes). */
export function newIdentifier(): string {
  return `tok_${randomBytes(16).toString('hex')}`;
}

/**
 * A token's root key: HMAC-SHA256(key = masterKey, data = UTF-8 identifier), 32 bytes. The server
 * stores no token secrets: the master key and the public identifier re-derive it on each request.
 */
export function deriveRootKey(masterKey: Uint8Array, identifier: string): Buffer {
  return createHmac('sha256', masterKey).update(identifier, 'utf8').digest();
}

/** A Buffer view of the same bytes (decodeMacaroon already returns Buffers: no copy then). */
function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
}

/** String -> checked macaroon with a UTF-8 identifier. Throws TokenFormatError. */
function decodeToken(token: string): DecodedToken {
  const bytes = decodeTokenString(normalizeToken(token));
  const raw = decodeMacaroon(bytes);
  if (!isUtf8(raw.identifier)) {
    throw new TokenFormatError('undecodable', 'token identifier is not UTF-8');
  }
  return { raw, identifier: asBuffer(raw.identifier).toString('utf8'), bytes };
}

function caveatPacket(caveat: Caveat): RawCaveat {
  return { id: Buffer.from(formatCaveat(caveat), 'utf8') };
}

/**
 * Mints a token: a v2 macaroon signed with `rootKey`, carrying `caveats` in order, as a token
 * string (`hangar_..._xxxxxx`). Throws TypeError for an invalid caveat (see formatCaveat).
 */
export function mint(options: MintOptions): string {
  const identifier = Buffer.from(options.identifier, 'utf8');
  const caveats = options.caveats.map(caveatPacket);
  const raw: RawMacaroon = {
    identifier,
    caveats,
    signature: signatureFor(options.rootKey, identifier, caveats),
  };
  if (options.location) raw.location = options.location;
  return encodeTokenString(encodeMacaroon(raw));
}

/**
 * Adds caveats to a token offline (no key needed): the result can do at most what `token` could,
 * since every existing caveat stays and the signature chain cannot be rewound. Accepts `Bearer `
 * and surrounding whitespace. Throws TokenFormatError for a bad token, TypeError for a bad caveat.
 * Does not check the token's signature (only the server can).
 */
export function attenuate(token: string, caveats: readonly Caveat[]): string {
  const { raw } = decodeToken(token);
  let signature: Uint8Array = raw.signature;
  const added = caveats.map(caveatPacket);
  for (const c of added) signature = chainSignature(signature, c);
  return encodeTokenString(
    encodeMacaroon({ ...raw, caveats: [...raw.caveats, ...added], signature }),
  );
}

function unknownCaveatDetail(text: string): string {
  const shown = text.length > 80 ? `${text.slice(0, 80)}...` : text;
  return `unknown or malformed caveat ${JSON.stringify(shown)}`;
}

/**
 * Checks a token: format, signature (constant-time compare), that every caveat is known and
 * well-formed, and that it has not expired at `now` (valid through its not-after second).
 * Never throws for bad input; throws only if `rootKeyFor` does.
 * Reasons: malformed (TokenFormatError: detail says which), bad_signature, unknown_caveat
 * (also third-party caveats, which Hangar does not support), expired.
 */
export function authenticate(
  token: string,
  rootKeyFor: RootKeySource,
  now: Date,
): AuthenticateResult {
  let decoded: DecodedToken;
  try {
    decoded = decodeToken(token);
  } catch (error) {
    // Anything else (a non-string token, for one) is still just an unusable token.
    const detail =
      error instanceof TokenFormatError ? error.message : 'token is not a token string';
    return { ok: false, reason: 'malformed', detail };
  }
  const { raw, identifier, bytes } = decoded;
  const rootKey = typeof rootKeyFor === 'function' ? rootKeyFor(identifier) : rootKeyFor;
  const expected = signatureFor(rootKey, raw.identifier, raw.caveats);
  if (!timingSafeEqual(expected, raw.signature)) {
    return { ok: false, reason: 'bad_signature', detail: 'token signature is not valid' };
  }
  const caveats: Caveat[] = [];
  // latin1 maps each byte to one char, so any non-ASCII byte fails the ASCII-only caveat grammar;
  // one conversion of the whole macaroon, then substrings, is cheaper than one per caveat.
  const all = bytes.toString('latin1');
  for (const c of raw.caveats) {
    const start = c.id.byteOffset - bytes.byteOffset;
    const text = all.slice(start, start + c.id.length);
    const caveat = isThirdParty(c) ? null : parseCaveat(text);
    if (caveat === null) {
      return { ok: false, reason: 'unknown_caveat', detail: unknownCaveatDetail(text) };
    }
    caveats.push(caveat);
  }
  const scope = scopeOf(caveats);
  const nowMs = now instanceof Date ? now.getTime() : Number.NaN;
  if (Number.isNaN(nowMs)) {
    return { ok: false, reason: 'expired', detail: 'no valid current time given' };
  }
  if (scope.notAfter !== null && nowMs > scope.notAfter * 1000) {
    return { ok: false, reason: 'expired', detail: `token expired at ${expiresAt(scope)}` };
  }
  return { ok: true, identifier, caveats, scope };
}

/**
 * authenticate, then authorize the request against the token's scope. Allow is the
 * authenticate success value; deny carries the reason. Never throws for bad input.
 */
export function verify(
  token: string,
  rootKeyFor: RootKeySource,
  request: AccessRequest,
  now: Date,
): VerifyResult {
  const result = authenticate(token, rootKeyFor, now);
  if (!result.ok) return result;
  const decision = authorize(result.scope, request);
  return decision.ok ? result : decision;
}

/**
 * Decodes a token without a key, for display: identifier, location, caveats (unparseable ones as
 * `{type: 'unknown', text}`), expiry and scope. Never returns the signature. Nothing here is
 * verified. Accepts `Bearer ` and whitespace. Throws TokenFormatError.
 */
export function inspect(token: string): InspectResult {
  const { raw, identifier } = decodeToken(token);
  const caveats = raw.caveats.map((c): Caveat | UnknownCaveat => {
    const text = asBuffer(c.id).toString('utf8');
    return (isThirdParty(c) ? null : parseCaveat(text)) ?? { type: 'unknown', text };
  });
  const scope = scopeOf(caveats.filter((c): c is Caveat => c.type !== 'unknown'));
  return {
    identifier,
    location: raw.location ?? null,
    caveats,
    expiresAt: expiresAt(scope),
    scope,
  };
}
