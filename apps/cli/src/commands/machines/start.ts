import { HangarCommand } from '../../base-command.js';
import { appFlag, machineIdArg, resolveApp } from '../../lib/flags.js';
import { printLine } from '../../lib/output.js';

export default class MachinesStart extends HangarCommand {
  static override summary = 'Start a stopped machine.';
  static override examples = [
    {
      description: 'Start a stopped machine.',
      command: '<%= config.bin %> <%= command.id %> m_3f9a0c1d2e4b5a69 -a acme-web',
    },
  ];
  static override args = { id: machineIdArg };
  static override flags = { app: appFlag };

  async run(): Promise<unknown> {
    const { args, flags } = await this.parse(MachinesStart);
    const app = resolveApp(flags.app, this.flagSource('app'));
    const machine = await (await this.client()).machines.start(app, args.id);
    return this.output(machine, () => printLine(`Machine ${machine.id} is ${machine.state}.`));
  }
}
