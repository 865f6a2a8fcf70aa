import {
  linkSync,
  readFileSync,
  realpathSync,
  renameSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';

/** The lock file in a data directory: the pid of the hangar-mock using it, then a newline. */
export const LOCK_FILE = 'hangar-mock.lock';

/** Thrown when another live process holds the data directory. */
export class DataDirInUseError extends Error {
  /** The pid recorded in the lock file. */
  readonly pid: number;
  constructor(dir: string, pid: number) {
    const who = pid === process.pid ? `this process (pid ${pid})` : `another process (pid ${pid})`;
    super(
      `data directory ${dir} is in use by ${who}: stop that hangar-mock or use another --data-dir (if no hangar-mock runs there, delete ${join(dir, LOCK_FILE)})`,
    );
    this.pid = pid;
  }
}

/**
 * The lock files this process holds (real paths), so a lock naming our own pid tells a server of
 * this process (refused) from a lock a former process with the same pid left behind: in a
 * container every start is pid 1, and the previous one was killed.
 */
const held = new Set<string>();

/** True when a process with `pid` exists (signal 0 checks without sending anything). */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The pid a lock file holds, or undefined when it is gone or holds no pid. */
function lockHolder(file: string): number | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  const pid = Number(text.trim());
  return Number.isSafeInteger(pid) && pid > 0 ? pid : undefined;
}

/**
 * Takes the data directory for this process, so two servers never share one: each keeps its own
 * admin clock and caches, so two on one database would disagree. The lock file
 * `<dir>/hangar-mock.lock` holds the owner's pid. It is created whole and atomically (written
 * under a name of its own, then hard-linked into place: `link` fails when the name exists, like
 * O_EXCL, and a reader never sees it half-written). A lock left by a process that is gone (killed,
 * crashed) is taken over, and so is one naming this process's pid that this process does not hold
 * (a container restarted after `docker kill` is pid 1 again): it is first renamed aside, and put
 * back if it turns out to be another starter's fresh lock, so two starters taking over one stale
 * lock cannot both win.
 * @returns a function that releases the lock (removes the file if it still holds this pid).
 * @throws DataDirInUseError naming the live process that holds it; Error for file system errors.
 */
export function lockDataDir(dir: string): () => void {
  const file = join(dir, LOCK_FILE);
  const key = join(realpathSync(dir), LOCK_FILE);
  // Our own pid is a live holder only if this process took the lock: otherwise a process that
  // had our pid before us (a container's pid 1, killed) left it, and it is stale.
  const holds = (pid: number) => (pid === process.pid ? held.has(key) : isAlive(pid));
  const mine = `${file}.${process.pid}`;
  writeFileSync(mine, `${process.pid}\n`, { mode: 0o600 });
  try {
    for (let attempt = 0; attempt < 5; attempt++) {
      try {
        linkSync(mine, file);
        held.add(key);
        return () => {
          held.delete(key);
          if (lockHolder(file) === process.pid) unlinkSync(file);
        };
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      const holder = lockHolder(file);
      if (holder !== undefined && holds(holder)) throw new DataDirInUseError(dir, holder);
      const aside = `${file}.stale.${process.pid}`;
      try {
        renameSync(file, aside);
      } catch {
        continue; // already gone: try to take it again
      }
      const moved = lockHolder(aside);
      if (moved !== holder && moved !== undefined && holds(moved)) {
        // Another starter's fresh lock, not the stale one: give it back.
        try {
          linkSync(aside, file);
        } finally {
          unlinkSync(aside);
        }
        throw new DataDirInUseError(dir, moved);
      }
      unlinkSync(aside);
    }
    throw new Error(`cannot lock data directory ${dir}: ${file} keeps changing`);
  } finally {
    unlinkSync(mine);
  }
}
