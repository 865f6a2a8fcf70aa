import type { TokenExpiry } from '@hangar/sdk';
import { envValue } from './env.js';
import { printError, relativeTime } from './output.js';

/** The CLI warns when the token in use expires within this many seconds: 7 days. */
export const EXPIRY_WARNING_SECONDS = 7 * 24 * 60 * 60;

/** What the expiry advice depends on (see {@link ExpiryWarner.flush}). */
export interface TokenFacts {
  kind: string | undefined;
  attenuated: boolean;
  /** The token's id (`tok_...`) and name, from GET /v1/viewer; undefined when unknown. */
  id?: string | undefined;
  name?: string | undefined;
  /** The id of the token that replaced it, when it was rotated (in its grace period). */
  replacedBy?: string | undefined;
}

/**
 * The name the server gives every token minted by `auth exchange` (the mock's exchangeToken,
 * apps/mock-server/src/routes/token-exchange.ts: `Exchanged under <policy name>`).
 */
const EXCHANGED_NAME = /^Exchanged under /;

/** Whether a token's name says `auth exchange` minted it ({@link EXCHANGED_NAME}). */
export function isExchangedName(name: string | undefined): boolean {
  return name !== undefined && EXCHANGED_NAME.test(name);
}

/** The advice for a token `auth exchange` minted: renewing it means exchanging again. */
const EXCHANGE_AGAIN = 'exchange a new ID token for a fresh one ("hangar auth exchange")';

/** What is known of an expired token the server refused (see {@link expiredTokenHint}). */
export interface ExpiredToken {
  /** The token string, decoded offline (never printed). */
  token?: string | undefined;
  /** Where it came from: `flag`, `env`, `config`, ... */
  source?: string | undefined;
}

/**
 * The hint for a refused expired token (401 `token_expired`), after the expiry warning's advice:
 * a token `auth exchange` minted is renewed by exchanging a new ID token, a personal one by
 * logging in again, any other by creating a new one (an expired token cannot be rotated). The
 * warning tells an exchanged token by its name ({@link isExchangedName}, from GET /v1/viewer),
 * but the server refuses an expired token there too, and what the token holds offline
 * (@hangar/tokens: its id and caveats) does not say how it was minted: an exchanged token has
 * the caveats of a created one (caveatsFor). So, offline: no `org` caveat means a personal token; a token given by flag or HANGAR_API_TOKEN in a
 * GitHub Actions job that can ask for an ID token (ACTIONS_ID_TOKEN_REQUEST_URL and _TOKEN set,
 * as `auth exchange` uses them) is taken for an exchanged one; any other given token gets both
 * ways, exchange first.
 */
export async function expiredTokenHint({ token, source }: ExpiredToken): Promise<string> {
  let personal = false;
  if (token) {
    try {
      const { inspect } = await import('@hangar/tokens');
      personal = !inspect(token).caveats.some((c) => c.type === 'org');
    } catch {
      // Undecodable: nothing more to tell.
    }
  }
  if (personal) return 'log in again with "hangar auth login"';
  if (source === 'flag' || source === 'env') {
    const canExchange =
      envValue('ACTIONS_ID_TOKEN_REQUEST_URL') && envValue('ACTIONS_ID_TOKEN_REQUEST_TOKEN');
    if (canExchange) return `${EXCHANGE_AGAIN}; an expired token cannot be renewed`;
    return `if it came from "hangar auth exchange", ${EXCHANGE_AGAIN}; otherwise create a new token with "hangar tokens create"`;
  }
  return 'create a new token with "hangar tokens create org" (or log in again with "hangar auth login")';
}

/**
 * Whether `token` was attenuated after it was minted, read offline: the server mints every kind
 * with its `not-after` caveat last (caveatsFor in apps/mock-server/src/auth/issue.ts), and
 * attenuation appends caveats, so any caveat after the first `not-after` was added later. The
 * server refuses rotateCurrentToken to such a token (403: only the token as minted may rotate).
 * False when the token cannot be decoded.
 */
