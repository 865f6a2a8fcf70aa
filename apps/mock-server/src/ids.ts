import { randomBytes } from 'node:crypto';

/**
 * A random resource id: a type prefix and 16 hex digits (64 random bits), e.g. `org_5b1e0f3c2a4d6e78`
 * or `m_3f9a0c1d2e4b5a69` (the contract's machine id pattern). Token ids are not made here: they
 * are macaroon identifiers from `@hangar/tokens` (`tok_` + 128 bits).
 */
export function newId(prefix: 'usr' | 'org' | 'app' | 'm'): string {
  return `${prefix}_${randomBytes(8).toString('hex')}`;
}
