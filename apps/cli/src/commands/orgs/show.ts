import { Args } from '@oclif/core';
import { HangarCommand } from '../../base-command.js';
import { NOT_FROM_STDIN } from '../../lib/args.js';
import { orgFlag, resolveOrg } from '../../lib/flags.js';
import { printFields } from '../../lib/output.js';
import { fieldsOf, ORG_COLUMNS } from '../../lib/resource-view.js';

export default class OrgsShow extends HangarCommand {
  static override summary = 'Show one organization.';
  static override examples = [
    { description: 'Show acme', command: '<%= config.bin %> <%= command.id %> acme' },
  ];
  static override args = {
    org: Args.string({
      ...NOT_FROM_STDIN,
      description: 'Organization slug (or --org / $HANGAR_ORG).',
    }),
  };
  static override flags = { org: orgFlag };

  async run(): Promise<unknown> {
    const { args, flags } = await this.parse(OrgsShow);
    const slug = resolveOrg(args.org, flags.org, this.flagSource('org'));
    const org = await (await this.client()).orgs.get(slug);
    return this.output(org, () => printFields(fieldsOf(org, ORG_COLUMNS)));
  }
}
