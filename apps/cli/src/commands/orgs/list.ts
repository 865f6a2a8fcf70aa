import type { Org } from '@hangar/sdk';
import { HangarCommand } from '../../base-command.js';
import { printTable } from '../../lib/output.js';
import { ORG_COLUMNS } from '../../lib/resource-view.js';

export default class OrgsList extends HangarCommand {
  static override aliases = ['orgs ls'];
  static override summary = 'List the organizations the token can see.';
  static override examples = [
    { description: 'Your organizations', command: '<%= config.bin %> <%= command.id %>' },
    { description: 'As JSON', command: '<%= config.bin %> <%= command.id %> --json' },
  ];

  async run(): Promise<unknown> {
    await this.parse(OrgsList);
    const hangar = await this.client();
    const orgs: Org[] = [];
    for await (const org of hangar.orgs.iterate({ limit: 100 })) orgs.push(org);
    return this.output(orgs, () => printTable(orgs, ORG_COLUMNS, 'No organizations.'));
  }
}
