import { type AuthenticateResult, authenticate, deriveRootKey } from '@hangar/tokens';
import { LRUCache } from 'lru-cache';

/**
 * Every cache of the mock server, and why each is exact: a hit gives the answer the full path
 * would give at that instant. Two, each bounded by lru-cache (least recently used goes first).
 *
 * 1. Verified tokens ({@link VerifiedTokens}), owned by the server's services object
 *    (services.ts): one per server and master key, gone with the server.
 *    - What: the success verdict of `authenticate` from @hangar/tokens for an Authorization
 *      header (signature chain and caveat grammar checked), with its parsed caveats and scope.
 *      Failures are not kept: cheap to repeat, and anyone could fill the cache with them.
 *    - Key: the whole header string; the master key is fixed per cache. Headers over
 *      {@link VERIFIED_HEADER_MAX} characters are not kept ({@link VERIFIED_MAX} entries of at
 *      most 4 KiB stay under 40 MiB with their caveats).
 *    - Why a hit is exact: `authenticate(header, key, now)` reads only the header, the key and
 *      `now`, and `now` only for one check, expiry (`now > notAfter`), which a hit makes again
 *      on every request on the server clock (so `/_admin/clock` moves it); an expired entry goes
 *      the full way, which refuses it with the full path's message. Revocation is not part of
 *      the verdict: authenticate.ts reads the token's row on every request, hit or not, so a
 *      revoked token (or one attenuated from it) is refused on the very next request.
 *    - Why kept: every client sends the same token on request after request, whatever it reads
 *      or writes in between; a hit saves the HMAC chain (docs/benchmarks.md has the figure).
 * 2. Formatted times ({@link formattedSecond}): RFC 3339 text by whole second, shared by the
 *    process (a pure function of a number: no server state, no secret). A token list formats
 *    two to four times per token. Exact: the text depends on nothing but the second. At most
 *    {@link FORMATTED_MAX} seconds, allocated once at import (1.7 ms): 50,000 took 12.6 ms there,
 *    and bounded by `maxSize` instead it held about 12 MiB more once full (docs/benchmarks.md).
 *
 * Not cached, on purpose: replies and list pages (there was a response cache and a list-page
 * cache until issue 13; docs/benchmarks.md says what they bought). Both answered only a read
 * repeated with no write anywhere in between, the benchmark's request rather than what a
 * client does, so every read is now computed: authenticated, authorized, read from SQLite.
 */
export class Caches {
  readonly verifiedTokens: VerifiedTokens;

  /**
   * `masterKey`: the server's 32-byte master key (services.ts). `verifiedMax`: tokens the
   * verified-token cache keeps at most (default {@link VERIFIED_MAX}; tests set a small one).
   */
  constructor(masterKey: Uint8Array, options: { verifiedMax?: number } = {}) {
    this.verifiedTokens = new VerifiedTokens(masterKey, options.verifiedMax ?? VERIFIED_MAX);
  }
}

/**
 * Options bounding an LRUCache to `count` entries without allocating storage for all of them up
 * front: with `max`, lru-cache allocates `count` slots when it is built (1.7 ms for 10,000 on this
 * machine, paid by every server start); with `maxSize` and a size of 1 per entry it grows as used
 * (lru-cache README, "Storage Bounds Safety"). Gets cost the same, but each entry held costs more
 * memory, so it suits a cache that is large in bound and usually small in use (docs/benchmarks.md).
 */
export function boundedTo(count: number) {
  return { maxSize: count, sizeCalculation: () => 1 };
}

/** Seconds whose text {@link formattedSecond} keeps. */
export const FORMATTED_MAX = 10_000;

const formatted = new LRUCache<number, string>({ max: FORMATTED_MAX });

/**
 * `seconds` since the Unix epoch as RFC 3339 UTC text (`2026-11-30T08:00:00Z`), remembered:
 * creation and expiry times never change, so a list formats the same ones on every request.
 */
export function formattedSecond(seconds: number): string {
  let text = formatted.get(seconds);
  if (text === undefined) {
    text = new Date(seconds * 1000).toISOString().replace('.000Z', 'Z');
    formatted.set(seconds, text);
  }
  return text;
}

/** Entries the verified-token cache keeps at most. */
export const VERIFIED_MAX = 10_000;
/** Longer Authorization headers (characters) are verified on every request, never cached. */
export const VERIFIED_HEADER_MAX = 4096;

/** A cache's counters since the server started (for tests and diagnostics). */
export interface CacheStats {
  /** Lookups answered from the cache. */
  hits: number;
  /** Lookups that ran the full path (not cached, expired, or too long to cache). */
  misses: number;
  /** Entries held now. */
  entries: number;
}

type Verified = Extract<AuthenticateResult, { ok: true }>;

/** `authenticate` from @hangar/tokens behind an LRU of successes (see {@link Caches}). */
export class VerifiedTokens {
  readonly #masterKey: Uint8Array;
  readonly #lru: LRUCache<string, Verified>;
  #hits = 0;
  #misses = 0;

  constructor(masterKey: Uint8Array, max: number) {
    this.#masterKey = masterKey;
    this.#lru = new LRUCache(boundedTo(max));
  }

  /**
   * What `authenticate(header, rootKeyFor, now)` answers, for the `Authorization` header value
   * `header` on the server clock's `now`. A success is shared between requests: callers must
   * not mutate its caveats or scope.
   */
  authenticate(header: string, now: Date): AuthenticateResult {
    const hit = this.#lru.get(header);
    // The expiry check of @hangar/tokens: valid while `now <= notAfter` (seconds).
    const notAfter = hit?.scope.notAfter ?? null;
    if (hit !== undefined && (notAfter === null || now.getTime() <= notAfter * 1000)) {
      this.#hits++;
      return hit;
    }
    this.#misses++;
    const result = authenticate(header, (id) => deriveRootKey(this.#masterKey, id), now);
    if (result.ok && header.length <= VERIFIED_HEADER_MAX) this.#lru.set(header, result);
    else if (hit) this.#lru.delete(header);
    return result;
  }

  /** Hits and misses since the server started, and the entries held now. */
  stats(): CacheStats {
    return { hits: this.#hits, misses: this.#misses, entries: this.#lru.size };
  }
}
