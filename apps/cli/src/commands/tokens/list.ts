import type { Token } from '@hangar/sdk';
import { Flags } from '@oclif/core';
import { HangarCommand } from '../../base-command.js';
import { envValue } from '../../lib/env.js';
import { UsageError } from '../../lib/errors.js';
import { appFlag, optionalApp, optionalOrg, orgFlag } from '../../lib/flags.js';
import { printTable } from '../../lib/output.js';
import { TOKEN_COLUMNS } from '../../lib/token-view.js';

const SCOPES = ['app', 'org'] as const;
type ListScope = (typeof SCOPES)[number];

export default class TokensList extends HangarCommand {
  static override aliases = ['tokens ls'];
  static override summary = "List an app's deploy tokens, or an organization's tokens.";
  static override description =
    `Scope "app" (the default) lists the deploy tokens of --app; scope "org" lists the org and read-only tokens of --org. Giving --org alone means org scope. Revoked and expired tokens are listed too. Every page is fetched.`;
  static override examples = [
    {
      description: 'Deploy tokens of acme-web',
      command: '<%= config.bin %> <%= command.id %> -a acme-web',
    },
    {
      description: 'Org and read-only tokens of acme',
      command: '<%= config.bin %> <%= command.id %> -o acme',
    },
    {
      description: 'The same, spelled out, as JSON',
      command: '<%= config.bin %> <%= command.id %> -s org -o acme --json',
    },
  ];
  static override flags = {
    app: appFlag,
    org: orgFlag,
    scope: Flags.string({
      char: 's',
      summary:
        'Which tokens: "app" (deploy tokens of --app, the default) or "org" (tokens of --org).',
      helpValue: 'app|org',
    }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(TokensList);
    const scope = chooseScope(flags.scope, flags.app, flags.org);
    const hangar = await this.client();
    const tokens: Token[] = [];
    if (scope === 'org') {
      const org = optionalOrg(undefined, flags.org);
      if (!org)
        throw new UsageError(
          'Scope "org" needs an organization: pass --org ORG or set HANGAR_ORG.',
        );
      for await (const token of hangar.tokens.iterateOrg(org, { limit: 100 })) tokens.push(token);
    } else {
      const app = optionalApp(flags.app);
      if (!app) {
        throw new UsageError(
          'Scope "app" needs an app: pass --app APP or set HANGAR_APP (or pass --org ORG to list org tokens).',
        );
      }
      for await (const token of hangar.tokens.iterateApp(app, { limit: 100 })) tokens.push(token);
    }
    await this.output(tokens, () => printTable(tokens, TOKEN_COLUMNS, 'No tokens.'));
  }
}

/**
 * Picks the list scope: an explicit --scope (validated), else `org` when --org is given without
 * --app, else `app` (flyctl's default).
 *
 * @throws UsageError naming the valid values for anything else
 */
export function chooseScope(
  scope: string | undefined,
  app: string | undefined,
  org: string | undefined,
): ListScope {
  if (scope !== undefined) {
    const value = scope.trim().toLowerCase();
    if (!SCOPES.includes(value as ListScope)) {
      throw new UsageError(`Invalid --scope "${scope}": valid values are ${SCOPES.join(', ')}.`);
    }
    return value as ListScope;
  }
  if (org?.trim() && !app?.trim()) return 'org';
  if (!app?.trim() && !envValue('HANGAR_APP') && envValue('HANGAR_ORG')) return 'org';
  return 'app';
}
