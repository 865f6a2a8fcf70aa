import type { TokenExpiry } from '@hangar/sdk';
import { printError, relativeTime } from './output.js';

/** The CLI warns when the token in use expires within this many seconds: 7 days. */
export const EXPIRY_WARNING_SECONDS = 7 * 24 * 60 * 60;

/** The warning of one command run: `listen` goes to the SDK, `flush` prints it. */
export interface ExpiryWarner {
  /** The SDK's `onTokenExpiry` listener: remembers a warning when within 7 days. */
  listen: (expiry: TokenExpiry) => void;
  /** Prints the remembered warning on stderr, once per run; later calls print nothing. */
  flush: () => void;
}

/**
 * The expiry warning of one command run: when an answer says the token in use expires within
 * {@link EXPIRY_WARNING_SECONDS}, one line on stderr (never stdout, so `--json` output stays
 * clean), printed when the command succeeds (a failure prints its one error line only).
 */
export function expiryWarner(): ExpiryWarner {
  let pending: string | undefined;
  let done = false;
  return {
    listen(expiry) {
      if (done || pending !== undefined || expiry.secondsLeft > EXPIRY_WARNING_SECONDS) return;
      const when =
        expiry.secondsLeft <= 0 ? 'has expired' : `expires ${relativeTime(expiry.expiresAt)}`;
      pending = `Warning: the token in use ${when} (${expiry.expiresAt}). Create a new one (hangar tokens create) or log in again (hangar auth login).`;
    },
    flush() {
      if (done || pending === undefined) return;
      done = true;
      printError(pending);
    },
  };
}
