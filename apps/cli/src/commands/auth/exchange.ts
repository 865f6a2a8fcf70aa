import type { TokenExchangeErrorUri } from '@hangar/sdk';
import { Flags } from '@oclif/core';
import { HangarCommand } from '../../base-command.js';
import { apiErrorLine } from '../../lib/api-errors.js';
import { CliError, UsageError } from '../../lib/errors.js';
import { appFlag, optionalApp, orgFlag, resolveOrg } from '../../lib/flags.js';
import { printLine } from '../../lib/output.js';
import { looksLikeJwt } from '../../lib/redact.js';
import { readInputFile, readStdin } from '../../lib/stdin.js';

/**
 * The ID token GitHub Actions issues to this job for `audience`: GET
 * `$ACTIONS_ID_TOKEN_REQUEST_URL&audience=AUD` with `Authorization: bearer
 * $ACTIONS_ID_TOKEN_REQUEST_TOKEN`, answered `{ value }` (GitHub's documented OIDC token request;
 * the job needs `permissions: id-token: write`). Neither secret is ever printed.
 * @throws CliError when the request fails or the answer has no `value`.
 */
async function githubActionsIdToken(url: string, bearer: string, audience?: string) {
  const target = new URL(url);
  if (audience) target.searchParams.set('audience', audience);
  let answer: Response;
  try {
    answer = await fetch(target, {
      headers: { authorization: `bearer ${bearer}`, accept: 'application/json' },
      signal: AbortSignal.timeout(30_000),
    });
  } catch (error) {
    throw new CliError(
      `Could not get an ID token from GitHub Actions: ${(error as Error).message}`,
    );
  }
  const body = (await answer.json().catch(() => undefined)) as { value?: unknown } | undefined;
  if (!answer.ok || typeof body?.value !== 'string') {
    throw new CliError(
      `GitHub Actions did not give an ID token (HTTP ${answer.status}); does the job have "permissions: id-token: write"?`,
    );
  }
  return body.value;
}

/** What to say when the ID token read from `file` ("-": standard input; none: GitHub) is empty. */
function emptyIdToken(file: string | undefined): string {
  if (file === '-') {
    return 'The ID token from standard input is empty: pipe one in (--id-token - < FILE), or pass a file holding one (--id-token FILE).';
  }
  if (file)
    return 'The --id-token file is empty: pass a file holding the ID token, or - to pipe it in.';
  return 'GitHub Actions answered an empty ID token; does the job have "permissions: id-token: write"?';
}

/**
 * The contract's `error_uri` (exchangeToken's `OAuthError`) for an ID token already used in an
 * exchange: each is exchanged once. The hint keys on it, never on the description's wording.
 */
const ALREADY_USED: TokenExchangeErrorUri = 'https://hangar.dev/problems/id_token_already_used';

export default class AuthExchange extends HangarCommand {
  static override summary = "Exchange a CI system's OIDC ID token for a short-lived token.";
  static override description =
    `Under the organization's trust policies ("hangar trust-policies"), the ID token is exchanged for a token with exactly the matching policy's grant (RFC 8693). Prints the token on one line (it is a secret: pipe it, as into HANGAR_API_TOKEN), or with --json the whole answer.

The ID token comes from --id-token FILE (or - for standard input); without it, inside GitHub Actions (ACTIONS_ID_TOKEN_REQUEST_URL and ACTIONS_ID_TOKEN_REQUEST_TOKEN set, with "permissions: id-token: write"), the command asks GitHub for one for --audience. No stored Hangar token is needed.`;
  static override examples = [
    // Two lines, in oclif's plain-text example form (the object form would join them with " \\"):
    // `export VAR="$(...)"` hides a failed exchange from `set -e` (ShellCheck SC2155).
    [
      'In a GitHub Actions job: deploy acme-web with no stored secret (two lines, so that "set -e" stops on a failed exchange):',
      '    token="$(<%= config.bin %> <%= command.id %> -o acme -a acme-web --audience https://hangar.dev)"',
      '    export HANGAR_API_TOKEN="$token"',
    ].join('\n'),
    {
      description: 'An ID token from a file',
      command: '<%= config.bin %> <%= command.id %> -o acme --id-token id-token.jwt',
    },
  ];
  // No --idempotency-key: a rerun in CI fetches a fresh ID token, which a replayed key would not
  // match (422), and an exchanged token whose answer was lost expires within the hour (the trust
  // policy's expires_in, at most 3600 s). The SDK still keys each call, so its retries are safe.
  static override flags = {
    org: orgFlag,
    app: appFlag,
    'id-token': Flags.string({
      summary: 'File holding the OIDC ID token, or - for standard input.',
      helpValue: 'FILE|-',
    }),
    audience: Flags.string({
      summary: "The audience to ask GitHub Actions for (the trust policy's audience).",
      helpValue: 'AUD',
    }),
  };

