import { lstat, mkdir, readdir, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hangar, useMockServer } from '../../helpers.js';

describe('auth login and a config.yml symbolic link it cannot write through', () => {
  const mock = useMockServer();
  const personalTokens = async () =>
    (
      JSON.parse(
        (
          await hangar(['tokens', 'list', '-s', 'personal', '--limit', '100', '-j'], {
            env: mock.env,
          })
        ).stdout,
      ) as unknown[]
    ).length;

  it('is refused before a token is minted; the link is left as it was', async () => {
    const dir = join(mock.env.HANGAR_CONFIG_DIR as string, 'dangling');
    await mkdir(dir, { recursive: true, mode: 0o700 });
    await symlink(join(dir, 'nowhere.yml'), join(dir, 'config.yml'));
    const before = await personalTokens();
    const login = await hangar(
      ['auth', 'login', '--email', 'dev@hangar.local', '--password-stdin'],
      {
        env: { ...mock.env, HANGAR_API_TOKEN: '', HANGAR_CONFIG_DIR: dir },
        input: 'hangar-dev-password',
      },
    );
    expect(login.code).toBe(1);
    expect(login.stderr).toContain('is a symbolic link to');
    expect(login.stderr).toContain('Nothing was changed.');
    expect(await personalTokens()).toBe(before);
    expect((await lstat(join(dir, 'config.yml'))).isSymbolicLink()).toBe(true);
    expect(await readdir(dir)).toEqual(['config.yml']);
  });
});
