import { HangarCommand } from '../../base-command.js';
import { appNameArg } from '../../lib/flags.js';
import { printFields } from '../../lib/output.js';
import { APP_COLUMNS, fieldsOf } from '../../lib/resource-view.js';

export default class AppsShow extends HangarCommand {
  static override summary = 'Show one app.';
  static override examples = [
    { description: 'Show acme-web', command: '<%= config.bin %> <%= command.id %> acme-web' },
  ];
  static override args = { name: appNameArg };

  async run(): Promise<unknown> {
    const { args } = await this.parse(AppsShow);
    const app = await (await this.client()).apps.get(args.name);
    return this.output(app, () => printFields(fieldsOf(app, APP_COLUMNS)));
  }
}
