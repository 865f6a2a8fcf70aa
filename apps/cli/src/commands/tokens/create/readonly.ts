import { Args, Flags } from '@oclif/core';
import { HangarCommand } from '../../../base-command.js';
import { expiryFlag, nameFlag, orgFlag, parseExpiryFlag, resolveOrg } from '../../../lib/flags.js';
import { printLine } from '../../../lib/output.js';

export default class TokensCreateReadonly extends HangarCommand {
  static override summary = 'Create a read-only token for an organization.';
  static override description =
    `The token can read everything in one organization and change nothing.

With --from-existing, no request is made: the token in use is attenuated offline with the caveats actions = read and not-after (from --expiry). The new token can never do more than the one it came from; the server does not list it, and revoking the original also revokes it.`;
  static override examples = [
    {
      description: 'A read-only token for acme',
      command: '<%= config.bin %> <%= command.id %> acme',
    },
    {
      description: 'Narrow the current token to read-only for one day, offline',
      command: '<%= config.bin %> <%= command.id %> --from-existing -x 24h',
    },
  ];
  static override args = {
    org: Args.string({ description: 'Organization slug (or use --org / $HANGAR_ORG).' }),
  };
  static override flags = {
    org: orgFlag,
    name: nameFlag('Read-only org token'),
    expiry: expiryFlag,
    'from-existing': Flags.boolean({
      summary:
        'Attenuate the current token offline (read-only, expiring after --expiry) instead of asking the server.',
    }),
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(TokensCreateReadonly);
    const expiresIn = await parseExpiryFlag(flags.expiry);
    if (flags['from-existing']) {
      const { token } = await this.resolveToken();
      const { attenuate } = await import('@hangar/tokens');
      // Without -x the narrowed token keeps the original's expiry: attenuation cannot extend it.
      const narrowed = attenuate(token, [
        { type: 'actions', actions: ['read'] },
        ...(expiresIn === undefined
          ? []
          : [{ type: 'not-after' as const, notAfter: Math.floor(Date.now() / 1000) + expiresIn }]),
      ]);
      await this.outputAttenuated(narrowed);
      return;
    }
    const org = resolveOrg(args.org, flags.org);
    const hangar = await this.client();
    const created = await hangar.tokens.createReadonly(org, { name: flags.name, expiresIn });
    await this.output(created, () => printLine(created.token));
  }
}
