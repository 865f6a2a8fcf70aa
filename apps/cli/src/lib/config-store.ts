import { randomBytes } from 'node:crypto';
import {
  chmod,
  lstat,
  mkdir,
  open,
  readFile,
  readlink,
  realpath,
  rename,
  rm,
  stat,
} from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { CliError } from './errors.js';

/**
 * The keys kept in `config.yml` (docs/architecture.md#cli-defaults-and-config). Unknown keys are
 * preserved.
 */
export interface HangarConfig {
  access_token?: string;
  api_url?: string;
  /**
   * The id of `access_token` when `auth login` minted it (email and password), so `auth logout`
   * revokes it; absent for a token stored with --token or from standard input.
   */
  login_token_id?: string;
  [key: string]: unknown;
}

const DIR_MODE = 0o700;

/**
 * The yaml package, imported when a config file is read or written. Its Node entry is CommonJS,
 * whose `default` is its exports both in Node and in the CLI's bundle (scripts/bundle.mjs),
 * where a dynamic import offers no named exports of a CommonJS module.
 */
async function loadYaml(): Promise<typeof import('yaml')> {
  return (await import('yaml')).default;
}
const FILE_MODE = 0o600;

/** Directory holding config.yml: `$HANGAR_CONFIG_DIR` if set and non-empty, else `~/.hangar`. */
export function configDir(): string {
  const fromEnv = process.env.HANGAR_CONFIG_DIR?.trim();
  return fromEnv ? fromEnv : join(homedir(), '.hangar');
}

/** Full path of the config file. */
export function configPath(): string {
  return join(configDir(), 'config.yml');
}

const octal = (mode: number) => mode.toString(8).padStart(4, '0');

/**
 * Tightens `path` to `mode` if group or others have any access, and says so on stderr: the file
 * holds a secret, so it must not stay readable by others
 * (docs/architecture.md#cli-defaults-and-config).
 *
 * A symbolic link is never followed for this: chmod through it would change whatever file it
 * points to (a link planted in a shared directory could make hangar loosen or tighten any file
 * the user owns). When the target is open to others, stderr says so and names the target to fix.
 */
async function repairMode(path: string, mode: number): Promise<void> {
  const link = await lstat(path);
  if (link.isSymbolicLink()) {
    const current = (await stat(path)).mode & 0o777;
    if ((current & 0o077) === 0) return;
    process.stderr.write(
      `Warning: ${path} is a symbolic link to ${await realpath(path)}, which other users can access (mode ${octal(current)}); hangar does not change modes through a link: run chmod ${octal(mode).slice(1)} on the target yourself.\n`,
    );
    return;
  }
  const current = link.mode & 0o777;
  if ((current & 0o077) === 0) return;
  await chmod(path, mode);
  process.stderr.write(
    `Warning: ${path} was accessible to other users (mode ${octal(current)}); changed it to ${octal(mode)}.\n`,
  );
}

/**
 * Reads the config, repairing the directory (0700) and file (0600) modes if found wider.
 * A missing file is an empty config. Throws CliError when the file is not a valid YAML mapping,
 * or when `access_token` or `api_url` is not a string.
 */
export async function readConfig(): Promise<HangarConfig> {
  const dir = configDir();
  const path = configPath();
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw new CliError(`Cannot read ${path}: ${(error as Error).message}`);
  }
  await repairMode(dir, DIR_MODE);
  await repairMode(path, FILE_MODE);
  const { parse } = await loadYaml();
  let data: unknown;
  try {
    data = parse(text);
  } catch {
    throw new CliError(`${path} is not valid YAML; fix or delete it.`);
  }
  if (data === null || data === undefined) return {};
  if (typeof data !== 'object' || Array.isArray(data)) {
    throw new CliError(
      `${path} should hold a YAML mapping (access_token, api_url); fix or delete it.`,
    );
  }
  checkStringKeys(data as Record<string, unknown>, path);
  return data as HangarConfig;
}

/** Keys the CLI reads from the config; each must be a string when present. */
const STRING_KEYS = ['access_token', 'api_url', 'login_token_id'] as const;

