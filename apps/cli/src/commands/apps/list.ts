import type { App } from '@hangar/sdk';
import { HangarCommand } from '../../base-command.js';
import { orgFlag, resolveOrg } from '../../lib/flags.js';
import { printTable } from '../../lib/output.js';
import { APP_COLUMNS } from '../../lib/resource-view.js';

export default class AppsList extends HangarCommand {
  static override aliases = ['apps ls'];
  static override summary = "List an organization's apps.";
  static override examples = [
    { description: 'Apps of acme', command: '<%= config.bin %> <%= command.id %> -o acme' },
  ];
  static override flags = { org: orgFlag };

  async run(): Promise<unknown> {
    const { flags } = await this.parse(AppsList);
    const org = resolveOrg(undefined, flags.org, this.flagSource('org'), '--org ORG');
    const hangar = await this.client();
    const apps: App[] = [];
    for await (const app of hangar.apps.iterate(org, { limit: 100 })) apps.push(app);
    return this.output(apps, () => printTable(apps, APP_COLUMNS, 'No apps.'));
  }
}
