import type { HangarApiError, HangarClient, Token } from '@hangar/sdk';
import { Args, Flags } from '@oclif/core';
import { HangarCommand } from '../../base-command.js';
import { mapApiError, neverSent } from '../../lib/api-errors.js';
import { NOT_FROM_STDIN } from '../../lib/args.js';
import { configPath, writeConfig } from '../../lib/config-store.js';
import { CliError, type ErrorJson, errorJson, UsageError } from '../../lib/errors.js';
import { commandKey, idempotencyKeyPerIdFlag, perIdKey } from '../../lib/idempotency.js';
import { printError, printJson, printLine } from '../../lib/output.js';
import { refuseTokenSecrets, TOKEN_ID } from '../../lib/token-id.js';

/** Outcome of revoking one id, also the `--json` output. */
interface RevokeResult {
  id: string;
  result: 'revoked' | 'already_revoked' | 'failed';
  token?: Token;
  /**
   * Why it failed, in the shape of every command's `--json` error (errorJson): the API problem
   * code, `invalid_id` when refused locally; `status` the HTTP status, null when nothing was
   * answered (refused locally, or the API could not be reached).
   */
  error?: ErrorJson['error'];
}

export default class TokensRevoke extends HangarCommand {
  static override summary = 'Revoke tokens by id.';
  static override description =
    `Prints one line per id (revoked, already revoked, or not found / not allowed) and a summary. Every id is tried even when one fails, unless the token in use is refused (401): that stops at the first id; and once the server cannot be reached at all (connection refused, no such host), the remaining ids are reported failed with that error without being tried. Exits 1 if any id could not be revoked; an id that was already revoked is not a failure. An argument that is not a token id (tok_ and 32 hex digits) is reported without a request (in --json, with error code invalid_id) and makes the command exit 2 (usage error), after the valid ids were revoked.

A whole token (hangar_...) is never sent: it is decoded offline to tell you its id, and the command stops with exit code 2. Revoking a token also revokes every token attenuated from it, from the next request on.

With --json, prints one object per id, {"id", "result": "revoked" | "already_revoked" | "failed", "token"?, "error"?}, where "error" has the fields of every command's --json error: {"code", "status", "message", "hint"} ("status" is null when nothing answered: an invalid id, or a server that could not be reached).

--current revokes the token in use; if that token came from the config file, it is forgotten there too.`;
  static override examples = [
    {
      description: 'Revoke two tokens',
      command:
        '<%= config.bin %> <%= command.id %> tok_3f9a0c1d2e4b5a697788990011223344 tok_0123456789abcdef0123456789abcdef',
    },
    {
      description: 'Revoke tokens, then list the ids that failed and why',
      command:
        '<%= config.bin %> <%= command.id %> tok_3f9a0c1d2e4b5a697788990011223344 tok_0123456789abcdef0123456789abcdef --json | jq -r \'.[] | select(.result == "failed") | "\\(.id): \\(.error.message)"\'',
    },
    {
      description: 'Revoke the token in use',
      command: '<%= config.bin %> <%= command.id %> --current',
    },
  ];
  static override strict = false;
  static override usage = ['tokens revoke ID... [-j]', 'tokens revoke --current [-j]'];
  static override args = {
    id: Args.string({
      ...NOT_FROM_STDIN,
      description: 'Token ids (tok_...), as "tokens list" shows them; one or more.',
    }),
  };
  static override flags = {
    current: Flags.boolean({ summary: 'Revoke the token in use instead of ids.' }),
    'idempotency-key': idempotencyKeyPerIdFlag,
  };

