import { Args } from '@oclif/core';
import { HangarCommand } from '../../base-command.js';
import { appFlag, resolveApp } from '../../lib/flags.js';
import { printLine } from '../../lib/output.js';

export default class MachinesDestroy extends HangarCommand {
  static override summary = 'Destroy a machine.';
  static override examples = [
    {
      description: 'Destroy a machine',
      command: '<%= config.bin %> <%= command.id %> m_0123 -a acme-web',
    },
  ];
  static override args = { id: Args.string({ description: 'Machine id.', required: true }) };
  static override flags = { app: appFlag };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(MachinesDestroy);
    const app = resolveApp(flags.app);
    await (await this.client()).machines.delete(app, args.id);
    await this.output({ id: args.id, app, destroyed: true }, () =>
      printLine(`Destroyed machine ${args.id}.`),
    );
  }
}
