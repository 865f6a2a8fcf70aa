import { printLine } from '../../lib/output.js';
import { MachineCommand } from '../../machine-command.js';

export default class MachinesStop extends MachineCommand {
  static override summary = 'Stop a running machine.';
  static override examples = MachineCommand.example('Stop a running machine.');

  async run(): Promise<unknown> {
    const { app, id } = await this.target();
    const machine = await (await this.client()).machines.stop(app, id);
    return this.output(machine, () => printLine(`Machine ${machine.id} is ${machine.state}.`));
  }
}
