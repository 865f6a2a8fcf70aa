import type { Action, Caveat } from '@hangar/tokens';
import { Flags } from '@oclif/core';
import { HangarCommand } from '../../base-command.js';
import { UsageError } from '../../lib/errors.js';
import { durationFlag } from '../../lib/flags.js';
import { checkName } from '../../lib/names.js';
import { notAfterCaveats } from '../../lib/offline-expiry.js';
import { printLine } from '../../lib/output.js';
import { attenuatedJson } from '../../lib/token-view.js';

/** An app id as the server issues them: `app_` and 16 lowercase hex digits. */
const APP_ID = /^app_[0-9a-f]{16}$/;

export default class TokensAttenuate extends HangarCommand {
  static override summary = 'Narrow the current token offline and print the new token.';
  static override description =
    `Adds caveats to the token in use (macaroon attenuation) without asking the server to mint anything: the new token can only do less than the original, never more, and revoking the original revokes it too.

Caveats name apps by id. --app-id takes ids and works fully offline; --app takes app names and makes one read request per name (getApp) to learn their ids. --read-only limits every action to read; --expiry adds a not-after time, which must not be later than the token's own expiry (attenuation can only shorten it).

With --json: {"token", "identifier", "caveats", "expires_at"}, every caveat of the new token as "tokens inspect --json" prints it (a not-after as {"type": "not-after", "not_after"}, RFC 3339).`;
  static override examples = [
    {
      description: 'A read-only copy of the current token that expires in an hour',
      command: '<%= config.bin %> <%= command.id %> --read-only -x 1h',
    },
    {
      description: 'Restrict to one app by id, offline',
      command: '<%= config.bin %> <%= command.id %> --app-id app_3f9a0c1d2e4b5a69',
    },
    {
      description: 'Restrict to one app by name (one API call)',
      command: '<%= config.bin %> <%= command.id %> --app acme-web',
    },
  ];
  static override flags = {
    app: Flags.custom<string>({
      parse: async (name) => checkName('app', name.trim(), '--app'),
    })({
      char: 'a',
      summary: 'Restrict to this app, by name (looked up with one API call). Repeatable.',
      multiple: true,
      helpValue: 'APP',
    }),
    'app-id': Flags.string({
      summary: 'Restrict to this app, by id (app_ and 16 hex digits; offline). Repeatable.',
      multiple: true,
      helpValue: 'ID',
    }),
    'read-only': Flags.boolean({ summary: 'Allow only read actions.' }),
    expiry: durationFlag({
      summary: 'Expire after this Go duration (e.g. 1h, 30d), at the latest.',
    }),
  };

  async run(): Promise<unknown> {
    const { flags } = await this.parse(TokensAttenuate);
    const names = [...(flags.app ?? [])];
    const appIds = [...(flags['app-id'] ?? [])];
    if (
      names.length === 0 &&
      appIds.length === 0 &&
      !flags['read-only'] &&
      flags.expiry === undefined
    ) {
      throw new UsageError('Nothing to narrow: pass --app, --app-id, --read-only and/or --expiry.');
    }
    const badIds = appIds.filter((id) => !APP_ID.test(id));
    if (badIds.length > 0) {
      throw new UsageError(
        `Invalid --app-id ${badIds.map((id) => JSON.stringify(id)).join(', ')}: app ids look like app_ and 16 hex digits (e.g. app_3f9a0c1d2e4b5a69; "hangar apps show APP" shows one), or pass the name with --app.`,
      );
    }
    const { token } = await this.resolveToken();
    const expiry = await notAfterCaveats(token, flags.expiry);
    if (names.length > 0) {
      const hangar = await this.client();
      for (const name of names) appIds.push((await hangar.apps.get(name)).id);
    }
    const { ACTIONS, attenuate } = await import('@hangar/tokens');
    const actions: Action[] = flags['read-only'] ? ['read'] : [...ACTIONS];
    const caveats: Caveat[] = [];
    if (appIds.length > 0) {
      caveats.push({ type: 'apps', apps: Object.fromEntries(appIds.map((id) => [id, actions])) });
    }
    if (flags['read-only']) caveats.push({ type: 'actions', actions: ['read'] });
    caveats.push(...expiry);
    let narrowed: string;
    try {
      narrowed = attenuate(token, caveats);
    } catch (error) {
      throw new UsageError(`Cannot attenuate: ${(error as Error).message}`);
    }
    return this.output(await attenuatedJson(narrowed), () => printLine(narrowed));
  }
}
