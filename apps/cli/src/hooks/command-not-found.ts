import type { Hook } from '@oclif/core';
import { UsageError } from '../lib/errors.js';
import { suggestCommand } from '../lib/suggest.js';

/**
 * An unknown command. At a terminal, @oclif/plugin-not-found asks "Did you mean ...?" and runs
 * the answer; without one (a script, CI, `</dev/null`) it used to print no suggestion at all.
 * There, this prints one line with the suggestion and the help to read, and exits 2 (usage).
 */
const hook: Hook<'command_not_found'> = async function (options) {
  if (process.stdin.isTTY) {
    const { default: askAtTerminal } = await import('@oclif/plugin-not-found');
    return askAtTerminal.call(this, options);
  }
  const { config } = options;
  const spaced = (id: string) => id.replaceAll(':', ' ');
  const visible = config.commands.filter((c) => !c.hidden);
  const topics = config.topics.filter((t) => !t.hidden).map((t) => spaced(t.name));
  const known = [...visible.flatMap((c) => [c.id, ...c.aliases]).map(spaced), ...topics];
  const words = spaced(options.id).split(' ').filter(Boolean);
  const { command, topic } = suggestCommand(words, known, topics);
  const bin = config.bin;
  const help = topic
    ? `Run "${bin} ${topic} --help" for its commands.`
    : `Run "${bin} help" for a list of commands.`;
  const guess = command ? ` Did you mean "${command}"?` : '';
  throw new UsageError(`"${words.join(' ')}" is not a ${bin} command.${guess} ${help}`);
};

export default hook;
