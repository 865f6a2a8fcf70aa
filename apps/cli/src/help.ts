import { CommandHelp, Help } from '@oclif/core';

/**
 * The exit codes every hangar command uses (bin/run.js and the base command map errors to them;
 * package.json `oclif.exitCodes` sends oclif's own parse errors to 2).
 */
export const EXIT_CODES = [
  '0    Success.',
  '1    Failure: the API refused, the server was unreachable, or no token.',
  '2    Usage error: a missing or invalid argument or flag, found before',
  '     sending or refused by the API as invalid input (400 validation_failed,',
  '     or 422 idempotency_key_reused: rerun with a new --idempotency-key).',
  '130  Interrupted by Ctrl-C (SIGINT); with --json, after an "interrupted" error.',
  '143  Terminated by SIGTERM (timeout, kill, a CI runner cancelling the job);',
  '     with --json, after an "interrupted" error.',
].join('\n');

/** oclif's command help with an EXIT CODES section after the others. */
class HangarCommandHelp extends CommandHelp {
  protected override sections(): ReturnType<CommandHelp['sections']> {
    return [...super.sections(), { header: 'EXIT CODES', generate: () => EXIT_CODES }];
  }
}

/** oclif's Help (package.json `oclif.helpClass`), with {@link EXIT_CODES} on every command screen. */
export default class HangarHelp extends Help {
  protected override CommandHelpClass = HangarCommandHelp;
}
