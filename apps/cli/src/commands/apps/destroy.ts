import { HangarCommand } from '../../base-command.js';
import { confirmDestroy } from '../../lib/confirm.js';
import { appNameArg, yesFlag } from '../../lib/flags.js';
import { commandKey, idempotencyKeyFlag } from '../../lib/idempotency.js';
import { printLine } from '../../lib/output.js';

export default class AppsDestroy extends HangarCommand {
  static override summary = 'Destroy an app and its machines.';
  static override description =
    'Asks for confirmation at a terminal; elsewhere --yes is required (as flyctl does).';
  static override examples = [
    {
      description: 'Destroy acme-worker without asking',
      command: '<%= config.bin %> <%= command.id %> acme-worker --yes',
    },
  ];
  static override args = { name: appNameArg };
  static override flags = {
    yes: yesFlag,
    'idempotency-key': idempotencyKeyFlag,
  };

  async run(): Promise<unknown> {
    const { args, flags } = await this.parse(AppsDestroy);
    await confirmDestroy(
      flags.yes,
      `Destroy app ${args.name} and all its machines? Type its name to confirm: `,
      args.name,
    );
    const hangar = await this.client({ idempotencyKey: commandKey(flags['idempotency-key']) });
    await hangar.apps.delete(args.name);
    return this.output({ name: args.name, destroyed: true }, () =>
      printLine(`Destroyed app ${args.name}.`),
    );
  }
}
