import { Args } from '@oclif/core';
import { HangarCommand } from '../../base-command.js';
import { NOT_FROM_STDIN } from '../../lib/args.js';
import { printFields, printLine, relativeTime } from '../../lib/output.js';
import { checkTokenFormat, readTokenFromStdin } from '../../lib/token-source.js';
import { caveatJson, scopeJson } from '../../lib/token-view.js';

export default class TokensInspect extends HangarCommand {
  static override summary = 'Show what a token may do, offline.';
  static override description =
    `Decodes a token without a key and without a request: its identifier (the id "tokens revoke" takes), its caveats in words and its expiry. The signature is never shown. Whether the server still accepts the token (revoked? signed by it?) only the server can say: use "hangar auth whoami".

Without an argument, inspects the token in use; "-" reads the token from standard input.

With --json: {"identifier", "location", "caveats", "expires_at", "scope"}, in the API's names and RFC 3339 times: a caveat is {"type": "org", "org"}, {"type": "apps", "apps": {APP_ID: [actions]}}, {"type": "actions", "actions"}, {"type": "not-after", "not_after"} or {"type": "unknown", "text"}; "scope" is the API's Scope ("auth whoami --json"), {"org", "apps", "actions", "expires_at"}, naming the organization and apps by id (offline, there are no names).`;
  static override examples = [
    { description: 'The token in use', command: '<%= config.bin %> <%= command.id %>' },
    {
      description: 'A token from a file, as JSON',
      command: '<%= config.bin %> <%= command.id %> - --json < token.txt',
    },
  ];
  static override args = {
    token: Args.string({
      ...NOT_FROM_STDIN,
      description: 'Token to inspect ("-" for standard input; default: the token in use).',
    }),
  };

  async run(): Promise<unknown> {
    const { args } = await this.parse(TokensInspect);
    const token = await this.pickToken(args.token);
    const { describeCaveat, inspect } = await import('@hangar/tokens');
    const info = inspect(token);
    const json = {
      identifier: info.identifier,
      location: info.location,
      caveats: info.caveats.map(caveatJson),
      expires_at: info.expiresAt,
      scope: scopeJson(info.scope),
    };
    return this.output(json, () => {
      const expires = info.expiresAt
        ? `${info.expiresAt} (${relativeTime(info.expiresAt)})`
        : 'never (no not-after caveat)';
      printFields([
        ['Identifier', info.identifier],
        ['Location', info.location || '-'],
        ['Expires', expires],
      ]);
      printLine('Caveats:');
      if (info.caveats.length === 0) printLine('  none: the full power of the user who owns it');
      for (const caveat of info.caveats) printLine(`  - ${describeCaveat(caveat)}`);
    });
  }

  private async pickToken(arg: string | undefined): Promise<string> {
    if (arg === undefined) return (await this.resolveToken()).token;
    if (arg === '-') return readTokenFromStdin();
    return checkTokenFormat(arg, 'the argument', 2);
  }
}
