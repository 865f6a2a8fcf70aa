import type { CreatedToken } from '@hangar/sdk';
import { Args, Flags } from '@oclif/core';
import { HangarCommand } from '../../base-command.js';
import { NOT_FROM_STDIN } from '../../lib/args.js';
import { configPath, writeConfig } from '../../lib/config-store.js';
import { UsageError } from '../../lib/errors.js';
import { durationFlag } from '../../lib/flags.js';
import { parseGrace } from '../../lib/grace.js';
import { commandKey, idempotencyKeyRotateFlag } from '../../lib/idempotency.js';
import { lostRotated } from '../../lib/lost-token.js';
import { printError, printLine } from '../../lib/output.js';
import { tokenIdArgument } from '../../lib/token-arg.js';
import { idOfToken } from '../../lib/token-id.js';

export default class TokensRotate extends HangarCommand {
  static override summary = 'Rotate a token: a new secret with the same kind, name and scope.';
  static override description =
    `Prints exactly one line, the new token (as "tokens create" does); keep it secret, it is shown only once. The old token keeps working for --grace (default 0s: refused at once, at most 168h), then is refused as rotated, together with every token attenuated from it. Using the old token after that never revokes the new one.

By default the new token lives as long as the old one did from its creation, shortened to the remaining life of the token you rotate it with; --expiry sets it. Whoever may revoke a token may rotate it.

--current rotates the token in use (a CI token rotating itself): the new token cannot outlive it, so by default it keeps its expiry, and -x can only shorten it. If that token came from the config file, the new token replaces it there.`;
  static override examples = [
    {
      description: 'Rotate a deploy token; the old one works one more hour',
      command:
        '<%= config.bin %> <%= command.id %> tok_3f9a0c1d2e4b5a697788990011223344 --grace 1h',
    },
    {
      description: 'A CI token rotating itself',
      command: 'NEW_TOKEN=$(<%= config.bin %> <%= command.id %> --current --grace 10m)',
    },
  ];
  static override usage = [
    'tokens rotate ID [--grace DURATION] [-x DURATION] [--idempotency-key KEY] [-j]',
    'tokens rotate --current [--grace DURATION] [-x DURATION] [--idempotency-key KEY] [-j]',
  ];
  static override args = {
    id: Args.string({
      ...NOT_FROM_STDIN,
      description: 'Token id (tok_...), as "tokens list" shows it.',
    }),
  };
  static override flags = {
    current: Flags.boolean({ summary: 'Rotate the token in use instead of an id.' }),
    grace: Flags.custom<number>({
      summary:
        'How long the old token keeps working: whole seconds such as 30s, 10m or 1h (max 168h).',
      helpValue: 'DURATION',
      parse: parseGrace,
    })(),
    expiry: durationFlag({
      summary: 'How long the new token lives: a Go duration such as 720h, 30d or 1h30m.',
      description:
        'Default: as long as the old token lived from its creation, shortened to the remaining life of the token you rotate it with. An explicit --expiry that outlives that token is refused (so with --current, -x can only shorten it).',
    }),
    'idempotency-key': idempotencyKeyRotateFlag,
  };

  async run(): Promise<unknown> {
    const { args, flags } = await this.parse(TokensRotate);
    const options = { gracePeriod: flags.grace, expiresIn: flags.expiry?.seconds };
    let created: CreatedToken;
    let stored = false;
    if (flags.current) {
      if (args.id !== undefined) throw new UsageError('Pass a token id or --current, not both.');
      const resolved = await this.resolveToken();
      created = await (await this.keyedClient(flags['idempotency-key'])).tokens.rotateCurrent(
        options,
      );
      // From here on the new token is the one in use: with --grace 0s the old one is refused.
      // The new token's created_at is the server's time of the rotation.
      this.useToken(created.token, created.expires_at, Date.parse(created.created_at));
      if (resolved.source === 'config') {
        const config = await this.readConfig();
        // If the stored token is the one `auth login` minted, its successor takes its place there:
        // `auth logout` must revoke the new token, not leave a long-lived personal token valid.
        const wasLogin =
          config.login_token_id !== undefined &&
          config.login_token_id === (await idOfToken(resolved.token));
        await writeConfig({
          ...config,
          access_token: created.token,
          login_token_id: wasLogin ? created.id : undefined,
        });
        stored = true;
      }
    } else {
      if (args.id === undefined) {
        throw new UsageError(
          'No token id given: pass one (see "hangar tokens list"), or --current for the token in use.',
        );
      }
      const id = await tokenIdArgument(args.id, 'tokens rotate');
      created = await (await this.keyedClient(flags['idempotency-key'])).tokens.rotate(id, options);
    }
    // Stored in the config file, the new token is not lost if standard output cannot take it.
    const result = stored
      ? await this.output(created, () => printLine(created.token))
      : await this.outputSecret(created, created.token, lostRotated(created.id, created.replaces));
    if (stored) printError(`Stored the new token in ${configPath()}.`);
    return result;
  }

  /**
   * The client, sending `key` (else a random one, chosen here so that an unanswered rotation's
   * error can name the key a safe rerun must repeat) as the `Idempotency-Key`.
   */
  private keyedClient(key: string | undefined) {
    return this.client({ idempotencyKey: commandKey(key) });
  }
}
