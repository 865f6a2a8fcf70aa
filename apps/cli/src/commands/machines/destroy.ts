import { HangarCommand } from '../../base-command.js';
import { confirmDestroy } from '../../lib/confirm.js';
import { appFlag, machineIdArg, resolveApp, yesFlag } from '../../lib/flags.js';
import { commandKey, idempotencyKeyFlag } from '../../lib/idempotency.js';
import { printLine } from '../../lib/output.js';

export default class MachinesDestroy extends HangarCommand {
  static override summary = 'Destroy a machine.';
  static override description =
    'Asks for confirmation at a terminal; elsewhere --yes is required (as flyctl does).';
  static override examples = [
    {
      description: 'Destroy a machine without asking',
      command: '<%= config.bin %> <%= command.id %> m_3f9a0c1d2e4b5a69 -a acme-web --yes',
    },
  ];
  static override args = { id: machineIdArg };
  static override flags = {
    app: appFlag,
    yes: yesFlag,
    'idempotency-key': idempotencyKeyFlag,
  };

  async run(): Promise<unknown> {
    const { args, flags } = await this.parse(MachinesDestroy);
    const app = resolveApp(flags.app, this.flagSource('app'));
    await confirmDestroy(
      flags.yes,
      `Destroy machine ${args.id} of app ${app}? Type its id to confirm: `,
      args.id,
    );
    const hangar = await this.client({ idempotencyKey: commandKey(flags['idempotency-key']) });
    await hangar.machines.delete(app, args.id);
    return this.output({ id: args.id, app, destroyed: true }, () =>
      printLine(`Destroyed machine ${args.id}.`),
    );
  }
}