/**
 * Refuses a config whose `access_token` or `api_url` is not a string (`access_token: 42`),
 * rather than ignoring it silently. An empty value (YAML null) counts as unset.
 *
 * @throws CliError (exit 1) naming the file and the key
 */
function checkStringKeys(data: Record<string, unknown>, path: string): void {
  for (const key of STRING_KEYS) {
    const value = data[key];
    if (value === undefined || value === null || typeof value === 'string') continue;
    const kind = Array.isArray(value)
      ? 'a list'
      : typeof value === 'object'
        ? 'a mapping'
        : `a ${typeof value}`;
    throw new CliError(`${path}: ${key} must be a string, not ${kind}; fix or delete it.`);
  }
}

/**
 * The file {@link writeConfig} replaces: `path` itself, or, when `path` is a symbolic link (a
 * dotfiles manager's, say), the file it points to, so the link stays and the old token is not
 * left behind in its target (replacing the link with a new file did that, at the target's old
 * mode). A link is written through only when it and its target belong to the user running
 * hangar: one planted by someone else never redirects a write (the reason {@link repairMode}
 * never chmods through a link).
 *
 * @returns the absolute path to replace
 * @throws CliError, before anything is changed, for a link that points nowhere or at something
 *   that is not a regular file of the user's own
 */
async function fileToReplace(path: string): Promise<string> {
  const link = await lstat(path).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw new CliError(`Cannot write ${path}: ${error.message}`);
  });
  if (!link?.isSymbolicLink()) return path;
  const target = await realpath(path).catch(() => undefined);
  if (target === undefined) {
    throw new CliError(
      `Cannot write ${path}: it is a symbolic link to ${await readlink(path)}, which does not exist; create that file or remove the link. Nothing was changed.`,
    );
  }
  const file = await stat(target);
  const uid = process.getuid?.();
  if (!file.isFile() || (uid !== undefined && (link.uid !== uid || file.uid !== uid))) {
    throw new CliError(
      `Cannot write ${path}: it is a symbolic link to ${target}, which is not a regular file you own; hangar writes through a link only to your own file. Replace the link with a file, or point HANGAR_CONFIG_DIR elsewhere. Nothing was changed.`,
    );
  }
  return target;
}

/**
 * Fails now, with {@link writeConfig}'s error, when config.yml is a link it would refuse: a
 * command that changes something on the server before it stores the result (`auth login` mints a
 * token, `auth logout` revokes one) checks first, so a refusal leaves nothing half done.
 * @throws CliError as {@link fileToReplace}
 */
export async function checkConfigWritable(): Promise<void> {
  await fileToReplace(configPath());
}

/**
 * Writes the config atomically: a 0600 temporary file in the same directory as the file it
 * replaces, flushed, then renamed over it, so a crash never leaves a half-written file or a
 * readable secret. When config.yml is a symbolic link, the file it points to is replaced and the
 * link kept ({@link fileToReplace}); that file is then 0600 too. Keys whose value is undefined
 * are dropped.
 * @throws CliError when the file cannot be written (nothing is changed then)
 */
export async function writeConfig(config: HangarConfig): Promise<void> {
  const dir = configDir();
  const path = configPath();
  const target = await fileToReplace(path);
  await mkdir(dir, { recursive: true, mode: DIR_MODE });
  await repairMode(dir, DIR_MODE);
  const clean = Object.fromEntries(Object.entries(config).filter(([, v]) => v !== undefined));
  const { stringify } = await loadYaml();
  const tmp = join(dirname(target), `.config.yml.${randomBytes(6).toString('hex')}.tmp`);
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(tmp, 'wx', FILE_MODE);
  } catch (error) {
    throw new CliError(`Cannot write ${target}: ${(error as Error).message}`);
  }
  try {
    await handle.writeFile(stringify(clean), 'utf8');
    await handle.chmod(FILE_MODE);
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await rename(tmp, target);
  } catch (error) {
    await rm(tmp, { force: true });
    throw new CliError(`Cannot write ${path}: ${(error as Error).message}`);
  }
}
