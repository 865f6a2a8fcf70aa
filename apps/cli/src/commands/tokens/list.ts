import type { Token, TokenIterateOptions, TokenStatus } from '@hangar/sdk';
import { Flags } from '@oclif/core';
import { HangarCommand } from '../../base-command.js';
import { UsageError } from '../../lib/errors.js';
import { appFlag, type FlagSource, optionalApp, optionalOrg, orgFlag } from '../../lib/flags.js';
import { printTable } from '../../lib/output.js';
import { TOKEN_COLUMNS } from '../../lib/token-view.js';

const SCOPES = ['app', 'org', 'personal'] as const;
/** The contract's TokenStatus values, the `--status` filter (sent as the lists' `status`). */
const STATUSES = ['active', 'revoked', 'expired', 'rotated'] as const satisfies TokenStatus[];
type ListScope = (typeof SCOPES)[number];

export default class TokensList extends HangarCommand {
  static override aliases = ['tokens ls'];
  static override summary =
    "List an app's deploy tokens, an organization's tokens, or your personal tokens.";
  static override description =
    `Scope "app" (the default) lists the deploy tokens of --app; scope "org" lists the org and read-only tokens of --org; scope "personal" lists your personal tokens (one per "hangar auth login"; needs a personal token). Giving --org alone means org scope. Revoked, expired and rotated tokens are listed too, newest first. STATUS says rotating for a rotated token still in its grace period (the API's status active, which --status active matches); --status shows only one status (the server filters). Every page is fetched, up to --limit tokens.`;
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
    {
      description: 'Your personal tokens that still work',
      command: '<%= config.bin %> <%= command.id %> -s personal --status active',
    },
  ];
  static override flags = {
    app: appFlag,
    org: orgFlag,
    scope: Flags.option({
      char: 's',
      summary:
        'Which tokens: "app" (deploy tokens of --app, the default), "org" (tokens of --org) or "personal" (yours).',
      options: SCOPES,
    })(),
    status: Flags.option({
      summary: 'Only tokens with this status.',
      options: STATUSES,
    })(),
    limit: Flags.integer({
      summary: 'Show at most this many tokens (newest first); default: all.',
      min: 1,
      helpValue: 'N',
    }),
  };

  async run(): Promise<unknown> {
    const { flags } = await this.parse(TokensList);
    const appWhere = this.flagSource('app');
    const orgWhere = this.flagSource('org');
    const scope = chooseScope(flags.scope, flags.app, flags.org, appWhere, orgWhere);
    const limit = flags.limit ?? Number.POSITIVE_INFINITY;
    // Pages of at most 100 (the contract's maximum), no bigger than needed for --limit.
    const options: TokenIterateOptions = { limit: Math.min(100, limit) };
    if (flags.status) options.status = flags.status;
    let pages: AsyncIterable<Token>;
    if (scope === 'personal') {
      pages = (await this.client()).tokens.iteratePersonal(options);
    } else if (scope === 'org') {
      const org = optionalOrg(undefined, flags.org, orgWhere);
      if (!org)
        throw new UsageError(
          'Scope "org" needs an organization: pass --org ORG or set HANGAR_ORG.',
        );
      pages = (await this.client()).tokens.iterateOrg(org, options);
    } else {
      const app = optionalApp(flags.app, appWhere);
      if (!app) {
        // Never suggest what was already given: with an org, the other way is --scope org.
        const org = optionalOrg(undefined, flags.org, orgWhere);
        const orgTokens = org
          ? `--scope org to list the tokens of organization ${org}`
          : '--org ORG to list org tokens';
        throw new UsageError(
          `Scope "app" needs an app: pass --app APP or set HANGAR_APP (or pass ${orgTokens}).`,
        );
      }
      pages = (await this.client()).tokens.iterateApp(app, options);
    }
    const tokens: Token[] = [];
    for await (const token of pages) {
      tokens.push(token);
      if (tokens.length >= limit) break;
    }
    const empty = flags.status ? `No ${flags.status} tokens.` : 'No tokens.';
    return this.output(tokens, () => printTable(tokens, TOKEN_COLUMNS, empty));
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
