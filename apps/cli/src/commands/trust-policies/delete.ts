import { Args } from '@oclif/core';
import { HangarCommand } from '../../base-command.js';
import { NOT_FROM_STDIN } from '../../lib/args.js';
import { confirmDestroy } from '../../lib/confirm.js';
import { orgFlag, resolveOrg, yesFlag } from '../../lib/flags.js';
import { commandKey, idempotencyKeyFlag } from '../../lib/idempotency.js';
import { printLine } from '../../lib/output.js';
import { policyId } from '../../lib/trust-policy-view.js';

export default class TrustPoliciesDelete extends HangarCommand {
  static override summary = 'Delete a trust policy.';
  static override description =
    'Exchanges it allowed are refused from the next one on; tokens it already minted live out their short lifetime (revoke them to end them sooner). Asks for confirmation at a terminal (type the policy id); elsewhere --yes is required.';
  static override examples = [
    {
      description: 'Delete a policy of acme, typing its id when asked',
      command: '<%= config.bin %> <%= command.id %> tp_5b1e0f3c2a4d6e78 -o acme',
    },
    {
      description: 'Delete it without asking (scripts, CI)',
      command: '<%= config.bin %> <%= command.id %> tp_5b1e0f3c2a4d6e78 -o acme --yes',
    },
  ];
  static override args = {
    id: Args.string({
      ...NOT_FROM_STDIN,
      description: 'Trust policy id (tp_...).',
      required: true,
    }),
  };
  static override flags = { org: orgFlag, yes: yesFlag, 'idempotency-key': idempotencyKeyFlag };

  async run(): Promise<unknown> {
    const { args, flags } = await this.parse(TrustPoliciesDelete);
    const org = resolveOrg(undefined, flags.org, this.flagSource('org'));
    const id = policyId(args.id);
    await confirmDestroy(
      flags.yes,
      `Delete trust policy ${id} of ${org}? Type its id to confirm: `,
      id,
      'delete',
    );
    const hangar = await this.client({ idempotencyKey: commandKey(flags['idempotency-key']) });
    await hangar.trustPolicies.delete(org, id);
    return this.output({ id, deleted: true }, () => printLine(`Deleted trust policy ${id}.`));
  }
}
