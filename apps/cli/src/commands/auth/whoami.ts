import { HangarCommand } from '../../base-command.js';
import { printFields, relativeTime } from '../../lib/output.js';

export default class AuthWhoami extends HangarCommand {
  static override summary = 'Show who the token in use belongs to and what it may do.';
  static override description =
    'Asks the server (getViewer): the user, the token in use and its effective scope.';
  static override examples = [
    { description: 'Who am I?', command: '<%= config.bin %> <%= command.id %>' },
    {
      description: 'Check a token from the environment',
      command: 'HANGAR_API_TOKEN=... <%= config.bin %> <%= command.id %> --json',
    },
  ];

  async run(): Promise<void> {
    await this.parse(AuthWhoami);
    const hangar = await this.client();
    const viewer = await hangar.viewer.get();
    await this.output(viewer, () => {
      const { token, scope } = viewer;
      printFields([
        ['User', viewer.user.email],
        ['Token', `${token.id} (${token.kind}, "${token.name}")`],
        ['Organization', scope.org ?? 'every organization of the user'],
        ['Apps', scope.apps ? scope.apps.join(', ') : 'all'],
        ['Actions', scope.actions.join(', ')],
        [
          'Expires',
          token.expires_at ? `${token.expires_at} (${relativeTime(token.expires_at)})` : 'never',
        ],
      ]);
    });
  }
}
