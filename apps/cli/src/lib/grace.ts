import { UsageError } from './errors.js';

/** How a valid grace period is written, for every --grace message. */
const GRACE_FORMS = 'whole seconds, e.g. 30s, 10m, 1h (at most 168h)';

/**
 * `tokens rotate --grace`: a Go duration such as `30s`, `10m` or `1h`, as the API's
 * `grace_period` (whole seconds, 0 to 604800 = 168h; openapi/hangar.yaml RotateTokenRequest).
 * A fraction of a second is refused rather than dropped: `500ms` would otherwise become 0 and
 * the old token would be refused at once, which the user did not ask for.
 *
 * @returns seconds, an integer in 0..604800
 * @throws UsageError (exit 2) in the user's units; the text is never a secret, so it is quoted
 */
export async function parseGrace(text: string): Promise<number> {
  const { DurationError, MAX_GRACE_PERIOD, parseDuration } = await import('@hangar/sdk');
  const invalid = (reason: string) =>
    new UsageError(`Invalid --grace ${JSON.stringify(text)}: ${reason}`);
  let ns: bigint;
  try {
    ns = parseDuration(text);
  } catch (error) {
    if (error instanceof DurationError) throw invalid(`use ${GRACE_FORMS}.`);
    throw error;
  }
  if (ns < 0n) throw invalid(`a grace period cannot be negative; use ${GRACE_FORMS}.`);
  if (ns % 1_000_000_000n !== 0n) throw invalid(`use ${GRACE_FORMS}.`);
  const seconds = Number(ns / 1_000_000_000n);
  if (seconds > MAX_GRACE_PERIOD) throw invalid('at most 168h (7 days).');
  return seconds;
}
