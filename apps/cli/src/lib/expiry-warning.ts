import type { TokenExpiry } from '@hangar/sdk';
import { printError, relativeTime } from './output.js';

/** The CLI warns when the token in use expires within this many seconds: 7 days. */
export const EXPIRY_WARNING_SECONDS = 7 * 24 * 60 * 60;

/**
 * An `onTokenExpiry` listener for the SDK client that warns once, on stderr (never stdout, so
 * `--json` output stays clean), when the token in use expires within {@link
 * EXPIRY_WARNING_SECONDS}. One listener per command run: later answers stay silent.
 */
export function expiryWarner(): (expiry: TokenExpiry) => void {
  let warned = false;
  return (expiry) => {
    if (warned || expiry.secondsLeft > EXPIRY_WARNING_SECONDS) return;
    warned = true;
    const when =
      expiry.secondsLeft <= 0 ? 'has expired' : `expires ${relativeTime(expiry.expiresAt)}`;
    printError(
      `Warning: the token in use ${when} (${expiry.expiresAt}). Create a new one (hangar tokens create) or log in again (hangar auth login).`,
    );
  };
}
