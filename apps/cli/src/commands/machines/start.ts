import { printLine } from '../../lib/output.js';
import { MachineCommand } from '../../machine-command.js';

export default class MachinesStart extends MachineCommand {
  static override summary = 'Start a stopped machine.';
  static override examples = MachineCommand.example('Start a stopped machine.');

  async run(): Promise<unknown> {
    const { app, id } = await this.target();
    const machine = await (await this.client()).machines.start(app, id);
    return this.output(machine, () => printLine(`Machine ${machine.id} is ${machine.state}.`));
  }
}
