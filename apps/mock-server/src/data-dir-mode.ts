import { chmodSync, lstatSync, realpathSync, statSync } from 'node:fs';

const DIR_MODE = 0o700;

const octal = (mode: number) => mode.toString(8).padStart(4, '0');

/**
 * Tightens an existing data directory that group or others can access to 0700: its files are
 * 0600, but anyone who can write the directory can replace them (`admin.key`, `hangar.db`).
 * Only a directory the user owns, and never through a symbolic link (chmod would change what
 * the link points to), as the CLI does for its config directory (apps/cli config-store.ts).
 * @returns the warning to log (what was changed, or what the user should fix), or undefined
 *   when the directory is already private.
 * @throws Error when the directory cannot be read (the caller has checked it exists); a failed
 *   chmod is only reported.
 */
export function tightenDataDir(dir: string): string | undefined {
  const link = lstatSync(dir);
  const target = link.isSymbolicLink() ? statSync(dir) : link;
  const current = target.mode & 0o777;
  if ((current & 0o077) === 0) return undefined;
  if (link.isSymbolicLink()) {
    return `data directory ${dir} is a symbolic link to ${realpathSync(dir)}, which other users can access (mode ${octal(current)}); hangar-mock does not change modes through a link: run chmod ${octal(DIR_MODE).slice(1)} on the target yourself`;
  }
  if (process.getuid !== undefined && target.uid !== process.getuid()) {
    return `data directory ${dir} is accessible to other users (mode ${octal(current)}) and belongs to another user; hangar-mock leaves it so: use a directory of your own`;
  }
  try {
    chmodSync(dir, DIR_MODE);
  } catch (error) {
    // Best effort, like the rest of start-up's repairs: the server still runs, and says so.
    return `data directory ${dir} is accessible to other users (mode ${octal(current)}); could not change it to ${octal(DIR_MODE)}: ${(error as Error).message}`;
  }
  return `data directory ${dir} was accessible to other users (mode ${octal(current)}); changed it to ${octal(DIR_MODE)}`;
}
