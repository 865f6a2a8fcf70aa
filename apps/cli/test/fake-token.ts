import { deriveRootKey, mint, newIdentifier } from '@hangar/tokens';

/** A well-formed Hangar token (the CLI checks only its format before sending it). */
export function fakeToken(): string {
  const identifier = newIdentifier();
  return mint({ rootKey: deriveRootKey(new Uint8Array(32), identifier), identifier, caveats: [] });
}
