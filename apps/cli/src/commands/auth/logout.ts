import { Flags } from '@oclif/core';
import { HangarCommand } from '../../base-command.js';
import { checkConfigWritable, configPath, writeConfig } from '../../lib/config-store.js';
import { envValue } from '../../lib/env.js';
import { CliError } from '../../lib/errors.js';
import { printError, printLine } from '../../lib/output.js';
import { idOfToken } from '../../lib/token-id.js';

/** What `auth logout` did, also its `--json` output. */
interface LogoutResult {
  logged_out: boolean;
  config: string;
  /**
   * The id of the stored token when `auth login` minted it (its identifier, decoded offline,
   * equals the stored `login_token_id`), else null.
   */
  token_id: string | null;
  /** `revoked` on the server, `already_refused` (401: revoked, expired or rotated before), `kept`. */
  token: 'revoked' | 'already_refused' | 'kept' | null;
}

export default class AuthLogout extends HangarCommand {
  static override summary = 'Log out: revoke the token login created, and forget it.';
  static override description =
    'When "auth login" created the stored token (email and password; checked offline: the stored token\'s id must be the one login recorded), logout revokes it on the server (DELETE /v1/viewer/token) and removes it from the config file; --keep-token only removes it, leaving it valid. A token you stored yourself (auth login --token) is only forgotten, never revoked: it may be in use elsewhere. The API URL stays in the config.';
  static override examples = [
    {
      description: 'Revoke and forget the stored token',
      command: '<%= config.bin %> <%= command.id %>',
    },
    {
      description: 'Forget it, but leave it valid on the server',
      command: '<%= config.bin %> <%= command.id %> --keep-token',
    },
  ];
  static override flags = {
    'keep-token': Flags.boolean({
      summary: 'Do not revoke the token "auth login" created; only forget it.',
    }),
  };

  async run(): Promise<unknown> {
    const { flags } = await this.parse(AuthLogout);
    const config = await this.readConfig();
    const stored = typeof config.access_token === 'string' ? config.access_token.trim() : '';
    const forget = stored !== '' || config.login_token_id !== undefined;
    // Before revoking: a config.yml that cannot be written would keep a revoked token.
    if (forget) await checkConfigWritable();
    // Revoked only if the stored token IS the one login minted: config.yml may have been edited
    // since (another token pasted in), and DELETE /v1/viewer/token revokes whatever token it
    // is sent with. The id is decoded offline from the token itself (@hangar/tokens).
    const recorded = stored ? (config.login_token_id ?? null) : null;
    const storedId = stored ? ((await idOfToken(stored)) ?? null) : null;
    const loginId = recorded !== null && recorded === storedId ? recorded : null;
    const result: LogoutResult = {
      logged_out: stored !== '',
      config: configPath(),
      token_id: loginId,
      token: null,
    };
    if (loginId) {
      result.token = flags['keep-token'] ? 'kept' : await this.revokeStored(stored, loginId);
    }
    if (forget) {
      await writeConfig({ ...config, access_token: undefined, login_token_id: undefined });
    }
    const output = await this.output(result, () => {
      if (!stored) return printLine('No token was stored; nothing to do.');
      const where = `from ${configPath()}`;
      switch (result.token) {
        case 'revoked':
          return printLine(
            `Revoked token ${loginId} (created by "auth login") and removed it ${where}.`,
          );
        case 'already_refused':
          return printLine(
            `Token ${loginId} was no longer valid on the server; removed it ${where}.`,
          );
        case 'kept':
          return printLine(
            `Removed the stored token ${where}; ${loginId} stays valid (--keep-token).`,
          );
        default:
          if (recorded !== null) {
            return printLine(
              `Removed the stored token ${where} without revoking it: it is ${storedId ?? 'a token'}, not ${recorded} that "auth login" created; neither was revoked (run "hangar tokens revoke ${recorded}" if that one is no longer needed).`,
            );
          }
          return printLine(
            `Removed the stored token ${where}; it was not created by "auth login", so it stays valid.`,
          );
      }
    });
    if (envValue('HANGAR_API_TOKEN'))
      printError('Note: HANGAR_API_TOKEN is still set and will be used.');
    return output;
  }

  /**
   * Revokes the stored token with itself (revokeCurrentToken), whatever token the environment
   * names. A 401 means it no longer works anyway; any other failure stops the logout with the
   * token still stored, so nothing is half done.
   * @throws CliError (exit 1) naming --keep-token as the way out
   */
  private async revokeStored(token: string, id: string): Promise<LogoutResult['token']> {
    const { HangarApiError } = await import('@hangar/sdk');
    await this.refuseStoredTokenElsewhere();
    try {
      await (await this.client({ token })).tokens.revokeCurrent();
      return 'revoked';
    } catch (error) {
      if (error instanceof HangarApiError && error.status === 401) return 'already_refused';
      if (error instanceof HangarApiError && error.code === 'token_already_revoked') {
        return 'already_refused';
      }
      const why = error instanceof Error ? error.message : String(error);
      throw new CliError(
        `Could not revoke the stored token ${id}: ${why}. It is still stored; try again, or run "hangar auth logout --keep-token" to forget it without revoking it.`,
      );
    }
  }
}
