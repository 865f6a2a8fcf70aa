import type { Caveat } from '@hangar/tokens';
import { UsageError } from './errors.js';

/**
 * The `not-after` caveat for `--expiry` on a token narrowed offline: now + `seconds`.
 * Attenuation can only shorten a token's life (the earliest not-after wins), so a value that
 * would outlive the token's own expiry is refused instead of being silently ignored.
 *
 * @param token the token being narrowed (its expiry is read offline with inspect)
 * @param seconds the parsed --expiry, in seconds; undefined adds no caveat
 * @param flagValue the --expiry text as typed, quoted in the message
 * @param now the current time in milliseconds since the epoch
 * @throws UsageError (exit 2) `--expiry 100000h would outlive this token (it expires <RFC 3339>); ...`
 */
export async function notAfterCaveats(
  token: string,
  seconds: number | undefined,
  flagValue: string | undefined,
  now = Date.now(),
): Promise<Caveat[]> {
  if (seconds === undefined) return [];
  const { inspect } = await import('@hangar/tokens');
  const notAfter = Math.floor(now / 1000) + seconds;
  const { expiresAt } = inspect(token);
  if (expiresAt !== null && notAfter > Date.parse(expiresAt) / 1000) {
    throw new UsageError(
      `--expiry ${flagValue} would outlive this token (it expires ${expiresAt}); attenuation can only shorten it.`,
    );
  }
  return [{ type: 'not-after', notAfter }];
}
