import { checkName } from './names.js';
import { refuseTokenSecrets } from './token-id.js';

/**
 * The token ID argument of `tokens show` and `tokens rotate`, checked before any request: a
 * whole token (`hangar_...`) is refused without echoing it, naming its id instead (token-id.ts);
 * anything else must be a token id (tok_ and 32 hex digits).
 * @param command the command, for the suggestion (`tokens show`)
 * @throws UsageError (exit 2)
 */
export async function tokenIdArgument(value: string, command: string): Promise<string> {
  const id = value.trim();
  await refuseTokenSecrets([id], command);
  return checkName('token', id, 'token ID');
}
