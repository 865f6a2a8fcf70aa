import { IDEMPOTENCY_KEY_RULE, isIdempotencyKey, MAX_IDEMPOTENCY_KEY_LENGTH } from '@hangar/sdk';
import { Flags } from '@oclif/core';
import { UsageError } from './errors.js';
import { looksLikeToken } from './token-id.js';

/**
 * `--idempotency-key KEY` of the commands that create, rotate or revoke: the `Idempotency-Key`
 * their request sends, so a CI script that reruns the command after a dropped connection gets the
 * first answer again (the same token string) instead of a second token. Left out, each run sends
 * a new random key. 1 to 255 printable ASCII characters; a bad one exits 2.
 */
export const idempotencyKeyFlag = keyFlag('');

/** {@link idempotencyKeyFlag} of `tokens revoke`, which sends one request per token id. */
export const idempotencyKeyPerIdFlag = keyFlag(
  ' With several token ids, each request uses KEY:ID.',
);

/** The `--idempotency-key` flag; `more` ends its description (what the command adds to KEY). */
function keyFlag(more: string) {
  return Flags.string({
    summary:
      'Idempotency-Key to send; reuse it when you rerun the command so it is done only once.',
    description: `A retry of the same command with the same key within 24 hours gets the first answer again (for a create, the same token) instead of doing it twice. Left out, each run uses a new random key.${more}`,
    helpValue: 'KEY',
    parse: async (text) => {
      // The key is sent in a header and kept by the server for 24 hours: never a secret.
      if (looksLikeToken(text)) {
        throw new UsageError(
          '--idempotency-key looks like a token secret; use a key that is not a secret, such as a UUID (uuidgen). Nothing was sent.',
        );
      }
      // The SDK's rule, the server's (openapi/hangar.yaml `IdempotencyKey`).
      if (!isIdempotencyKey(text)) {
        throw new UsageError(`Invalid --idempotency-key: use ${IDEMPOTENCY_KEY_RULE}.`);
      }
      return text;
    },
  });
}

/**
 * The key of one request of a command that sends several (`tokens revoke ID ID...`): `key:id`,
 * cut to the 255 characters the API takes, so each request has its own key and a rerun with the
 * same `--idempotency-key` repeats each one.
 */
export function perIdKey(key: string, id: string): string {
  return `${key}:${id}`.slice(0, MAX_IDEMPOTENCY_KEY_LENGTH);
}
