import { MachineCommand } from '../../machine-command.js';

export default class MachinesStart extends MachineCommand {
  static override summary = 'Start a stopped machine.';
  static override args = MachineCommand.args;
  static override flags = MachineCommand.writeFlags;
  static override examples = MachineCommand.example('Start a stopped machine.');

  async run(): Promise<unknown> {
    return this.changeState('start');
  }
}
