import { Flags } from '@oclif/core';
import { HangarCommand } from '../../base-command.js';
import {
  checkConfigWritable,
  configPath,
  type HangarConfig,
  writeConfig,
} from '../../lib/config-store.js';
import { envValue } from '../../lib/env.js';
import { UsageError } from '../../lib/errors.js';
import { printError, printLine } from '../../lib/output.js';
import { prompt, promptHidden, readStdin, stdinIsTerminal } from '../../lib/stdin.js';
import { checkTokenFormat, readTokenFromStdin } from '../../lib/token-source.js';

/** What a newcomer piping a password (`echo "$PASSWORD" | hangar auth login`) meant to type. */
const PIPED_PASSWORD =
  'if you piped a password, run: hangar auth login --email EMAIL --password-stdin';

export default class AuthLogin extends HangarCommand {
  static override summary = 'Log in and store the token in the config file.';
  static override description =
    `Logs in with email and password (a personal token is created, which "auth logout" revokes), or stores a token you already have. The token is checked with the server (getViewer) before it is stored, together with the API URL, in ~/.hangar/config.yml (mode 0600; HANGAR_CONFIG_DIR moves it).

Ways to log in:
  - at a terminal, with no flags: prompts for email and password;
  - --email EMAIL --password-stdin: reads the password from standard input;
  - --token TOKEN, or a token piped on standard input (or --token -).

Logging in again replaces the stored token. A personal token an earlier "auth login" created is not revoked then (a copy may be in use elsewhere): a warning on stderr names it while it is still valid, with the "hangar tokens revoke" command; "auth logout" first revokes it instead.`;
  static override examples = [
    { description: 'Log in interactively', command: '<%= config.bin %> <%= command.id %>' },
    {
      description: 'Log in from a script',
      command:
        'printf %s "$PASSWORD" | <%= config.bin %> <%= command.id %> --email dev@hangar.local --password-stdin',
    },
    {
      description: 'Store an existing token',
      command: 'printf %s "$TOKEN" | <%= config.bin %> <%= command.id %>',
    },
    {
      description: 'Log in to a mock server on another port',
      command: '<%= config.bin %> <%= command.id %> --api-url http://127.0.0.1:4281',
    },
  ];
  static override flags = {
    email: Flags.string({
      summary: 'Email to log in with (password prompted or from --password-stdin).',
      helpValue: 'EMAIL',
    }),
    'password-stdin': Flags.boolean({
      summary: 'Read the password from standard input.',
      dependsOn: ['email'],
    }),
    token: Flags.string({
      summary:
        'Store this token instead of logging in with a password ("-" reads it from standard input).',
      helpValue: 'TOKEN',
    }),
  };

  async run(): Promise<unknown> {
    const { flags } = await this.parse(AuthLogin);
    // Checked here, not with oclif's `exclusive`: its generated USAGE line for this pair read
    // "[--password-stdin --email EMAIL] [--token TOKEN | ]".
    if (flags.token !== undefined && flags.email !== undefined) {
      throw new UsageError(
        'Use either --token (store a token you have) or --email (log in with a password), not both.',
      );
    }
    const apiUrl = await this.apiUrl();
    await checkConfigWritable();
    let token: string;
    // Set when this login mints the token (email and password): `auth logout` revokes it then.
    let minted = false;
    if (flags.token !== undefined) {
      token =
        flags.token === '-'
          ? await readTokenFromStdin(undefined, PIPED_PASSWORD)
          : await checkTokenFormat(flags.token, '--token', 2);
    } else if (flags.email === undefined && !stdinIsTerminal()) {
      token = await readTokenFromStdin(
        'No terminal to prompt on: pass --email EMAIL --password-stdin, or --token TOKEN, or pipe a token on standard input.',
        PIPED_PASSWORD,
      );
    } else {
      const email = flags.email ?? (await prompt('Email: ')).trim();
      let password: string;
      if (flags['password-stdin']) {
        password = (await readStdin()).replace(/\r?\n$/, '');
        if (!password) throw new UsageError('No password on standard input (--password-stdin).');
      } else if (stdinIsTerminal()) password = await promptHidden('Password: ');
      else
        throw new UsageError(
          'No terminal to ask for the password: pass --password-stdin and pipe it in.',
        );
      if (!email || !password) throw new UsageError('Email and password are both needed.');
      const anonymous = await this.client({ auth: false });
      token = (await anonymous.sessions.create(email, password)).token;
      minted = true;
    }
    const viewer = await (await this.client({ token })).viewer.get();
    const config = await this.readConfig();
    await writeConfig({
      ...config,
      access_token: token,
      api_url: apiUrl,
      login_token_id: minted ? viewer.token.id : undefined,
    });
    const result = await this.output(viewer, () => {
      printLine(
        `Logged in to ${apiUrl} as ${viewer.user.email} (token ${viewer.token.id}, ${viewer.token.kind}).`,
      );
      printLine(`Token stored in ${configPath()}.`);
    });
    const replaced = replacedLoginToken(config, token, apiUrl);
    if (replaced && (await this.stillActive(replaced.id, token, replaced.sameServer))) {
      printError(replaced.warning);
    }
    if (envValue('HANGAR_API_TOKEN')) {
      // gh warns the same way about GH_TOKEN: the stored token is not the one commands will use.
      printError(
        'Warning: HANGAR_API_TOKEN is set and takes precedence over the stored token; unset it to use the token stored by "auth login".',
      );
    }
    return result;
  }

  /**
   * Whether token `id` is still active, asked with `token` (the new login, the same user) when it
   * is on this server: not when the server no longer knows it (404: revoked long ago, or the
   * server was reset). True when that cannot be told (another server, or the question failed):
   * then the warning is worth its line.
   */
  private async stillActive(id: string, token: string, sameServer: boolean): Promise<boolean> {
    if (!sameServer) return true;
    try {
      return (await (await this.client({ token })).tokens.get(id)).status === 'active';
    } catch (error) {
      return (error as { status?: unknown }).status !== 404;
    }
  }
}

/**
 * The warning when this login replaces, in the config file, a token an earlier `auth login`
 * minted (`login_token_id`): that token is stored nowhere any more, but lives on (a login token
 * is long-lived), and only `auth logout` would have revoked it. It is not revoked here: a copy
 * may be in use elsewhere (`hangar auth token` into a CI secret), so the user decides.
 * Undefined when there is nothing to say (no earlier login token, or the same token again).
 */
function replacedLoginToken(
  previous: HangarConfig,
  token: string,
  apiUrl: string,
): { id: string; sameServer: boolean; warning: string } | undefined {
  const id = previous.login_token_id;
  if (!id || !previous.access_token || previous.access_token === token) return undefined;
  const revoke = `hangar tokens revoke ${id}`;
  if (!previous.api_url || previous.api_url === apiUrl) {
    return {
      id,
      sameServer: true,
      warning: `Warning: the token the previous "auth login" stored, ${id}, is no longer stored but is still valid; if nothing else uses it (a copy from "hangar auth token"), revoke it: ${revoke}`,
    };
  }
  return {
    id,
    sameServer: false,
    warning: `Warning: the token the previous "auth login" stored for ${previous.api_url}, ${id}, is no longer stored but is still valid there; if nothing else uses it, log in there again and revoke it (${revoke}), or run "hangar auth logout" before switching servers.`,
  };
}
