#!/usr/bin/env node
// Entry point of `hangar`. Kept tiny: oclif is imported only after the fast paths, and every
// error leaves as one line on stderr with exit code 0/1/2 (no stack trace unless DEBUG is set).

const argv = process.argv.slice(2);

/** Prints an error as one line and sets the exit code: 2 for usage errors, 1 otherwise. */
function fail(error) {
  const exit = typeof error?.oclif?.exit === 'number' ? error.oclif.exit : 1;
  if (error?.code === 'EEXIT' || error?.name === 'ExitError') {
    process.exitCode = exit;
    return;
  }
  if (process.env.DEBUG && error?.stack) process.stderr.write(`${error.stack}\n`);
  process.stderr.write(`Error: ${oneLine(error)}\n`);
  process.exitCode = exit;
}

const ESC = String.fromCharCode(27);
/** Removes colour codes (oclif colours some messages at a terminal). */
function stripAnsi(text) {
  return text
    .split(ESC)
    .map((part, i) => (i === 0 ? part : part.replace(/^\[[0-9;]*m/, '')))
    .join('');
}

/** Flattens oclif's multi-line parse messages into one line, without its "See more help" tail. */
function oneLine(error) {
  const text = String(error?.message ?? error ?? 'unknown error');
  const lines = text
    .split('\n')
    .map((l) => stripAnsi(l).trim())
    .filter((l) => l && !/^See more help with --help$/.test(l));
  const joined = lines.join(' ').replace(/:\s+/g, ': ').replace(/\s+/g, ' ');
  return error?.hangar ? joined : `${joined}${/--help/.test(text) ? ' (see --help)' : ''}`;
}

try {
  const { run, flush } = await import('@oclif/core');
  await run(argv, import.meta.url);
  await flush();
} catch (error) {
  fail(error);
}
