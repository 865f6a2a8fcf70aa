import { Args } from '@oclif/core';
import { HangarCommand } from '../../base-command.js';
import { NOT_FROM_STDIN } from '../../lib/args.js';
import { orgFlag, resolveOrg } from '../../lib/flags.js';
import { printFields } from '../../lib/output.js';
import { policyId, trustPolicyFields } from '../../lib/trust-policy-view.js';

export default class TrustPoliciesShow extends HangarCommand {
  static override summary = 'Show one trust policy.';
  static override examples = [
    {
      description: 'Show a policy of acme',
      command: '<%= config.bin %> <%= command.id %> tp_5b1e0f3c2a4d6e78 -o acme',
    },
  ];
  static override args = {
    id: Args.string({
      ...NOT_FROM_STDIN,
      description: 'Trust policy id (tp_...).',
      required: true,
    }),
  };
  static override flags = { org: orgFlag };

  async run(): Promise<unknown> {
    const { args, flags } = await this.parse(TrustPoliciesShow);
    const org = resolveOrg(undefined, flags.org, this.flagSource('org'));
    const policy = await (await this.client()).trustPolicies.get(org, policyId(args.id));
    return this.output(policy, () => printFields(trustPolicyFields(policy)));
  }
}
