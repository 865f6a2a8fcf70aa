import { UsageError } from './errors.js';

/** How a valid grace period is written, for every --grace message. */
const GRACE_FORMS = 'whole seconds, e.g. 30s, 10m, 1h (at most 168h)';

/**
 * `tokens rotate --grace`: a Go duration such as `30s`, `10m` or `1h`, as the API's
 * `grace_period`, by the SDK's rule (`toGracePeriod`: whole seconds, 0 to 604800 = 168h; a
 * fraction of a second such as `500ms` is refused rather than dropped).
 *
 * @returns seconds, an integer in 0..604800
 * @throws UsageError (exit 2) in the user's units; the text is never a secret, so it is quoted
 */
export async function parseGrace(text: string): Promise<number> {
  const { DurationError, GracePeriodError, toGracePeriod } = await import('@hangar/sdk');
  const invalid = (reason: string) =>
    new UsageError(`Invalid --grace ${JSON.stringify(text)}: ${reason}`);
  try {
    return toGracePeriod(text);
  } catch (error) {
    if (error instanceof GracePeriodError) {
      if (error.reason === 'too_long') throw invalid('at most 168h (7 days).');
      if (error.reason === 'not_whole_seconds') {
        throw invalid(`a fraction of a second is not a grace period; use ${GRACE_FORMS}.`);
      }
    }
    if (error instanceof DurationError) {
      if (error.reason === 'not_positive') {
        throw invalid(`a grace period cannot be negative; use ${GRACE_FORMS}.`);
      }
      // `90`: the number is fine, the unit is missing (the API's seconds are the SDK's numbers).
      if (error.reason === 'missing_unit') {
        throw invalid(`add a unit: ${text}s, 2m, 1h (at most 168h).`);
      }
      throw invalid(`use ${GRACE_FORMS}.`);
    }
    throw error;
  }
}
