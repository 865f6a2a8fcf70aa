import { HangarCommand } from '../../base-command.js';
import { printLine } from '../../lib/output.js';

export default class AuthToken extends HangarCommand {
  static override summary = 'Print the token in use.';
  static override description =
    'Prints the token the other commands would use (--access-token, then HANGAR_API_TOKEN, then the config file). It is a secret: pipe it, do not paste it into logs.';
  static override examples = [
    {
      description: 'Hand the token to another tool',
      command: 'export HANGAR_API_TOKEN="$(<%= config.bin %> <%= command.id %>)"',
    },
  ];

  async run(): Promise<unknown> {
    await this.parse(AuthToken);
    const { token, source } = await this.resolveToken();
    return this.output({ token, source }, () => printLine(token));
  }
}
