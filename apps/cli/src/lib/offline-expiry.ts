import type { Caveat } from '@hangar/tokens';
import { UsageError } from './errors.js';
import type { Expiry } from './flags.js';

/**
 * The `not-after` caveat for `--expiry` on a token narrowed offline: now + `seconds`.
 * Attenuation can only shorten a token's life (the earliest not-after wins), so a value that
 * would outlive the token's own expiry is refused instead of being silently ignored.
 *
 * @param token the token being narrowed (its expiry is read offline with inspect)
 * @param expiry the parsed --expiry (seconds, and the text as typed for the message); undefined
 *   adds no caveat
 * @param now the current time in milliseconds since the epoch
 * @throws UsageError (exit 2) `--expiry 100000h would outlive this token (it expires <RFC 3339>); ...`
 */
export async function notAfterCaveats(
  token: string,
  expiry: Expiry | undefined,
  now = Date.now(),
): Promise<Caveat[]> {
  if (expiry === undefined) return [];
  const { seconds, text: flagValue } = expiry;
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
