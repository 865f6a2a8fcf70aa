import { Flags } from '@oclif/core';
import { HangarCommand } from '../../base-command.js';
import { checkConfigWritable, configPath, writeConfig } from '../../lib/config-store.js';
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
  - --token TOKEN, or a token piped on standard input (or --token -).`;
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
    if (envValue('HANGAR_API_TOKEN')) {
      // gh warns the same way about GH_TOKEN: the stored token is not the one commands will use.
      printError(
        'Warning: HANGAR_API_TOKEN is set and takes precedence over the stored token; unset it to use the token stored by "auth login".',
      );
    }
    return result;
  }
}
