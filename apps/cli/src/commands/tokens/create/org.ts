import { Args } from '@oclif/core';
import { HangarCommand } from '../../../base-command.js';
import { NOT_FROM_STDIN } from '../../../lib/args.js';
import { expiryFlag, nameFlag, orgFlag, resolveOrg } from '../../../lib/flags.js';
import { commandKey, idempotencyKeyFlag } from '../../../lib/idempotency.js';
import { lostCreated } from '../../../lib/lost-token.js';

export default class TokensCreateOrg extends HangarCommand {
  static override summary = 'Create an organization-scoped token.';
  static override description =
    'The token can automate one organization and nothing else: its apps, machines, deploy tokens and its own tokens. It prints exactly one line, the token; keep it secret, it is shown only once.';
  static override examples = [
    {
      description: 'Create a token for the acme organization',
      command: '<%= config.bin %> <%= command.id %> acme',
    },
    {
      description: 'Name it and let it live 30 days',
      command: '<%= config.bin %> <%= command.id %> -o acme -n "CI deploys" -x 30d',
    },
    {
      description: 'Token and metadata as JSON',
      command: '<%= config.bin %> <%= command.id %> acme --json',
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
    name: nameFlag('Org deploy token'),
    expiry: expiryFlag,
    'idempotency-key': idempotencyKeyFlag,
  };

  async run(): Promise<unknown> {
    const { args, flags } = await this.parse(TokensCreateOrg);
    const org = resolveOrg(args.org, flags.org, this.flagSource('org'));
    const expiresIn = flags.expiry?.seconds;
    const hangar = await this.client({
      idempotencyKey: commandKey(flags['idempotency-key']),
    });
    const created = await hangar.tokens.createOrg(org, { name: flags.name, expiresIn });
    return this.outputSecret(created, created.token, lostCreated(created.id));
  }
}
