import {
  type Caveat,
  deriveRootKey,
  formatCaveat,
  inspect,
  mint,
  parseCaveat,
  TOKEN_PREFIX,
} from '@hangar/tokens';

/**
 * What a stored answer holds in place of a token string: the macaroon's public parts, from
 * which the master key re-derives the very same string (docs/architecture.md#no-stored-secrets).
 */
interface TokenMarker {
  $hangar_token: { identifier: string; caveats: string[]; location?: string };
}

function isMarker(value: object): value is TokenMarker {
  return '$hangar_token' in value && Object.keys(value).length === 1;
}

/**
 * The `Cache-Control` of every answer that carries a token secret, first time or replayed:
 * `no-store` (RFC 6749 section 5.1; RFC 9111 section 5.2.2.5), as openapi/hangar.yaml
 * `components/headers/NoStore` declares.
 */
export const SECRET_CACHE_CONTROL = 'no-store';

/**
 * The token string for `identifier` and `caveats` (caveat text as minted): deterministic, since
 * the root key is HMAC-SHA256(master key, identifier) and the signature chain is HMAC over the
 * caveats in order (@hangar/tokens `deriveRootKey`, `mint`).
 * @throws Error when a caveat does not parse (only tokens the server minted are marked).
 */
function remint(masterKey: Uint8Array, marker: TokenMarker['$hangar_token']): string {
  const caveats = marker.caveats.map((text): Caveat => {
    const caveat = parseCaveat(text);
    if (!caveat) throw new Error(`stored token marker has an unknown caveat: ${text}`);
    return caveat;
  });
  return mint({
    rootKey: deriveRootKey(masterKey, marker.identifier),
    identifier: marker.identifier,
    caveats,
    ...(marker.location ? { location: marker.location } : {}),
  });
}

/**
 * A marker for `value` when it is a token string this server minted (re-minting it from its
 * identifier and caveats under `masterKey` gives back exactly `value`); else undefined, so a
 * string that merely looks like a token (one typed into a name) is kept as it is.
 */
function markerFor(masterKey: Uint8Array, value: string): TokenMarker | undefined {
  if (!value.startsWith(TOKEN_PREFIX)) return undefined;
  try {
    const inspected = inspect(value);
    if (inspected.caveats.some((c) => c.type === 'unknown')) return undefined;
    const marker: TokenMarker['$hangar_token'] = {
      identifier: inspected.identifier,
      caveats: (inspected.caveats as Caveat[]).map(formatCaveat),
      ...(inspected.location ? { location: inspected.location } : {}),
    };
    return remint(masterKey, marker) === value ? { $hangar_token: marker } : undefined;
  } catch {
    return undefined;
  }
}

/** `value` with every string or object passed through `map` (arrays and plain objects walked). */
function walk(value: unknown, map: (leaf: unknown) => unknown): unknown {
  const mapped = map(value);
  if (mapped !== value) return mapped;
  if (Array.isArray(value)) return value.map((item) => walk(item, map));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v, map)]));
  }
  return value;
}

/**
 * A JSON answer (any operation's) with each token string the server minted replaced by a
 * `{ "$hangar_token": { identifier, caveats } }` marker, so it can be stored without a secret.
 * Generic: it finds token strings by value, wherever an operation puts them (`token` of
 * CreatedToken and Session, or any field an operation added later returns).
 */
export function withoutTokenSecrets(masterKey: Uint8Array, body: unknown): unknown {
  return walk(body, (leaf) =>
    typeof leaf === 'string' ? (markerFor(masterKey, leaf) ?? leaf) : leaf,
  );
}

/**
 * The inverse of {@link withoutTokenSecrets}: each marker becomes its token string again,
 * re-derived from the master key (the same string the first answer carried).
 * @returns the body, and whether it carries a token secret (any marker was replaced).
 * @throws Error when a marker's caveat does not parse.
 */
export function withTokenSecrets(
  masterKey: Uint8Array,
  body: unknown,
): { body: unknown; carriesSecret: boolean } {
  let carriesSecret = false;
  const restored = walk(body, (leaf) => {
    if (typeof leaf !== 'object' || leaf === null || Array.isArray(leaf) || !isMarker(leaf)) {
      return leaf;
    }
    carriesSecret = true;
    return remint(masterKey, leaf.$hangar_token);
  });
  return { body: restored, carriesSecret };
}
