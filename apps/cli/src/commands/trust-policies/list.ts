import { HangarCommand } from '../../base-command.js';
import { orgFlag, resolveOrg } from '../../lib/flags.js';
import { printTable } from '../../lib/output.js';
import { TRUST_POLICY_COLUMNS } from '../../lib/trust-policy-view.js';

export default class TrustPoliciesList extends HangarCommand {
  static override aliases = ['trust-policies ls'];
  static override summary = "List an organization's trust policies, oldest first.";
  static override examples = [
    { description: 'The policies of acme', command: '<%= config.bin %> <%= command.id %> -o acme' },
  ];
  static override flags = { org: orgFlag };

  async run(): Promise<unknown> {
    const { flags } = await this.parse(TrustPoliciesList);
    const org = resolveOrg(undefined, flags.org, this.flagSource('org'));
    const { collect } = await import('@hangar/sdk');
    const policies = await collect((await this.client()).trustPolicies.iterate(org));
    return this.output(policies, () =>
      printTable(policies, TRUST_POLICY_COLUMNS, 'No trust policies.'),
    );
  }
}
