import { randomUUID } from 'node:crypto';
import { Flags } from '@oclif/core';
import { UsageError } from './errors.js';
import { looksLikeToken } from './token-id.js';

/** Longest key the API takes (openapi/hangar.yaml `IdempotencyKey`), in characters. */
const MAX_KEY_LENGTH = 255;

/**
 * `--idempotency-key KEY` of the commands that create, rotate or revoke: the `Idempotency-Key`
 * their request sends, so a CI script that reruns the command after a dropped connection gets the
 * first answer again (the same token string) instead of a second token. Left out, each run sends
 * a new random key. 1 to 255 characters; a bad one exits 2.
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
      if (text.length < 1 || text.length > MAX_KEY_LENGTH || /[^\x20-\x7e]/.test(text)) {
        throw new UsageError(
          `Invalid --idempotency-key: use 1 to ${MAX_KEY_LENGTH} printable ASCII characters, such as a UUID.`,
        );
      }
      return text;
    },
  });
}

/**
 * The `Idempotency-Key` for each POST or DELETE a command sends: `key` (or a random UUID made
 * once per run), or `key:<last path segment>` when `perResource` (a command revoking several ids
 * sends one request per id, each needing its own key). Other methods get none.
 * @returns a function from a request to its key, for {@link keyedFetch}.
 */
export function idempotencyKeys(
  key: string | undefined,
  perResource = false,
): (request: Request) => string | undefined {
  const base = key ?? randomUUID();
  return (request) => {
    if (request.method !== 'POST' && request.method !== 'DELETE') return undefined;
    if (!perResource) return base;
    const segment = new URL(request.url).pathname.split('/').pop() ?? '';
    return `${base}:${decodeURIComponent(segment)}`.slice(0, MAX_KEY_LENGTH);
  };
}

/**
 * `send` (the CLI's fetch, lib/http-fetch.ts) setting `Idempotency-Key` (from `keyFor`) on the
 * requests it is given one for, for the SDK's `fetch` option; the same request sent again (an
 * SDK retry) gets the same key, replacing the one the SDK made.
 */
export function keyedFetch(
  keyFor: (request: Request) => string | undefined,
  send: (request: Request) => Promise<Response>,
): (request: Request) => Promise<Response> {
  return (request) => {
    const key = keyFor(request);
    if (key !== undefined) request.headers.set('Idempotency-Key', key);
    return send(request);
  };
}
