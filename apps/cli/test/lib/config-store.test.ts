import {
  chmod,
  chown,
  lstat,
  mkdir,
  mkdtemp,
  readdir,
  readFile,
  rm,
  stat,
  symlink,
  writeFile,
} from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { readConfig, writeConfig } from '../../src/lib/config-store.js';

describe('readConfig and a config.yml that is a symbolic link', () => {
  let parent: string;
  let stderr: string[];

  beforeEach(async () => {
    parent = await mkdtemp(join(tmpdir(), 'hangar-config-link-'));
    stderr = [];
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
      stderr.push(String(chunk));
      return true;
    });
  });
  afterEach(async () => {
    vi.restoreAllMocks();
    vi.unstubAllEnvs();
    await rm(parent, { recursive: true, force: true });
  });

  async function linkedConfig(targetMode: number) {
    const dir = join(parent, 'hangar');
    await mkdir(dir, { mode: 0o700 });
    const target = join(parent, 'elsewhere.yml');
    await writeFile(target, 'api_url: http://127.0.0.1:4280\n');
    await chmod(target, targetMode);
    await symlink(target, join(dir, 'config.yml'));
    vi.stubEnv('HANGAR_CONFIG_DIR', dir);
    return target;
  }

  it('does not chmod the target of the link, and says so on stderr', async () => {
    const target = await linkedConfig(0o644);
    const config = await readConfig();
    expect(config.api_url).toBe('http://127.0.0.1:4280');
    expect((await stat(target)).mode & 0o777).toBe(0o644);
    const text = stderr.join('');
    expect(text).toContain('is a symbolic link to');
    expect(text).toContain('elsewhere.yml');
    expect(text).toContain('does not change modes through a link');
  });

  it('is silent when the target is private', async () => {
    const target = await linkedConfig(0o600);
    await readConfig();
    expect((await stat(target)).mode & 0o777).toBe(0o600);
    expect(stderr.join('')).toBe('');
  });

  it('still repairs a regular file', async () => {
    const dir = join(parent, 'hangar');
    await mkdir(dir, { mode: 0o700 });
    await writeFile(join(dir, 'config.yml'), 'api_url: http://x\n', { mode: 0o644 });
    await chmod(join(dir, 'config.yml'), 0o644);
    vi.stubEnv('HANGAR_CONFIG_DIR', dir);
    await readConfig();
    expect((await stat(join(dir, 'config.yml'))).mode & 0o777).toBe(0o600);
    expect(stderr.join('')).toMatch(/changed it to 0600/);
  });

  it('writeConfig writes through the link: the link stays, its target holds the new token at 0600', async () => {
    const target = await linkedConfig(0o644);
    await writeFile(target, 'access_token: hangar_old_secret\n');
    await writeConfig({ ...(await readConfig()), access_token: 'hangar_new_secret' });
    const link = join(parent, 'hangar', 'config.yml');
    expect((await lstat(link)).isSymbolicLink()).toBe(true);
    expect(await readFile(target, 'utf8')).toBe('access_token: hangar_new_secret\n');
    expect((await stat(target)).mode & 0o777).toBe(0o600);
    // No copy of the old secret anywhere: no temporary file left, nothing else written.
    expect((await readdir(parent)).sort()).toEqual(['elsewhere.yml', 'hangar']);
    expect(await readdir(join(parent, 'hangar'))).toEqual(['config.yml']);
  });

  it("writeConfig refuses a link to a file that is not the user's own, changing nothing", async () => {
    const target = await linkedConfig(0o644);
    // As root, make the target someone else's; otherwise point the link at root's /etc/passwd.
    const root = process.getuid?.() === 0;
    const other = root ? target : '/etc/passwd';
    if (root) await chown(target, 65534, 65534);
    else {
      await rm(join(parent, 'hangar', 'config.yml'));
      await symlink(other, join(parent, 'hangar', 'config.yml'));
    }
    const before = await readFile(other, 'utf8');
    await expect(writeConfig({ access_token: 'hangar_new_secret' })).rejects.toThrow(
      /is a symbolic link to .*which is not a regular file you own.*Nothing was changed/,
    );
    expect(await readFile(other, 'utf8')).toBe(before);
    expect((await lstat(join(parent, 'hangar', 'config.yml'))).isSymbolicLink()).toBe(true);
    expect(await readdir(join(parent, 'hangar'))).toEqual(['config.yml']);
  });

  it('writeConfig refuses a link that points nowhere, changing nothing', async () => {
    const dir = join(parent, 'hangar');
    await mkdir(dir, { mode: 0o700 });
    await symlink(join(parent, 'missing.yml'), join(dir, 'config.yml'));
    vi.stubEnv('HANGAR_CONFIG_DIR', dir);
    await expect(writeConfig({ access_token: 'hangar_x' })).rejects.toThrow(/does not exist/);
    expect(await readdir(dir)).toEqual(['config.yml']);
    expect(await readdir(parent)).toEqual(['hangar']);
  });
});
