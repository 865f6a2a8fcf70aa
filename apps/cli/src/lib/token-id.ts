import { UsageError } from './errors.js';
import { NAME_RULES } from './names.js';

/** A token id as the API issues them: `tok_` and 32 lowercase hex digits (the contract's TokenId). */
export const TOKEN_ID = NAME_RULES.token.pattern;

/** True for an argument that is a token secret rather than an id: `hangar_...` or `Bearer ...`. */
export function looksLikeToken(arg: string): boolean {
  return /^(hangar_|bearer\s)/i.test(arg.trim());
}

/** The id (identifier) of a token secret, decoded offline; undefined if it cannot be decoded. */
export async function idOfToken(secret: string): Promise<string | undefined> {
  try {
    const { inspect, normalizeToken } = await import('@hangar/tokens');
    const { identifier } = inspect(normalizeToken(secret));
    return TOKEN_ID.test(identifier) ? identifier : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Stops `tokens revoke` (and the other commands taking token ids) before any request when an argument is a whole token: a secret must
 * never travel in a URL (it would land in server logs) nor be echoed. The message never holds
 * the secret; it gives the token's id, decoded offline, and the command to run instead.
 *
 * @param args the command's arguments, trimmed
 * @param command the command to suggest with the ids (`tokens revoke`, `tokens rotate`, ...)
 * @throws UsageError (exit 2) when any argument looks like a token (see {@link looksLikeToken})
 */
export async function refuseTokenSecrets(args: string[], command = 'tokens revoke'): Promise<void> {
  const positions = args.flatMap((arg, i) => (looksLikeToken(arg) ? [i] : []));
  if (positions.length === 0) return;
  const ids = new Map<number, string | undefined>();
  for (const i of positions) ids.set(i, await idOfToken(args[i] as string));
  const which =
    args.length === 1
      ? 'That'
      : `Argument${positions.length === 1 ? '' : 's'} ${positions.map((i) => i + 1).join(', ')}`;
  const nothingSent = 'Nothing was sent.';
  if ([...ids.values()].some((id) => id === undefined)) {
    throw new UsageError(
      `${which} looks like a token secret, not a token id; token ids look like tok_ and 32 hex digits (see "hangar tokens list"). ${nothingSent}`,
    );
  }
  const found = [...ids.values()].join(', ');
  const suggested = args.map((arg, i) => ids.get(i) ?? arg).join(' ');
  const noun =
    positions.length === 1
      ? 'is a token, not a token id; its id is'
      : 'are tokens, not token ids; their ids are';
  throw new UsageError(
    `${which} ${noun} ${found} — run: hangar ${command} ${suggested}. ${nothingSent}`,
  );
}
