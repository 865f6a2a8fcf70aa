/**
 * The macaroon HMAC-SHA256 signature chain, as libmacaroons computes it:
 *   key  = HMAC-SHA256(key = "macaroons-key-generator", data = root key)
 *   sig0 = HMAC-SHA256(key, identifier)
 *   first-party caveat:  sig' = HMAC-SHA256(sig, caveat id)
 *   third-party caveat:  sig' = HMAC-SHA256(sig, HMAC(sig, vid) || HMAC(sig, caveat id))
 * Hangar never adds third-party caveats; they are chained here only so a token carrying one is
 * reported as an unknown caveat rather than a bad signature.
 */
import { createHmac } from 'node:crypto';
import { isThirdParty, type RawCaveat } from './binary.js';

const KEY_GENERATOR = Buffer.from('macaroons-key-generator', 'utf8');

function hmac(key: Uint8Array, data: Uint8Array): Buffer {
  return createHmac('sha256', key).update(data).digest();
}

/** The signature of a macaroon with no caveats, from its root key and identifier. */
export function initialSignature(rootKey: Uint8Array, identifier: Uint8Array): Buffer {
  return hmac(hmac(KEY_GENERATOR, rootKey), identifier);
}

/** The signature after appending `caveat` to a macaroon whose signature is `sig`. */
export function chainSignature(sig: Uint8Array, caveat: RawCaveat): Buffer {
  if (caveat.vid === undefined || !isThirdParty(caveat)) return hmac(sig, caveat.id);
  return hmac(sig, Buffer.concat([hmac(sig, caveat.vid), hmac(sig, caveat.id)]));
}

/** The full chain: initial signature, then every caveat in order. */
export function signatureFor(
  rootKey: Uint8Array,
  identifier: Uint8Array,
  caveats: readonly RawCaveat[],
): Buffer {
  let sig = initialSignature(rootKey, identifier);
  for (const c of caveats) sig = chainSignature(sig, c);
  return sig;
}
