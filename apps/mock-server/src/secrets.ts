import { createHash, randomBytes } from 'node:crypto';
import {
  accessSync,
  chmodSync,
  constants,
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join } from 'node:path';

const MASTER_KEY_FILE = 'master.key';
const ADMIN_KEY_FILE = 'admin.key';

/**
 * Creates the data directory and any missing parents (mode 0700), then checks it is a directory
 * the process can write. An existing directory's mode is tightened later, once it is locked
 * (data-dir-mode.ts). Each missing level is created with a plain mkdir, not `recursive: true`, which
 * loops forever in Node 20 on paths like `/proc/nope`.
 * @throws Error with a one-line message (`cannot use data directory DIR: ...`) when the
 *   directory cannot be created, is not a directory, or is not writable.
 */
export function ensureDataDir(dir: string): void {
  const missing: string[] = [];
  for (let path = dir; !existsSync(path); path = dirname(path)) {
    missing.unshift(path);
    if (dirname(path) === path) break;
  }
  try {
    for (const path of missing) {
      try {
        mkdirSync(path, { mode: 0o700 });
      } catch (error) {
        // Another process starting on the same new directory made it first.
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
    }
    if (!statSync(dir).isDirectory()) throw new Error('not a directory');
    accessSync(dir, constants.R_OK | constants.W_OK | constants.X_OK);
  } catch (error) {
    const { code, message } = error as NodeJS.ErrnoException;
    const reason = code ? message.replace(/^[A-Z]+: /, '').replace(/, \w+ '.*'$/, '') : message;
    throw new Error(`cannot use data directory ${dir}: ${reason}${code ? ` (${code})` : ''}`);
  }
}

/** Reads a secret file, repairing its mode to 0600 if it is wider; undefined if absent. */
export function readSecretFile(file: string): Buffer | undefined {
  if (!existsSync(file)) return undefined;
  if ((statSync(file).mode & 0o077) !== 0) chmodSync(file, 0o600);
  return readFileSync(file);
}

/**
 * Writes a secret file whole or not at all (mode 0600): under a name of its own first, then
 * renamed into place (atomic on POSIX), so a start killed mid-write leaves no empty or partial
 * key behind. The caller holds the data directory's lock, so no other server writes it meanwhile.
 */
export function writeSecretFile(file: string, data: Buffer | string): void {
  const temporary = `${file}.${process.pid}.tmp`;
  rmSync(temporary, { force: true });
  writeFileSync(temporary, data, { mode: 0o600, flag: 'wx' });
  renameSync(temporary, file);
}

/**
 * Turns `HANGAR_MOCK_SECRET` into a 32-byte master key: 64 hex characters are the key itself;
 * any other string of at least 16 characters is hashed with SHA-256.
 * @throws Error when the secret is shorter than 16 characters.
 */
export function masterKeyFromSecret(secret: string): Buffer {
  if (/^[0-9a-f]{64}$/i.test(secret)) return Buffer.from(secret, 'hex');
  if (secret.length < 16) {
    throw new Error('HANGAR_MOCK_SECRET must be 64 hex characters or at least 16 characters long');
  }
  return createHash('sha256').update(secret, 'utf8').digest();
}

/** Thrown when the master key file is gone but the database holds tokens signed with it. */
export class MissingMasterKeyError extends Error {}

/**
 * The 32-byte master key every token root key derives from: `<dataDir>/master.key` (32 raw
 * bytes, mode 0600), or a fresh random key when `dataDir` is undefined (in-memory runs). A
 * missing file is created with a new key only when `hasTokens` is false: a new key would make
 * every existing token fail its signature check (`token_invalid`) while lists still call them
 * active, so that is refused.
 * @param hasTokens whether the database already holds tokens (asked only when the file is missing).
 * @throws MissingMasterKeyError naming the file and the ways to recover when it is missing (or
 *   empty) and `hasTokens()` is true; Error when the file does not hold exactly 32 bytes.
 */
export function loadMasterKey(dataDir: string | undefined, hasTokens: () => boolean): Buffer {
  if (dataDir === undefined) return randomBytes(32);
  const file = join(dataDir, MASTER_KEY_FILE);
  const existing = readSecretFile(file);
  // An empty file (a start killed while writing it, before writes were atomic) counts as missing.
  if (existing && existing.length > 0) {
    if (existing.length !== 32) throw new Error(`${file} must hold exactly 32 bytes`);
    return existing;
  }
  if (hasTokens()) {
    throw new MissingMasterKeyError(
      `${file} is ${existing ? 'empty' : 'missing'}, but the database in ${dataDir} holds tokens signed with it: restore that file, or set HANGAR_MOCK_SECRET to the secret the tokens were made with, or start over with a new --data-dir (or delete ${join(dataDir, 'hangar.db')})`,
    );
  }
  const key = randomBytes(32);
  writeSecretFile(file, key);
  return key;
}

/**
 * The admin key guarding `/_admin/*`: `<dataDir>/admin.key` (mode 0600, created on first start),
 * or a fresh random key for in-memory runs. Format: `hma_` + 43 base64url characters. A file that
 * is empty or only whitespace holds no key anyone could use: it is replaced by a new one.
 */
export function loadAdminKey(dataDir: string | undefined): string {
  const fresh = () => `hma_${randomBytes(32).toString('base64url')}`;
  if (dataDir === undefined) return fresh();
  const file = join(dataDir, ADMIN_KEY_FILE);
  const existing = readSecretFile(file);
  const text = existing?.toString('utf8').trim();
  if (text) return text;
  const key = fresh();
  writeSecretFile(file, `${key}\n`);
  return key;
}
