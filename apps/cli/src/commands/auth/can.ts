import type { AccessCheck, AccessCheckRequest } from '@hangar/sdk';
import { Args } from '@oclif/core';
import { HangarCommand } from '../../base-command.js';
import { NOT_FROM_STDIN } from '../../lib/args.js';
import { UsageError } from '../../lib/errors.js';
import { appFlag, optionalApp, optionalOrg, orgFlag } from '../../lib/flags.js';
import { printLine } from '../../lib/output.js';

/**
 * Every value of the contract's enum, as a list. The record type makes the compiler require
 * exactly the SDK type's members (a missing or extra key fails typecheck), so the CLI's list
 * cannot drift from the contract (AccessCheckRequest in openapi/hangar.yaml) again.
 */
function enumValues<T extends string>(members: Record<T, true>): T[] {
  return Object.keys(members) as T[];
}

const ACTIONS = enumValues<AccessCheckRequest['action']>({
  read: true,
  write: true,
  create: true,
  delete: true,
  control: true,
});
const RESOURCES = enumValues<AccessCheckRequest['resource']>({
  org: true,
  app: true,
  machine: true,
  token: true,
  event: true,
  trust_policy: true,
});

/**
 * `apps` and `app`, `trust-policies` and `trust_policy` alike: the resource names of the
 * contract are singular, with `_` between words.
 */
function resourceOf(text: string): AccessCheckRequest['resource'] {
  const singular = text.toLowerCase().replace(/-/g, '_').replace(/ies$/, 'y').replace(/s$/, '');
  const found = RESOURCES.find((r) => r === singular);
  if (!found) {
    throw new UsageError(
      `Unknown resource "${text}": use one of ${RESOURCES.join(', ')} (e.g. hangar auth can create machine -a APP).`,
    );
  }
  return found;
}

/** Words people use for an action of the contract: revoking or rotating a token needs delete. */
const ACTION_ALIASES: Record<string, AccessCheckRequest['action']> = {
  revoke: 'delete',
  rotate: 'delete',
};

function actionOf(text: string): AccessCheckRequest['action'] {
  const lower = text.toLowerCase();
  const found = ACTIONS.find((a) => a === lower) ?? ACTION_ALIASES[lower];
  if (!found) {
    throw new UsageError(
      `Unknown action "${text}": use one of ${ACTIONS.join(', ')} (e.g. hangar auth can create machine -a APP).`,
    );
  }
  return found;
}

export default class AuthCan extends HangarCommand {
  static override summary = 'Check whether the token in use may do something, before doing it.';
  static override description =
    'Asks the server (checkAccess) what the token would get trying ACTION on RESOURCE in --org or on --app, by the same rules the operation itself applies, without side effects. Exits 0 when allowed and 1 when not, so a pipeline can fail fast before a deploy. With neither --org nor --app, only what needs no target can be checked: read org (listing organizations), read token (your personal tokens), and revoke or rotate token (the token in use).';
  static override examples = [
    {
      description: 'May this CI token create machines in acme-web?',
      command: '<%= config.bin %> <%= command.id %> create machine -a acme-web',
    },
    {
      description: 'Fail a pipeline early',
      command:
        '<%= config.bin %> <%= command.id %> create machine -a acme-web || exit 1; hangar machines run ...',
    },
    {
      description: "May this token revoke acme-web's deploy tokens? (revoke is delete)",
      command: '<%= config.bin %> <%= command.id %> revoke token -a acme-web',
    },
    {
      description: 'As JSON',
      command: '<%= config.bin %> <%= command.id %> delete app -o acme --json',
    },
  ];
  static override args = {
    action: Args.string({
      ...NOT_FROM_STDIN,
      description: `What to do: ${ACTIONS.join(', ')} (revoke and rotate mean delete).`,
      required: true,
    }),
    resource: Args.string({
      ...NOT_FROM_STDIN,
      description: `What to do it to: ${RESOURCES.join(', ')}.`,
      required: true,
    }),
  };
  static override flags = { org: orgFlag, app: appFlag };

  async run(): Promise<unknown> {
    const { args, flags } = await this.parse(AuthCan);
    const request: AccessCheckRequest = {
      action: actionOf(args.action),
      resource: resourceOf(args.resource),
    };
    const org = optionalOrg(undefined, flags.org, this.flagSource('org'));
    const app = optionalApp(flags.app, this.flagSource('app'));
    if (org) request.org = org;
    if (app) request.app = app;
    const hangar = await this.client();
    const answer = await hangar.viewer.checkAccess(request);
    if (answer.allowed) return this.output(answer, () => printLine(describe(answer)));
    if (this.json) this.logJson(answer);
    else printLine(describe(answer));
    this.exit(1);
  }
}

/** One line: allowed, or not with the status the operation would answer and the caveat. */
function describe(answer: AccessCheck): string {
  const { required_access: need } = answer;
  const where = need.app
    ? ` on app "${need.app}"`
    : need.org
      ? ` in organization "${need.org}"`
      : '';
  const what = `${need.action} ${plural(need.resource)}${where} (${answer.operation})`;
  if (answer.allowed) return `Allowed: ${what}.`;
  const why = answer.caveat ? `${answer.detail} (caveat: ${answer.caveat})` : answer.detail;
  return `Not allowed: ${what} would answer ${answer.status}: ${why}.`;
}

/** A resource name in words, plural: `machines`, `trust policies`. */
function plural(resource: string): string {
  return `${resource.replace(/_/g, ' ').replace(/y$/, 'ie')}s`;
}
