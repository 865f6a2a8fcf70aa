import type { Token } from '@hangar/sdk';
import { Flags } from '@oclif/core';
import { HangarCommand } from '../../base-command.js';
import { UsageError } from '../../lib/errors.js';
import { appFlag, type FlagSource, optionalApp, optionalOrg, orgFlag } from '../../lib/flags.js';
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
    scope: Flags.option({
      char: 's',
      summary:
        'Which tokens: "app" (deploy tokens of --app, the default) or "org" (tokens of --org).',
      options: SCOPES,
    })(),
  };

  async run(): Promise<unknown> {
    const { flags } = await this.parse(TokensList);
    const appWhere = this.flagSource('app');
    const orgWhere = this.flagSource('org');
    const scope = chooseScope(flags.scope, flags.app, flags.org, appWhere, orgWhere);
    const hangar = await this.client();
    const tokens: Token[] = [];
    if (scope === 'org') {
      const org = optionalOrg(undefined, flags.org, orgWhere);
      if (!org)
        throw new UsageError(
          'Scope "org" needs an organization: pass --org ORG or set HANGAR_ORG.',
        );
      for await (const token of hangar.tokens.iterateOrg(org, { limit: 100 })) tokens.push(token);
    } else {
      const app = optionalApp(flags.app, appWhere);
      if (!app) {
        throw new UsageError(
          'Scope "app" needs an app: pass --app APP or set HANGAR_APP (or pass --org ORG to list org tokens).',
        );
      }
      for await (const token of hangar.tokens.iterateApp(app, { limit: 100 })) tokens.push(token);
    }
    return this.output(tokens, () => printTable(tokens, TOKEN_COLUMNS, 'No tokens.'));
  }
}

/**
 * Picks the list scope: an explicit --scope (oclif checked it is app or org), else `org` when
 * --org is typed without --app, or when neither --app nor $HANGAR_APP is set but $HANGAR_ORG is;
 * else `app` (flyctl's default).
 *
 * @param appWhere, orgWhere where `app` and `org` came from (the flag, or its variable)
 */
export function chooseScope(
  scope: ListScope | undefined,
  app: string | undefined,
  org: string | undefined,
  appWhere: FlagSource = '--app',
  orgWhere: FlagSource = '--org',
): ListScope {
  if (scope !== undefined) return scope;
  const typedApp = appWhere === '--app' && Boolean(app?.trim());
  const typedOrg = orgWhere === '--org' && Boolean(org?.trim());
  if (typedOrg && !typedApp) return 'org';
  if (!app?.trim() && org?.trim()) return 'org';
  return 'app';
}
