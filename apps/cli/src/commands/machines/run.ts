import { Flags } from '@oclif/core';
import { HangarCommand } from '../../base-command.js';
import { appFlag, resolveApp } from '../../lib/flags.js';
import { commandKey, idempotencyKeyFlag } from '../../lib/idempotency.js';
import { REGIONS } from '../../lib/names.js';
import { printLine } from '../../lib/output.js';

export default class MachinesRun extends HangarCommand {
  static override summary = 'Create and start a machine.';
  static override examples = [
    {
      description: 'Run nginx in acme-web, in the default region (iad)',
      command: '<%= config.bin %> <%= command.id %> -a acme-web --image nginx:1.27',
    },
    {
      description: 'In another region',
      command: '<%= config.bin %> <%= command.id %> -a acme-web --image nginx:1.27 --region cdg',
    },
  ];
  static override flags = {
    app: appFlag,
    image: Flags.string({ summary: 'Container image to run.', required: true, helpValue: 'IMAGE' }),
    region: Flags.option({
      char: 'r',
      summary: "Region: one of Fly.io's public region codes listed below (server default: iad).",
      options: REGIONS,
    })(),
    'idempotency-key': idempotencyKeyFlag,
  };

  async run(): Promise<unknown> {
    const { flags } = await this.parse(MachinesRun);
    const app = resolveApp(flags.app, this.flagSource('app'));
    const { region } = flags;
    const spec = region === undefined ? { image: flags.image } : { image: flags.image, region };
    const hangar = await this.client({ idempotencyKey: commandKey(flags['idempotency-key']) });
    const machine = await hangar.machines.create(app, spec);
    return this.output(machine, () =>
      printLine(`Machine ${machine.id} ${machine.state} in ${machine.region} (${machine.image}).`),
    );
  }
}
