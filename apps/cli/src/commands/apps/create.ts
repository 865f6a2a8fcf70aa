import { HangarCommand } from '../../base-command.js';
import { appNameArg, orgFlag, resolveOrg } from '../../lib/flags.js';
import { commandKey, idempotencyKeyFlag } from '../../lib/idempotency.js';
import { printLine } from '../../lib/output.js';

export default class AppsCreate extends HangarCommand {
  static override summary = 'Create an app in an organization.';
  static override description = 'App names are DNS labels and unique on the whole server.';
  static override examples = [
    {
      description: 'Create acme-worker in acme',
      command: '<%= config.bin %> <%= command.id %> acme-worker -o acme',
    },
  ];
  static override args = { name: appNameArg };
  static override flags = { org: orgFlag, 'idempotency-key': idempotencyKeyFlag };

  async run(): Promise<unknown> {
    const { args, flags } = await this.parse(AppsCreate);
    const org = resolveOrg(undefined, flags.org, this.flagSource('org'), '--org ORG');
    const hangar = await this.client({ idempotencyKey: commandKey(flags['idempotency-key']) });
    const app = await hangar.apps.create(org, args.name);
    return this.output(app, () => printLine(`Created app ${app.name} in ${app.org} (${app.id}).`));
  }
}
