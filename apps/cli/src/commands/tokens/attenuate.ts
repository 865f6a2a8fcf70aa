import type { Action, Caveat } from '@hangar/tokens';
import { Flags } from '@oclif/core';
import { HangarCommand } from '../../base-command.js';
import { UsageError } from '../../lib/errors.js';
import { parseExpiryFlag } from '../../lib/flags.js';

export default class TokensAttenuate extends HangarCommand {
  static override summary = 'Narrow the current token offline and print the new token.';
  static override description =
    `Adds caveats to the token in use (macaroon attenuation) without asking the server to mint anything: the new token can only do less than the original, never more, and revoking the original revokes it too.

Caveats name apps by id. --app-id takes ids and works fully offline; --app takes app names and makes one read request per name (getApp) to learn their ids. --read-only limits every action to read; --expiry adds a not-after time.`;
  static override examples = [
    {
      description: 'A read-only copy of the current token that expires in an hour',
      command: '<%= config.bin %> <%= command.id %> --read-only -x 1h',
    },
    {
      description: 'Restrict to one app by id, offline',
      command: '<%= config.bin %> <%= command.id %> --app-id app_01HZY3',
    },
    {
      description: 'Restrict to one app by name (one API call)',
      command: '<%= config.bin %> <%= command.id %> --app acme-web',
    },
  ];
  static override flags = {
    app: Flags.string({
      char: 'a',
      summary: 'Restrict to this app, by name (looked up with one API call). Repeatable.',
      multiple: true,
      helpValue: 'APP',
    }),
    'app-id': Flags.string({
      summary: 'Restrict to this app, by id (offline). Repeatable.',
      multiple: true,
      helpValue: 'ID',
    }),
    'read-only': Flags.boolean({ summary: 'Allow only read actions.' }),
    expiry: Flags.string({
      char: 'x',
      summary: 'Expire after this Go duration (e.g. 1h, 30d), at the latest.',
      helpValue: 'DURATION',
    }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(TokensAttenuate);
    const names = flags.app ?? [];
    const appIds = [...(flags['app-id'] ?? [])];
    if (
      names.length === 0 &&
      appIds.length === 0 &&
      !flags['read-only'] &&
      flags.expiry === undefined
    ) {
      throw new UsageError('Nothing to narrow: pass --app, --app-id, --read-only and/or --expiry.');
    }
    const expiresIn = flags.expiry === undefined ? undefined : await parseExpiryFlag(flags.expiry);
    const { token } = await this.resolveToken();
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
    if (expiresIn !== undefined) {
      caveats.push({ type: 'not-after', notAfter: Math.floor(Date.now() / 1000) + expiresIn });
    }
    let narrowed: string;
    try {
      narrowed = attenuate(token, caveats);
    } catch (error) {
      throw new UsageError(`Cannot attenuate: ${(error as Error).message}`);
    }
    await this.outputAttenuated(narrowed);
  }
}