export async function isAttenuated(token: string): Promise<boolean> {
  try {
    const { inspect } = await import('@hangar/tokens');
    const types = inspect(token).caveats.map((c) => c.type);
    const end = types.indexOf('not-after');
    return end !== -1 && end < types.length - 1;
  } catch {
    return false;
  }
}

/** The warning of one command run: `listen` goes to the SDK, `flush` prints it. */
export interface ExpiryWarner {
  /** The SDK's `onTokenExpiry` listener: remembers a warning when within 7 days. */
  listen: (expiry: Pick<TokenExpiry, 'expiresAt' | 'serverNowMs' | 'secondsLeft'>) => void;
  /**
   * Prints the remembered warning on stderr, once per run; later calls print nothing.
   * @param tokenFacts what picks the advice, asked only when a warning is due: the token's kind
   *   (`personal`, `org`, ...; one GET /v1/viewer; undefined when unknown), id and name (an
   *   exchanged token is told by its name), and whether it was attenuated (an attenuated token
   *   cannot rotate itself)
   */
  flush: (tokenFacts: () => Promise<TokenFacts>) => Promise<void>;
  /** Forgets a warning not printed yet: the token in use changed (`tokens rotate --current`). */
  reset: () => void;
}

/**
 * What to do about it. Rotating keeps the expiry when a token rotates itself (the new token
 * cannot outlive the caller: docs/architecture.md, "Token rotation"), so `tokens rotate
 * --current` never helps here. A personal token comes from `auth login`, so log in again; an
 * exchanged one from `auth exchange`, so exchange a new ID token; any other token (a CI token)
 * as minted can be rotated by a longer-lived token (the user's login), keeping its kind, name
 * and scope; an attenuated one cannot (rotating its id would end the token it came from), so
 * create a new one. A rotated token in its grace period (the server's expiry header then gives the
 * end of the grace) is told to switch to its replacement.
 */
function advice({ kind, attenuated, id, name, replacedBy }: TokenFacts): string {
  // Rotated already: its grace is what ends, and only its replacement lives on.
  if (replacedBy !== undefined) {
    return `It was rotated: switch to the token that replaced it (${replacedBy}) before its grace period ends.`;
  }
  if (kind === 'personal') {
    return 'Log in again (hangar auth login) or create a new one (hangar tokens create).';
  }
  if (isExchangedName(name)) {
    return 'Exchange a new ID token for a fresh one (hangar auth exchange): rotating it would keep its expiry.';
  }
  if (kind !== undefined && !attenuated) {
    return `Rotating it with itself keeps its expiry: log in (hangar auth login), then rotate it (hangar tokens rotate ${id ?? 'ID'}) or create a new one (hangar tokens create).`;
  }
  if (kind !== undefined) {
    return 'Create a new one (hangar tokens create): an attenuated token cannot rotate itself.';
  }
  return 'Create a new one (hangar tokens create) or log in again (hangar auth login).';
}

/**
 * The expiry warning of one command run: when an answer says the token in use expires within
 * {@link EXPIRY_WARNING_SECONDS}, one line on stderr (never stdout, so `--json` output stays
 * clean), printed when the command succeeds (a failure prints its one error line only). The
 * time is rounded to the nearest unit (relativeTime), so `-x 2d` reads "in 48 hours", and
 * counted from the server's time of the answer (its `Date` header), whose clock decides expiry.
 */
export function expiryWarner(): ExpiryWarner {
  let pending: string | undefined;
  let done = false;
  return {
    listen(expiry) {
      if (done || pending !== undefined || expiry.secondsLeft > EXPIRY_WARNING_SECONDS) return;
      const when =
        expiry.secondsLeft <= 0
          ? 'has expired'
          : `expires ${relativeTime(expiry.expiresAt, expiry.serverNowMs)}`;
      pending = `Warning: the token in use ${when} (${expiry.expiresAt}).`;
    },
    async flush(tokenFacts) {
      if (done || pending === undefined) return;
      done = true;
      const facts = await tokenFacts().catch(() => ({ kind: undefined, attenuated: false }));
      printError(`${pending} ${advice(facts)}`);
    },
    reset() {
      if (!done) pending = undefined;
    },
  };
}
