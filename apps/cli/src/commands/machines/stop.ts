import { MachineCommand } from '../../machine-command.js';

export default class MachinesStop extends MachineCommand {
  static override summary = 'Stop a running machine.';
  static override args = MachineCommand.args;
  static override flags = MachineCommand.writeFlags;
  static override examples = MachineCommand.example('Stop a running machine.');

  async run(): Promise<unknown> {
    return this.changeState('stop');
  }
}
