import { printFields } from '../../lib/output.js';
import { fieldsOf, MACHINE_COLUMNS } from '../../lib/resource-view.js';
import { MachineCommand } from '../../machine-command.js';

export default class MachinesShow extends MachineCommand {
  static override summary = 'Show one machine.';
  static override args = MachineCommand.args;
  static override flags = MachineCommand.flags;
  static override examples = MachineCommand.example('Show a machine');

  async run(): Promise<unknown> {
    const { app, id } = await this.target();
    const machine = await (await this.client()).machines.get(app, id);
    return this.output(machine, () =>
      printFields([['App', machine.app], ...fieldsOf(machine, MACHINE_COLUMNS)]),
    );
  }
}
