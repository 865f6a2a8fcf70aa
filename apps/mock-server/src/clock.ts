import { formattedSecond } from './caches.js';

/**
 * The server clock: real time plus an offset that only moves forward (`POST /_admin/clock`).
 * Every expiry decision and every timestamp the server writes reads this clock, so tests can
 * expire a token without waiting.
 */
export class ServerClock {
  #offsetMs = 0;
  #store: ClockStore | undefined;

  /**
   * Takes the offset saved in `store` (if any) and saves every later move there, so a restart on
   * the same data directory never sets the clock back (an expired token stays expired).
   */
  persistIn(store: ClockStore): void {
    this.#offsetMs = store.load() ?? this.#offsetMs;
    this.#store = store;
  }

  /** Current server time in milliseconds since the Unix epoch. */
  nowMs(): number {
    return Date.now() + this.#offsetMs;
  }

  /** Current server time as a Date (what `@hangar/tokens` expects for expiry checks). */
  now(): Date {
    return new Date(this.nowMs());
  }

  /** Back to real time (`POST /_admin/reset`). */
  reset(): void {
    this.#offsetMs = 0;
    this.#store?.save(0);
  }

  /** Moves the clock forward by `seconds` (a positive number); returns the new time. */
  advance(seconds: number): Date {
    this.#offsetMs += seconds * 1000;
    this.#store?.save(this.#offsetMs);
    return this.now();
  }
}

/** Where a {@link ServerClock} keeps its offset from real time, in milliseconds. */
export interface ClockStore {
  /** The saved offset, or undefined when none was saved yet. */
  load(): number | undefined;
  save(offsetMs: number): void;
}

/**
 * RFC 3339 UTC with whole seconds (`2026-11-30T08:00:00Z`), the API's time format, for `ms`
 * milliseconds since the Unix epoch (truncated to the second). Remembered per second
 * (caches.ts).
 */
export function formatTimeMs(ms: number): string {
  return formattedSecond(Math.floor(ms / 1000));
}

/** Like {@link formatTimeMs} but passes `null` through. */
export function formatOptionalTimeMs(ms: number | null): string | null {
  return ms === null ? null : formatTimeMs(ms);
}
