import { HangarCommand } from '../../base-command.js';
import { configPath, writeConfig } from '../../lib/config-store.js';
import { envValue } from '../../lib/env.js';
import { printError, printLine } from '../../lib/output.js';

export default class AuthLogout extends HangarCommand {
  static override summary = 'Forget the stored token.';
  static override description =
    'Removes the token from the config file and nothing else: the API URL stays, and the token itself stays valid on the server (revoke it first with "hangar tokens revoke --current" if it should die).';
  static override examples = [
    { description: 'Forget the stored token', command: '<%= config.bin %> <%= command.id %>' },
    {
      description: 'Revoke it on the server, then forget it',
      command: '<%= config.bin %> tokens revoke --current',
    },
  ];

  async run(): Promise<unknown> {
    await this.parse(AuthLogout);
    const config = await this.readConfig();
    const had = typeof config.access_token === 'string' && config.access_token !== '';
    if (had) await writeConfig({ ...config, access_token: undefined });
    const result = await this.output({ logged_out: had, config: configPath() }, () => {
      printLine(
        had
          ? `Removed the stored token from ${configPath()}.`
          : 'No token was stored; nothing to do.',
      );
    });
    if (envValue('HANGAR_API_TOKEN'))
      printError('Note: HANGAR_API_TOKEN is still set and will be used.');
    return result;
  }
}