  async run(): Promise<unknown> {
    const { flags } = await this.parse(AuthExchange);
    const org = resolveOrg(undefined, flags.org, this.flagSource('org'));
    const app = optionalApp(flags.app, this.flagSource('app'));
    const idToken = (await this.idToken(flags['id-token'], flags.audience)).trim();
    if (!idToken) throw new UsageError(emptyIdToken(flags['id-token']));
    const hangar = await this.client({ auth: false });
    const { TokenExchangeError } = await import('@hangar/sdk');
    try {
      const answer = await hangar.auth.exchange(idToken, { org, app });
      return this.output(answer, () => printLine(answer.access_token));
    } catch (error) {
      if (!(error instanceof TokenExchangeError)) throw error;
      // `code` in --json is the API's code (the CLI README): here the OAuth error (RFC 6749
      // section 5.2), so a script can tell invalid_grant from unauthorized_client. The line ends
      // as every API error's does: status, code and the server's request id.
      throw apiErrorLine({
        message: `The exchange was refused (${error.error}): ${error.description}`,
        code: error.error,
        status: error.status,
        requestId: error.requestId,
        hint:
          error.errorUri === ALREADY_USED
            ? 'an ID token is exchanged only once; request a fresh ID token from your CI system (in GitHub Actions, run "hangar auth exchange" again without --id-token) and exchange that'
            : undefined,
      });
    }
  }

  /**
   * The ID token: from --id-token (a file, or - for stdin), else from GitHub Actions. The flag's
   * value is never echoed: it may be the ID token itself (a live credential) pasted in place of
   * a file name, which would land in CI logs.
   * @throws UsageError (exit 2) when the value is a JWT, or the file cannot be read or holds
   *   more than 64 KiB (stdin.ts, MAX_INPUT_BYTES)
   */
  private async idToken(file: string | undefined, audience: string | undefined): Promise<string> {
    if (file === '-') return readStdin();
    if (file && looksLikeJwt(file)) {
      throw new UsageError(
        '--id-token takes a file name, and this value looks like the ID token itself (a JWT): pass the token on standard input (--id-token -) or in a file (--id-token FILE), never as an argument, where it shows in process lists and logs. Nothing was sent.',
      );
    }
    if (file) {
      try {
        return await readInputFile(file, 'The --id-token file');
      } catch (error) {
        if (error instanceof UsageError) throw error;
        throw new UsageError(
          `Cannot read the --id-token file (${(error as NodeJS.ErrnoException).code ?? 'error'}): pass a file holding the ID token, or - for standard input.`,
        );
      }
    }
    const url = process.env.ACTIONS_ID_TOKEN_REQUEST_URL;
    const bearer = process.env.ACTIONS_ID_TOKEN_REQUEST_TOKEN;
    if (url && bearer) return githubActionsIdToken(url, bearer, audience);
    throw new UsageError(
      'No ID token: pass --id-token FILE (or - for standard input), or run inside GitHub Actions with "permissions: id-token: write".',
    );
  }
}
