/**
 * @hangar/tokens: Hangar's token format. Standard macaroons (libmacaroons v2 binary format,
 * HMAC-SHA256 chain) with first-party caveats, wrapped as `hangar_<base64url>_<crc32 base62>`.
 */
export { ACTIONS, type Action, isAction } from './actions.js';
export { decodeMacaroon, encodeMacaroon, type RawCaveat, type RawMacaroon } from './binary.js';
export {
  type Caveat,
  describeCaveat,
  formatCaveat,
  MAX_NOT_AFTER,
  parseCaveat,
  type UnknownCaveat,
} from './caveats.js';
export { TokenFormatError, type TokenFormatErrorCode } from './errors.js';
export { REDACTED_TOKEN, redactTokens } from './redact.js';
export {
  type AccessRequest,
  type AuthorizeResult,
  authorize,
  type CaveatScope,
  isWithin,
  type Scope,
  scopeOf,
} from './scope.js';
export {
  checksumOf,
  decodeTokenString,
  encodeTokenString,
  normalizeToken,
  TOKEN_PREFIX,
} from './token-string.js';
export {
  type AuthenticateResult,
  attenuate,
  authenticate,
  deriveRootKey,
  type InspectResult,
  inspect,
  type MintOptions,
  mint,
  newIdentifier,
  type RootKeySource,
  type VerifyResult,
  verify,
} from './tokens.js';