  async run(): Promise<unknown> {
    const { argv, flags } = await this.parse(TokensRevoke);
    const ids = (argv as string[]).map((id) => id.trim()).filter(Boolean);
    if (flags.current) {
      if (ids.length > 0) throw new UsageError('Pass token ids or --current, not both.');
      return this.revokeCurrent(commandKey(flags['idempotency-key']));
    }
    if (ids.length === 0) {
      throw new UsageError(
        'No token ids given: pass one or more ids (see "hangar tokens list"), or --current.',
      );
    }
    await refuseTokenSecrets(ids);
    const { HangarApiError } = await import('@hangar/sdk');
    let hangar: HangarClient | undefined;
    // Chosen here when not given, so that an id left in doubt (no answer) can be retried safely:
    // the error names the key, and a rerun with it sends each id its same key (perIdKey).
    const key = commandKey(flags['idempotency-key']);
    const results: RevokeResult[] = [];
    // Set once the server could not be reached at all (refused, no such host): the ids after it
    // are reported with that failure, not tried, each with its retries, against a server that
    // is not there. A connection that failed after sending still lets the next ids be tried.
    let unreachable: RevokeResult['error'] | undefined;
    for (const id of ids) {
      if (unreachable && TOKEN_ID.test(id)) {
        results.push({ id, result: 'failed', error: unreachable });
        if (!this.json) printLine(`${id}: not tried (the server could not be reached)`);
        continue;
      }
      if (!TOKEN_ID.test(id)) {
        const detail = `not a token id (ids look like tok_ and 32 hex digits; see "hangar tokens list")`;
        const refused = new CliError(detail, 2, {
          code: 'invalid_id',
          summary: 'Not a token id',
          hint: 'ids look like tok_ and 32 hex digits; see "hangar tokens list"',
        });
        results.push({ id, result: 'failed', error: errorJson(refused).error });
        if (!this.json) printLine(`${id}: ${detail}`);
        continue;
      }
      try {
        hangar ??= await this.client({ idempotencyKey: key });
        const keyed =
          ids.length > 1 ? hangar.withOptions({ idempotencyKey: perIdKey(key, id) }) : hangar;
        const token = await keyed.tokens.revoke(id);
        results.push({ id, result: 'revoked', token });
        if (!this.json) printLine(`${id}: revoked`);
      } catch (error) {
        // An API answer about this id (404, 403, 409, 422, 5xx), or no answer (network_error,
        // timeout): reported for this id and the others still tried (but not against a server
        // that could not be reached at all: `unreachable`), so the list says which ids were
        // revoked before it. A 401 (the token in use is refused: expired, revoked,
        // malformed) concerns every id and stops the command.
        if (!(error instanceof HangarApiError) || error.status === 401) throw error;
        const failed = error.code !== 'token_already_revoked';
        const failure = await this.errorFor(error, key);
        if (neverSent(error)) unreachable = failure;
        results.push({ id, result: failed ? 'failed' : 'already_revoked', error: failure });
        // No answer: the revocation may have been applied; the hint names the key to rerun with.
        const hint = failure.status === null && failure.hint ? ` Hint: ${failure.hint}.` : '';
        if (!this.json) printLine(`${id}: ${describeFailure(error)}${hint}`);
      }
    }
    const failures = results.filter((r) => r.result === 'failed').length;
    const revoked = results.filter((r) => r.result === 'revoked').length;
    const already = results.length - failures - revoked;
    // Failing, the command throws, so it prints its result list itself before the error.
    if (this.json && failures > 0) printJson(results);
    const summary = `${revoked} revoked, ${already} already revoked, ${failures} failed (of ${results.length}).`;
    const invalid = results.filter((r) => r.error?.code === 'invalid_id').length;
    if (failures > 0) {
      // A malformed id is a usage mistake (exit 2) even when the valid ids went through.
      throw new CliError(
        `Could not revoke ${failures} of ${results.length} tokens (${revoked} revoked, ${already} already revoked).`,
        invalid > 0 ? 2 : 1,
        { jsonPrinted: this.json },
      );
    }
    if (this.json) printError(summary);
    else printLine(summary);
    return results;
  }

  /**
   * One id's failure as the base command prints any failure (mapApiError, then errorJson): the
   * same hint, and a status of null when nothing answered. The hint reads the token's scope
   * offline, never with another request.
   */
  private async errorFor(error: HangarApiError, key: string): Promise<ErrorJson['error']> {
    const mapped = await mapApiError(error, {
      apiUrl: await this.apiUrl(),
      idempotencyKey: key,
      token: (await this.resolveToken()).token,
      commandId: this.id,
    });
    return errorJson(mapped).error;
  }

  private async revokeCurrent(idempotencyKey: string): Promise<Token> {
    const resolved = await this.resolveToken();
    const hangar = await this.client({ idempotencyKey });
    const token = await hangar.tokens.revokeCurrent();
    let forgotten = false;
    if (resolved.source === 'config') {
      const config = await this.readConfig();
      await writeConfig({ ...config, access_token: undefined, login_token_id: undefined });
      forgotten = true;
    }
    return this.output(token, () => {
      printLine(`${token.id}: revoked (the token in use)`);
      if (forgotten)
        printLine(`Removed it from ${configPath()}; log in again with "hangar auth login".`);
    });
  }
}

function describeFailure(error: HangarApiError): string {
  switch (error.code) {
    case 'token_already_revoked':
      return 'already revoked';
    case 'not_found':
      return 'not found, or not visible to this token';
    case 'forbidden':
      return `not allowed (${error.detail || 'forbidden'})`;
    default:
      return `failed (${error.detail || error.code})`;
  }
}
