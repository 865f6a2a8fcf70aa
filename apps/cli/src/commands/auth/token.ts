import { HangarCommand } from '../../base-command.js';
import { printLine } from '../../lib/output.js';

export default class AuthToken extends HangarCommand {
  static override summary = 'Print the token in use.';
  static override description =
    'Prints the token the other commands would use (--access-token, then HANGAR_API_TOKEN, then the config file). It is a secret: pipe it, do not paste it into logs.';
  static override examples = [
    // Two lines, in oclif's plain-text example form (the object form would join them with " \\"):
    // `export VAR="$(...)"` hides a failure from `set -e` (ShellCheck SC2155).
    [
      'Hand the token to another tool (two lines, so that "set -e" stops on a failure):',
      '    token="$(<%= config.bin %> <%= command.id %>)"',
      '    export HANGAR_API_TOKEN="$token"',
    ].join('\n'),
  ];

  async run(): Promise<unknown> {
    await this.parse(AuthToken);
    const { token, source } = await this.resolveToken();
    return this.output({ token, source }, () => printLine(token));
  }
}
