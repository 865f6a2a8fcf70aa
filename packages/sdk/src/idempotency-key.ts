import { HangarApiError } from './errors.js';

/**
 * The rule for an `Idempotency-Key`, the same in the server, the SDK and the CLI: 1 to 255
 * printable ASCII characters (space to `~`, U+0020-U+007E), as Stripe's API takes, the first
 * and last not a space. A header value outside ASCII is not portable (RFC 9110 section 5.5:
 * obs-text), a control character is not a key anyone typed, and HTTP trims leading and trailing
 * whitespace from a header value (RFC 9110 section 5.5), so `' key '` would arrive as `key`. The contract states it as the `IdempotencyKey` parameter's schema
 * (openapi/hangar.yaml `pattern`, `maxLength`, `x-hangar-rule`); test/contract-constants.test.ts
 * checks these constants against it.
 */
export const MAX_IDEMPOTENCY_KEY_LENGTH = 255;
/** The contract's `pattern` of an `Idempotency-Key` (ECMAScript regular expression source). */
export const IDEMPOTENCY_KEY_PATTERN = '^[!-~](?:[ -~]{0,253}[!-~])?$';
/** The rule in words (the contract's `x-hangar-rule`): what to send instead of a refused key. */
export const IDEMPOTENCY_KEY_RULE =
  '1 to 255 printable ASCII characters (space to ~), not starting or ending with a space, such as a UUID';

const pattern = new RegExp(IDEMPOTENCY_KEY_PATTERN);

/** Whether `key` is a valid `Idempotency-Key` (see {@link IDEMPOTENCY_KEY_RULE}). */
export function isIdempotencyKey(key: string): boolean {
  return key.length <= MAX_IDEMPOTENCY_KEY_LENGTH && pattern.test(key);
}

/**
 * Returns `key` when it is a valid `Idempotency-Key` ({@link isIdempotencyKey}).
 * @throws HangarApiError `validation_failed`, status 0, `local: true` (nothing is sent), its
 *   `problem.errors` naming `header.Idempotency-Key` with {@link IDEMPOTENCY_KEY_RULE}, as the
 *   server's 400 does.
 */
export function checkIdempotencyKey(key: string): string {
  if (isIdempotencyKey(key)) return key;
  const field = 'header.Idempotency-Key';
  const message = `must be ${IDEMPOTENCY_KEY_RULE}`;
  throw new HangarApiError({
    status: 0,
    code: 'validation_failed',
    title: 'Invalid Idempotency-Key',
    detail: `${field}: ${message}; no request was sent`,
    local: true,
    problem: {
      type: 'https://hangar.dev/problems/validation_failed',
      title: 'Invalid Idempotency-Key',
      status: 400,
      code: 'validation_failed',
      detail: `${field}: ${message}`,
      errors: [{ field, message }],
    },
  });
}
