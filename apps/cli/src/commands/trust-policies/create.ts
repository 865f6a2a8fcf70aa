import type { CreateTrustPolicyRequest } from '@hangar/sdk';
import { Flags } from '@oclif/core';
import { HangarCommand } from '../../base-command.js';
import { UsageError } from '../../lib/errors.js';
import { orgFlag, resolveOrg } from '../../lib/flags.js';
import { commandKey, idempotencyKeyFlag } from '../../lib/idempotency.js';
import { printFields } from '../../lib/output.js';
import { conditionsOf, trustPolicyFields } from '../../lib/trust-policy-view.js';

const ACTIONS = ['read', 'write', 'create', 'delete', 'control'] as const;

export default class TrustPoliciesCreate extends HangarCommand {
  static override summary =
    'Create a trust policy: which CI ID tokens may be exchanged for a token.';
  static override description =
    'An OIDC ID token from --issuer with --audience whose claims match every --condition (exact, or * matching any characters) can be exchanged with "hangar auth exchange" for a token of --kind (org, readonly, or deploy with --app), optionally narrowed to --action, living --lifetime seconds (default 900, at most 3600). A policy cannot grant more than the token creating it.';
  static override examples = [
    {
      description: 'Let main-branch workflows of acme/web deploy acme-web',
      command:
        '<%= config.bin %> <%= command.id %> -o acme --name "web main" --issuer https://token.actions.githubusercontent.com --audience https://hangar.dev --condition sub=repo:acme/web:ref:refs/heads/main --kind deploy --app acme-web',
    },
  ];
  static override flags = {
    org: orgFlag,
    name: Flags.string({
      char: 'n',
      summary: 'Name of the policy (unique in the org).',
      required: true,
    }),
    issuer: Flags.string({
      summary: "OIDC issuer URL, exactly as its tokens' iss claim.",
      required: true,
      helpValue: 'URL',
    }),
    audience: Flags.string({ summary: 'The aud claim the ID tokens must carry.', required: true }),
    condition: Flags.string({
      char: 'c',
      summary:
        'A claim condition CLAIM=PATTERN (repeatable, one per claim, all must match; * matches any characters).',
      multiple: true,
      required: true,
      helpValue: 'CLAIM=PATTERN',
    }),
    kind: Flags.string({
      summary: 'What an exchange mints.',
      options: ['org', 'readonly', 'deploy'],
      required: true,
    }),
    app: Flags.string({ char: 'a', summary: 'The app of a deploy grant.', helpValue: 'APP' }),
    action: Flags.string({
      summary: 'Narrow the minted token to this action (repeatable).',
      options: [...ACTIONS],
      multiple: true,
    }),
    lifetime: Flags.integer({
      summary: 'Lifetime of minted tokens in seconds (60 to 3600).',
      min: 60,
      max: 3600,
      default: 900,
    }),
    'idempotency-key': idempotencyKeyFlag,
  };

  async run(): Promise<unknown> {
    const { flags } = await this.parse(TrustPoliciesCreate);
    const org = resolveOrg(undefined, flags.org, this.flagSource('org'));
    if (flags.kind === 'deploy' && !flags.app) {
      throw new UsageError('A deploy grant needs its app: pass --app APP.');
    }
    const grant: CreateTrustPolicyRequest['grant'] = {
      kind: flags.kind as CreateTrustPolicyRequest['grant']['kind'],
      expires_in: flags.lifetime,
    };
    if (flags.app) grant.app = flags.app;
    if (flags.action) grant.actions = flags.action as (typeof ACTIONS)[number][];
    const hangar = await this.client({ idempotencyKey: commandKey(flags['idempotency-key']) });
    const policy = await hangar.trustPolicies.create(org, {
      name: flags.name,
      issuer: flags.issuer,
      audience: flags.audience,
      conditions: conditionsOf(flags.condition),
      grant,
    });
    return this.output(policy, () => printFields(trustPolicyFields(policy)));
  }
}
