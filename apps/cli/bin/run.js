#!/usr/bin/env node
// Entry point of `hangar`. Kept tiny: oclif is imported only after the fast paths, and every
// error leaves as one line on stderr with exit code 0/1/2 (no stack trace unless DEBUG is set).

const argv = process.argv.slice(2);

/**
 * What happens when standard output cannot be written. A reader that went away (EPIPE:
 * `hangar tokens list | head -1`) ends the run quietly with the exit code so far, as `git log |
 * head` does; any other failure (ENOSPC on a full disk, EIO) is one line on stderr and exit 1.
 * Without this, oclif's own listener rethrows the error from the stream's 'error' event, which
 * Node prints as a stack trace, and an ignored EPIPE left the run waiting on a write that never
 * completes. Installed once per process (tests import this file again for each run), ahead of
 * oclif's listener.
 */
function onStdoutError(error) {
  if (error?.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  process.stderr.write(
    `Error: cannot write to standard output: ${error?.message ?? error?.code ?? 'unknown error'}\n`,
  );
  process.exit(1);
}
const STDOUT_GUARD = Symbol.for('hangar.stdout-error-guard');
if (!process.stdout[STDOUT_GUARD]) {
  process.stdout[STDOUT_GUARD] = true;
  process.stdout.prependListener('error', onStdoutError);
}

/**
 * What happens when standard error cannot be written: the diagnostics are lost, but the run goes
 * on, so the command's output still reaches stdout (ending at once would drop it, and with it the
 * only copy of a token just minted; before this, the unhandled 'error' event ended the run with
 * exit 1 and an unprintable stack trace). A reader that went away (EPIPE: `2>&1 | head` after
 * stdout is also gone, or `2> >(head -1)`) is quiet and leaves the exit code alone, as for
 * stdout; any other failure (ENOSPC, EIO) turns a successful exit into 1, as the only way left
 * to say that something was not written. Installed once per process, like the stdout guard.
 */
let stderrFailed = false;
function onStderrError(error) {
  if (error?.code !== 'EPIPE') stderrFailed = true;
}
const STDERR_GUARD = Symbol.for('hangar.stderr-error-guard');
if (!process.stderr[STDERR_GUARD]) {
  process.stderr[STDERR_GUARD] = true;
  process.stderr.on('error', onStderrError);
  process.on('exit', (code) => {
    if (stderrFailed && code === 0) process.exitCode = 1;
  });
}

/**
 * Prints an error as one line, with any token string in it redacted (a token pasted where a name
 * belongs is echoed by the message), and sets the exit code: 2 for usage errors, 1 otherwise.
 */
async function fail(error) {
  let exit = typeof error?.oclif?.exit === 'number' ? error.oclif.exit : 1;
  // plugin-not-found exits 127 (shell style) for an unknown command; for us that is usage: 2.
  if (exit === 127) exit = 2;
  if (error?.code === 'EEXIT' || error?.name === 'ExitError') {
    process.exitCode = exit;
    return;
  }
  if (process.env.DEBUG && error?.stack) process.stderr.write(`${error.stack}\n`);
  const { redactTokens } = await import('../dist/lib/redact.js');
  // The same one-line rule as `--json`'s message (src/lib/errors.ts), so both say the same.
  const { oneLine } = await import('../dist/lib/errors.js');
  const text = String(error?.message ?? error ?? 'unknown error');
  const line = error?.hangar
    ? oneLine(text)
    : `${oneLine(text)}${/--help/.test(text) ? ' (see --help)' : ''}`;
  process.stderr.write(`Error: ${redactTokens(line)}\n`);
  process.exitCode = exit;
}

/**
 * Start-up fast paths that answer without loading oclif (which alone costs ~2x `node -e 0`):
 * `--version` (oclif's user-agent line) and help screens pre-rendered at build time by oclif's
 * own Help class (scripts/help-cache.mjs). Anything else, or any doubt, goes to oclif.
 */
async function fastPath() {
  const { readFileSync } = await import('node:fs');
  if (argv[0] === '--version') {
    const pjson = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
    process.stdout.write(
      `${pjson.name}/${pjson.version} ${process.platform}-${process.arch} node-${process.version}\n`,
    );
    return true;
  }
  const isHelpFlag = (a) => a === '--help' || a === '-h'; // -h: oclif.additionalHelpFlags
  const words = argv[0] === 'help' ? argv.slice(1) : argv.filter((a) => !isHelpFlag(a));
  const asksHelp = argv.length === 0 || argv[0] === 'help' || argv.some(isHelpFlag);
  if (!asksHelp || words.some((w) => w.startsWith('-'))) return false;
  const columns = Number.parseInt(process.env.OCLIF_COLUMNS ?? '', 10);
  const width = columns || (process.stdout.isTTY ? process.stdout.columns || 80 : 80);
  if (width < 80 || process.env.HANGAR_DISABLE_HELP_CACHE) return false;
  let cache;
  try {
    cache = JSON.parse(readFileSync(new URL('../dist/help-cache.json', import.meta.url), 'utf8'));
  } catch {
    return false;
  }
  const color = wantsColor(readFileSync);
  if (color === undefined) return false;
  const screen = (color ? cache.color : cache.plain)?.[words.join(' ')];
  if (typeof screen !== 'string') return false;
  process.stdout.write(screen);
  return true;
}

/**
 * Mirrors ansis' colour detection. Undefined when a user theme (theme.json in oclif's config
 * directory) may restyle the help: then oclif renders it.
 */
function wantsColor(readFileSync) {
  const env = process.env;
  if (
    env.NO_COLOR ||
    env.TERM === 'dumb' ||
    env.FORCE_COLOR === '0' ||
    env.FORCE_COLOR === 'false'
  ) {
    return false;
  }
  if (env.FORCE_COLOR) return true;
  if (!process.stdout.isTTY) return false;
  const home = env.HOME ?? '';
  const dir = env.HANGAR_CONFIG_DIR || `${env.XDG_CONFIG_HOME || `${home}/.config`}/hangar`;
  try {
    readFileSync(`${dir}/theme.json`);
    return undefined;
  } catch {
    return true;
  }
}

try {
  // A fast path's answer is written: the run ends when Node has nothing left to do, so that a
  // failed write still reaches onStdoutError (process.exit here would end it first, exit 0).
  if (!(await fastPath())) {
    // oclif, the commands and the SDK in one bundle (scripts/bundle.mjs): far fewer files to load.
    // start: oclif's run, given the package root (src/start.ts: no core plugins for a command).
    const { start, flush } = await import('../dist/bundle/cli.js');
    const [{ dirname }, { fileURLToPath }] = await Promise.all([
      import('node:path'),
      import('node:url'),
    ]);
    await start(argv, dirname(dirname(fileURLToPath(import.meta.url))));
    await flush();
  }
} catch (error) {
  await fail(error);
}
