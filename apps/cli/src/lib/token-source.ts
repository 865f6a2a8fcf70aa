import { CliError, UsageError } from './errors.js';
import { readStdin } from './stdin.js';
import { TOKEN_ID } from './token-id.js';

/** Where the token in use came from; named in messages so the user knows what to fix. */
export type TokenSource = 'flag' | 'env' | 'config' | 'argument' | 'stdin';

/** A token the CLI is about to use, with where it came from. */
export interface ResolvedToken {
  token: string;
  source: TokenSource;
}

/** Human name of a token source, for messages ("the token from HANGAR_API_TOKEN ..."). */
export function describeSource(source: TokenSource, configFile: string): string {
  switch (source) {
    case 'flag':
      return '--access-token';
    case 'env':
      return 'HANGAR_API_TOKEN';
    case 'config':
      return configFile;
    case 'argument':
      return 'the argument';
    case 'stdin':
      return 'standard input';
  }
}

/**
 * Normalises a token (trims, drops a leading `Bearer `) and checks its format offline with
 * @hangar/tokens, so a mistyped or truncated token is reported before any request is sent.
 *
 * @param exit the exit code when malformed: 1 (default) for a token the CLI found in its
 *   settings; 2 (usage) for a token the user gave as the command's input (argument, --token,
 *   standard input)
 * @param notATokenHint what else the user may have meant when the text does not start with
 *   `hangar_` at all (`auth login`: a piped password), as a clause such as "if you piped a
 *   password, run: ..."
 * @throws CliError naming the source and what is wrong: wrong prefix, bad checksum
 *   (mistyped or truncated), or an undecodable body. The message never contains the token; a
 *   token id (`tok_...`, not a secret) given instead is named, with `hangar tokens show ID`.
 */
export async function checkTokenFormat(
  raw: string,
  where: string,
  exit = 1,
  notATokenHint?: string,
): Promise<string> {
  const { decodeTokenString, normalizeToken, TokenFormatError } = await import('@hangar/tokens');
  const token = normalizeToken(raw);
  try {
    decodeTokenString(token);
  } catch (error) {
    if (!(error instanceof TokenFormatError)) throw error;
    if (error.code === 'wrong_prefix' && TOKEN_ID.test(token)) {
      // The reverse of what `tokens show`/`revoke` refuse (token-id.ts): an id where a token
      // belongs. Ids are not secrets, so naming it is safe.
      throw new CliError(
        `The access token from ${where} is a token id, not a Hangar token (those start with "hangar_"); to see token ${token}, run: hangar tokens show ${token}`,
        exit,
      );
    }
    const why: Record<string, string> = {
      wrong_prefix: 'it does not start with "hangar_", so it is not a Hangar token',
      bad_checksum: 'its checksum does not match, so it was mistyped or truncated',
      undecodable: 'its body cannot be decoded',
    };
    const instead = error.code === 'wrong_prefix' && notATokenHint ? `, or ${notATokenHint}` : '';
    throw new CliError(
      `The access token from ${where} is malformed: ${why[error.code] ?? error.message}. Copy the whole token again${instead} (nothing was sent to the server).`,
      exit,
    );
  }
  return token;
}

/**
 * Reads a token from standard input and checks its format ({@link checkTokenFormat}).
 *
 * @param empty the message when standard input is empty or blank (default: `No token on
 *   standard input`)
 * @param notATokenHint see {@link checkTokenFormat}
 * @throws UsageError (exit 2) with `empty` when nothing was piped in
 * @throws UsageError (exit 2) when the token is malformed: it is the command's input
 */
export async function readTokenFromStdin(
  empty = 'No token on standard input.',
  notATokenHint?: string,
): Promise<string> {
  const text = await readStdin();
  if (text.trim() === '') throw new UsageError(empty);
  return checkTokenFormat(text, 'standard input', 2, notATokenHint);
}
