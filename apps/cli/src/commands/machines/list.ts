import type { Machine } from '@hangar/sdk';
import { HangarCommand } from '../../base-command.js';
import { appFlag, resolveApp } from '../../lib/flags.js';
import { printTable } from '../../lib/output.js';
import { MACHINE_COLUMNS } from '../../lib/resource-view.js';

export default class MachinesList extends HangarCommand {
  static override aliases = ['machines ls'];
  static override summary = "List an app's machines.";
  static override examples = [
    {
      description: 'Machines of acme-web',
      command: '<%= config.bin %> <%= command.id %> -a acme-web',
    },
  ];
  static override flags = { app: appFlag };

  async run(): Promise<unknown> {
    const { flags } = await this.parse(MachinesList);
    const app = resolveApp(flags.app, this.flagSource('app'));
    const hangar = await this.client();
    const machines: Machine[] = [];
    for await (const machine of hangar.machines.iterate(app, { limit: 100 }))
      machines.push(machine);
    return this.output(machines, () => printTable(machines, MACHINE_COLUMNS, 'No machines.'));
  }
}
