import { createHash, randomUUID } from 'node:crypto';
import { IDEMPOTENCY_KEY_RULE, isIdempotencyKey, MAX_IDEMPOTENCY_KEY_LENGTH } from '@hangar/sdk';
import { Flags } from '@oclif/core';
import { UsageError } from './errors.js';
import { looksLikeToken } from './token-id.js';

/**
 * `--idempotency-key KEY` of every command that sends a POST or DELETE but the auth commands
 * (why: test/command-registry.test.ts): the `Idempotency-Key`
 * its request sends, so a CI script that reruns the command after a dropped connection gets the
 * first answer again (the same token string, the same machine) instead of doing it twice. Left out, each run sends
 * a new random key. 1 to 255 printable ASCII characters; a bad one exits 2.
 */
export const idempotencyKeyFlag = keyFlag('');

/** {@link idempotencyKeyFlag} of `tokens revoke`, which sends one request per token id. */
export const idempotencyKeyPerIdFlag = keyFlag(
  ' With several token ids, each request uses KEY:ID (past 255 characters, a prefix of KEY and a SHA-256 of KEY:ID).',
);

/**
 * {@link idempotencyKeyFlag} of `tokens rotate`: with --current, a rerun after a success sends the
 * new token (stored in the config), which the key does not cover.
 */
export const idempotencyKeyRotateFlag = keyFlag(
  " With --current, the key makes the command's own retries and a rerun with the same token (-t OLD) safe; after a successful --current rotation the config holds the new token, so a rerun rotates that one.",
);

/** The `--idempotency-key` flag; `more` ends its description (what the command adds to KEY). */
function keyFlag(more: string) {
  return Flags.string({
    summary:
      'Idempotency-Key to send; a rerun with the same key and token replays the first answer.',
    description: `A rerun of the same command with the same key and the same token, within the server's retention (24 hours by default), gets the first answer again (for a create, the same token) instead of doing it twice. Left out, each run uses a new random key.${more}`,
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
 * The `Idempotency-Key` of a command that sends one write: `--idempotency-key`, else a new random
 * UUID (what the SDK would pick), so that when no answer comes the error can name the key a safe
 * rerun must repeat (api-errors.ts).
 */
export function commandKey(given: string | undefined): string {
  return given ?? randomUUID();
}

/** Length of a SHA-256 digest in base64url (RFC 4648 section 5), without padding. */
const DIGEST_LENGTH = 43;

/**
 * The key of one request of a command that sends several (`tokens revoke ID ID...`): `KEY:ID`
 * when that fits the 255 characters the API takes (openapi/hangar.yaml `IdempotencyKey`), else
 * the first characters of KEY, `:` and the SHA-256 of `KEY:ID` in base64url (43 characters). So
 * each id gets its own key, always 1 to 255 printable ASCII characters, and a rerun with the same
 * `--idempotency-key` sends the same key per id (the server replays each first answer).
 */
export function perIdKey(key: string, id: string): string {
  const full = `${key}:${id}`;
  if (full.length <= MAX_IDEMPOTENCY_KEY_LENGTH) return full;
  const digest = createHash('sha256').update(full).digest('base64url');
  return `${key.slice(0, MAX_IDEMPOTENCY_KEY_LENGTH - DIGEST_LENGTH - 1)}:${digest}`;
}
