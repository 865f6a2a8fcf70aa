import { HangarCommand } from '../../../base-command.js';
import { appFlag, expiryFlag, nameFlag, resolveApp } from '../../../lib/flags.js';
import { commandKey, idempotencyKeyFlag } from '../../../lib/idempotency.js';
import { lostCreated } from '../../../lib/lost-token.js';

export default class TokensCreateDeploy extends HangarCommand {
  static override summary = 'Create a deploy token, locked to one app.';
  static override description =
    'The token can manage one app, its machines and its deploy tokens, and nothing else. It prints exactly one line, the token; keep it secret, it is shown only once.';
  static override examples = [
    {
      description: 'Create a deploy token for acme-web',
      command: '<%= config.bin %> <%= command.id %> -a acme-web',
    },
    {
      description: 'A short-lived token, app taken from the environment',
      command: 'HANGAR_APP=acme-web <%= config.bin %> <%= command.id %> -x 72h',
    },
  ];
  static override flags = {
    app: appFlag,
    name: nameFlag('Deploy token'),
    expiry: expiryFlag,
    'idempotency-key': idempotencyKeyFlag,
  };

  async run(): Promise<unknown> {
    const { flags } = await this.parse(TokensCreateDeploy);
    const app = resolveApp(flags.app, this.flagSource('app'));
    const expiresIn = flags.expiry?.seconds;
    const hangar = await this.client({
      idempotencyKey: commandKey(flags['idempotency-key']),
    });
    const created = await hangar.tokens.createDeploy(app, { name: flags.name, expiresIn });
    return this.outputSecret(created, created.token, lostCreated(created.id));
  }
}
