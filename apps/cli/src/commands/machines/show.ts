import { HangarCommand } from '../../base-command.js';
import { appFlag, machineIdArg, resolveApp } from '../../lib/flags.js';
import { printFields } from '../../lib/output.js';
import { fieldsOf, MACHINE_COLUMNS } from '../../lib/resource-view.js';

export default class MachinesShow extends HangarCommand {
  static override summary = 'Show one machine.';
  static override examples = [
    {
      description: 'Show a machine',
      command: '<%= config.bin %> <%= command.id %> m_3f9a0c1d2e4b5a69 -a acme-web',
    },
  ];
  static override args = { id: machineIdArg };
  static override flags = { app: appFlag };

  async run(): Promise<unknown> {
    const { args, flags } = await this.parse(MachinesShow);
    const app = resolveApp(flags.app, this.flagSource('app'));
    const machine = await (await this.client()).machines.get(app, args.id);
    return this.output(machine, () =>
      printFields([['App', machine.app], ...fieldsOf(machine, MACHINE_COLUMNS)]),
    );
  }
}
