import { HangarCommand } from '../../base-command.js';
import { printFields, relativeTime } from '../../lib/output.js';

export default class AuthWhoami extends HangarCommand {
  static override summary = 'Show who the token in use belongs to and what it may do.';
  static override description =
    'Asks the server (getViewer): the user, the token in use and its effective scope. Expires is the effective expiry: for a token attenuated offline, the earliest not-after of its caveats, which can be earlier than that of the token it came from.';
  static override examples = [
    { description: 'Who am I?', command: '<%= config.bin %> <%= command.id %>' },
    {
      description: 'Check a token from the environment',
      command: 'HANGAR_API_TOKEN=... <%= config.bin %> <%= command.id %> --json',
    },
  ];

  async run(): Promise<unknown> {
    await this.parse(AuthWhoami);
    const hangar = await this.client();
    const viewer = await hangar.viewer.get();
    return this.output(viewer, () => {
      const { token, scope } = viewer;
      printFields([
        ['User', viewer.user.email],
        ['Token', `${token.id} (${token.kind}, "${token.name}")`],
        ['Organization', scope.org ?? 'every organization of the user'],
        ['Apps', scope.apps ? scope.apps.join(', ') : 'all'],
        ['Actions', scope.actions.join(', ')],
        ['Expires', describeExpiry(scope.expires_at, token.expires_at)],
      ]);
    });
  }
}

/**
 * The effective expiry (the scope's, from every not-after caveat) in words; notes when it is
 * earlier than the token row's, i.e. the token was attenuated offline.
 */
function describeExpiry(effective: string | null, row: string | null): string {
  if (!effective) return 'never';
  const text = `${effective} (${relativeTime(effective)})`;
  return row && row !== effective
    ? `${text}; attenuated: narrower than the token it came from (${row})`
    : text;
}
