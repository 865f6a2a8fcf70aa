import type { Hook } from '@oclif/core';
import { errorJson, printableError, UsageError } from '../lib/errors.js';
import { printJson } from '../lib/output.js';
import { suggestCommand } from '../lib/suggest.js';

/**
 * An unknown command. At a terminal, @oclif/plugin-not-found asks "Did you mean ...?" and runs
 * the answer; without one (a script, CI, `</dev/null`) it used to print no suggestion at all.
 * There, this prints one line with the suggestion and the help to read, and exits 2 (usage);
 * with `--json`/`-j` also the JSON error envelope on stdout, as every other failure
 * (HangarCommand.catch, which an unknown command never reaches).
 */
const hook: Hook<'command_not_found'> = async function (options) {
  if (process.stdin.isTTY) {
    const { default: askAtTerminal } = await import('@oclif/plugin-not-found');
    return askAtTerminal.call(this, options);
  }
  // The words come from the command line: shown, never interpreted by the terminal.
  const error = printableError(unknownCommand(options));
  const argv = options.argv ?? [];
  const end = argv.indexOf('--');
  const flags = end === -1 ? argv : argv.slice(0, end);
  if (flags.some((arg) => arg === '--json' || arg === '-j')) printJson(errorJson(error));
  throw error;
};

/** The usage error for an unknown command: what was meant, and the help to read. */
function unknownCommand(options: Parameters<Hook<'command_not_found'>>[0]): UsageError {
  const { config } = options;
  const spaced = (id: string) => id.replaceAll(':', ' ');
  const visible = config.commands.filter((c) => !c.hidden);
  const topics = config.topics.filter((t) => !t.hidden).map((t) => spaced(t.name));
  const known = [...visible.flatMap((c) => [c.id, ...c.aliases]).map(spaced), ...topics];
  const words = spaced(options.id).split(' ').filter(Boolean);
  const bin = config.bin;
  // oclif joins every leading word into the id, so a command given an argument it does not take
  // ("tokens create deploy acme-web") arrives here: name the argument, not a missing command.
  const commands = new Set(visible.flatMap((c) => [c.id, ...c.aliases]).map(spaced));
  for (let end = words.length - 1; end > 0; end--) {
    const prefix = words.slice(0, end).join(' ');
    if (!commands.has(prefix)) continue;
    const extra = words.slice(end).join(' ');
    return new UsageError(
      `"${bin} ${prefix}" takes no argument "${extra}". Run "${bin} ${prefix} --help" for its arguments and flags.`,
    );
  }
  const { command, topic } = suggestCommand(words, known, topics);
  const help = topic
    ? `Run "${bin} ${topic} --help" for its commands.`
    : `Run "${bin} help" for a list of commands.`;
  const guess = command ? ` Did you mean "${command}"?` : '';
  return new UsageError(`"${words.join(' ')}" is not a ${bin} command.${guess} ${help}`);
}

export default hook;
