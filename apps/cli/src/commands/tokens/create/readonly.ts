import type { Caveat } from '@hangar/tokens';
import { Args, Flags } from '@oclif/core';
import { HangarCommand } from '../../../base-command.js';
import { NOT_FROM_STDIN } from '../../../lib/args.js';
import { expiryFlag, nameFlag, optionalOrg, orgFlag, resolveOrg } from '../../../lib/flags.js';
import { commandKey, idempotencyKeyFlag } from '../../../lib/idempotency.js';
import { lostCreated } from '../../../lib/lost-token.js';
import { notAfterCaveats } from '../../../lib/offline-expiry.js';
import { printLine } from '../../../lib/output.js';
import { attenuatedJson } from '../../../lib/token-view.js';

export default class TokensCreateReadonly extends HangarCommand {
  static override summary = 'Create a read-only token for an organization.';
  static override description =
    `The token can read everything in one organization and change nothing.

With --from-existing, the server mints nothing: the token in use is attenuated offline with the caveat actions = read, an org caveat when an organization is given (ORG, --org or $HANGAR_ORG; its id is looked up with one request, getOrg), and not-after when --expiry is given. Without an organization the new token reads every organization the token in use can see. --expiry cannot outlive the token in use; without it the new token expires when that one does. --name does not apply (the server keeps no record of the new token, so "tokens list" does not show it); revoking the original also revokes it.`;
  static override examples = [
    {
      description: 'A read-only token for acme',
      command: '<%= config.bin %> <%= command.id %> acme',
    },
    {
      description: 'Narrow the current token to read-only on acme for one day (one lookup)',
      command: '<%= config.bin %> <%= command.id %> acme --from-existing -x 24h',
    },
    {
      description: 'Narrow the current token to read-only everywhere it reaches, fully offline',
      command: '<%= config.bin %> <%= command.id %> --from-existing',
    },
  ];
  static override args = {
    org: Args.string({
      ...NOT_FROM_STDIN,
      description: 'Organization slug (or use --org / $HANGAR_ORG).',
    }),
  };
  static override flags = {
    org: orgFlag,
    name: nameFlag('Read-only org token', ['from-existing']),
    expiry: expiryFlag,
    'idempotency-key': idempotencyKeyFlag,
    'from-existing': Flags.boolean({
      summary:
        'Attenuate the token in use instead of asking the server to mint one: read-only, limited to the organization when one is given (one lookup), else to every organization the token in use can see.',
      description:
        'Offline but for that lookup. --expiry must not outlive the token in use; without it the new token expires with it. Cannot be combined with --name.',
    }),
  };

  async run(): Promise<unknown> {
    const { args, flags } = await this.parse(TokensCreateReadonly);
    const expiresIn = flags.expiry?.seconds;
    if (flags['from-existing']) {
      const org = optionalOrg(args.org, flags.org, this.flagSource('org'));
      const { token } = await this.resolveToken();
      const caveats: Caveat[] = [{ type: 'actions', actions: ['read'] }];
      caveats.push(...(await notAfterCaveats(token, flags.expiry)));
      if (org) {
        const { id } = await (await this.client()).orgs.get(org);
        caveats.unshift({ type: 'org', org: id });
      }
      const { attenuate } = await import('@hangar/tokens');
      const narrowed = attenuate(token, caveats);
      return this.output(await attenuatedJson(narrowed), () => printLine(narrowed));
    }
    const org = resolveOrg(args.org, flags.org, this.flagSource('org'));
    const hangar = await this.client({
      idempotencyKey: commandKey(flags['idempotency-key']),
    });
    const created = await hangar.tokens.createReadonly(org, { name: flags.name, expiresIn });
    return this.outputSecret(created, created.token, lostCreated(created.id));
  }
}
