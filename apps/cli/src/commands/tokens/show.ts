import { Args } from '@oclif/core';
import { HangarCommand } from '../../base-command.js';
import { NOT_FROM_STDIN } from '../../lib/args.js';
import { printFields } from '../../lib/output.js';
import { fieldsOf } from '../../lib/resource-view.js';
import { tokenIdArgument } from '../../lib/token-arg.js';
import { tokenFields } from '../../lib/token-view.js';

export default class TokensShow extends HangarCommand {
  static override summary = "Show one token's metadata (never its secret).";
  static override description =
    'Prints the fields "tokens list" shows, and how rotation links the token to others: when a rotated token is refused (Rotated at, the end of its grace period; "Stops working at" and status rotating while it is still in it), the token that replaced it, and the one it replaced.';
  static override examples = [
    {
      description: 'Show a token',
      command: '<%= config.bin %> <%= command.id %> tok_3f9a0c1d2e4b5a697788990011223344',
    },
  ];
  static override args = {
    id: Args.string({
      ...NOT_FROM_STDIN,
      description: 'Token id (tok_...), as "tokens list" shows it.',
      required: true,
    }),
  };

  async run(): Promise<unknown> {
    const { args } = await this.parse(TokensShow);
    const id = await tokenIdArgument(args.id, 'tokens show');
    const token = await (await this.client()).tokens.get(id);
    return this.output(token, () => printFields(fieldsOf(token, tokenFields(token))));
  }
}
