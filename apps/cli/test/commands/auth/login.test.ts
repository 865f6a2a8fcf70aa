import { lstat, mkdir, readdir, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { admin, hangar, useMockServer } from '../../helpers.js';

describe('auth login: piped input, and a config.yml link it cannot write through', () => {
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
        env: { ...mock.env, HANGAR_API_TOKEN: undefined, HANGAR_CONFIG_DIR: dir },
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

  it('a piped password (not a token at all) is refused with the flags that read one', async () => {
    const env = { ...mock.env, HANGAR_API_TOKEN: undefined };
    for (const args of [
      ['auth', 'login'],
      ['auth', 'login', '--token', '-'],
    ]) {
      const result = await hangar(args, { env, input: 'hangar-dev-password\n' });
      expect(result.code).toBe(2);
      expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
      expect(result.stderr).toContain('does not start with "hangar_"');
      expect(result.stderr).toContain('Copy the whole token again');
      expect(result.stderr).toContain(
        'if you piped a password, run: hangar auth login --email EMAIL --password-stdin',
      );
      expect(result.stderr).not.toContain('hangar-dev-password');
    }
  });

  it('a truncated token is not taken for a password', async () => {
    const env = { ...mock.env, HANGAR_API_TOKEN: undefined };
    const truncated = mock.server.devToken.slice(0, -3);
    const result = await hangar(['auth', 'login'], { env, input: truncated });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('mistyped or truncated');
    expect(result.stderr).not.toContain('--password-stdin');
  });
});

describe('auth login over an earlier login', () => {
  const mock = useMockServer();
  const PREVIOUS = 'the token the previous "auth login" stored';
  const login = (env: Record<string, string | undefined>) =>
    hangar(['auth', 'login', '--email', 'dev@hangar.local', '--password-stdin'], {
      env: { ...env, HANGAR_API_TOKEN: undefined },
      input: 'hangar-dev-password\n',
    });
  const storedId = async (env: Record<string, string | undefined>) =>
    JSON.parse(
      (await hangar(['auth', 'whoami', '-j'], { env: { ...env, HANGAR_API_TOKEN: undefined } }))
        .stdout,
    ).token.id as string;

  it('names the login token it no longer stores, still valid, and how to revoke it', async () => {
    const first = await login(mock.env);
    expect(first.code).toBe(0);
    expect(first.stderr).not.toContain(PREVIOUS);
    const firstId = await storedId(mock.env);
    const second = await login(mock.env);
    expect(second.code).toBe(0);
    expect(second.stderr).toBe(
      `Warning: the token the previous "auth login" stored, ${firstId}, is no longer stored but is still valid; if nothing else uses it (a copy from "hangar auth token"), revoke it: hangar tokens revoke ${firstId}\n`,
    );
    // The advice works, and once that token is revoked a new login has nothing to say about it.
    const revoked = await hangar(['tokens', 'revoke', firstId], { env: mock.env });
    expect(revoked.code).toBe(0);
    const secondId = await storedId(mock.env);
    await hangar(['tokens', 'revoke', secondId], { env: mock.env });
    const third = await login(mock.env);
    expect(third.code).toBe(0);
    expect(third.stderr).not.toContain(PREVIOUS);
  });

  it('a login token the server no longer knows (it was reset) is not named', async () => {
    await login(mock.env);
    await admin(mock.server.url, mock.server.adminKey, 'reset', {});
    const env = { ...mock.env, HANGAR_API_TOKEN: undefined };
    const again = await login(env);
    expect(again.code).toBe(0);
    expect(again.stderr).not.toContain(PREVIOUS);
  });

  it('logging out first leaves nothing to warn about', async () => {
    await login(mock.env);
    const logout = await hangar(['auth', 'logout'], {
      env: { ...mock.env, HANGAR_API_TOKEN: undefined },
    });
    expect(logout.code).toBe(0);
    const again = await login(mock.env);
    expect(again.code).toBe(0);
    expect(again.stderr).not.toContain(PREVIOUS);
  });
});
