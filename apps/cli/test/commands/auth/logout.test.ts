import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hangar, useMockServer } from '../../helpers.js';

const PASSWORD = 'hangar-dev-password';

describe('auth logout revokes the token auth login minted (issue 15)', () => {
  const mock = useMockServer();
  /** Logs in with the password into the fixture's config dir; returns the stored token and id. */
  async function login() {
    const env: Record<string, string | undefined> = { ...mock.env, HANGAR_API_TOKEN: undefined };
    const result = await hangar(
      ['auth', 'login', '--email', 'dev@hangar.local', '--password-stdin', '-j'],
      { env, input: PASSWORD },
    );
    expect(result.code).toBe(0);
    const id = (JSON.parse(result.stdout) as { token: { id: string } }).token.id;
    const config = await readFile(join(env.HANGAR_CONFIG_DIR as string, 'config.yml'), 'utf8');
    expect(config).toContain(`login_token_id: ${id}`);
    const token = /access_token: (\S+)/.exec(config)?.[1] as string;
    return { env, id, token };
  }
  const status = async (id: string) =>
    JSON.parse((await hangar(['tokens', 'show', id, '-j'], { env: mock.env })).stdout).status;

  it('revokes the stored token on the server, says so, and forgets it', async () => {
    const { env, id } = await login();
    const logout = await hangar(['auth', 'logout'], { env });
    expect(logout.code).toBe(0);
    expect(logout.stdout).toContain(`Revoked token ${id} (created by "auth login")`);
    expect(await status(id)).toBe('revoked');
    const config = await readFile(join(env.HANGAR_CONFIG_DIR as string, 'config.yml'), 'utf8');
    expect(config).not.toMatch(/access_token|login_token_id/);
  });

  it('--keep-token forgets it and leaves it valid', async () => {
    const { env, id } = await login();
    const logout = await hangar(['auth', 'logout', '--keep-token', '-j'], { env });
    expect(logout.code).toBe(0);
    expect(JSON.parse(logout.stdout)).toMatchObject({ token_id: id, token: 'kept' });
    expect(await status(id)).toBe('active');
  });

  it('revokes the token that "tokens rotate --current" put in place of the login token', async () => {
    const { env, id } = await login();
    const rotated = await hangar(['tokens', 'rotate', '--current', '-j'], { env });
    expect(rotated.code).toBe(0);
    const created = JSON.parse(rotated.stdout) as { id: string; token: string };
    const config = await readFile(join(env.HANGAR_CONFIG_DIR as string, 'config.yml'), 'utf8');
    expect(config).toContain(`login_token_id: ${created.id}`);
    const logout = await hangar(['auth', 'logout'], { env });
    expect(logout.code).toBe(0);
    expect(logout.stdout).toContain(`Revoked token ${created.id} (created by "auth login")`);
    expect(await status(created.id)).toBe('revoked');
    expect(await status(id)).not.toBe('active');
    const whoami = await hangar(['auth', 'whoami', '-j'], {
      env: { ...mock.env, HANGAR_API_TOKEN: created.token },
    });
    expect(whoami.code).not.toBe(0);
    expect(whoami.stderr + whoami.stdout).toContain('token_revoked');
  });

  it('never revokes a token stored with --token', async () => {
    const env: Record<string, string | undefined> = { ...mock.env, HANGAR_API_TOKEN: undefined };
    const created = JSON.parse(
      (await hangar(['tokens', 'create', 'org', 'acme', '-j'], { env: mock.env })).stdout,
    ) as { id: string; token: string };
    expect((await hangar(['auth', 'login', '--token', created.token], { env })).code).toBe(0);
    const logout = await hangar(['auth', 'logout'], { env });
    expect(logout.stdout).toContain('it was not created by "auth login", so it stays valid');
    expect(await status(created.id)).toBe('active');
  });

  it('never revokes a token pasted into config.yml in place of the login token, nor claims to', async () => {
    const { env, id } = await login();
    const org = JSON.parse(
      (await hangar(['tokens', 'create', 'org', 'acme', '-j'], { env: mock.env })).stdout,
    ) as { id: string; token: string };
    const path = join(env.HANGAR_CONFIG_DIR as string, 'config.yml');
    const config = await readFile(path, 'utf8');
    await writeFile(path, config.replace(/access_token: \S+/, `access_token: ${org.token}`));
    const logout = await hangar(['auth', 'logout'], { env });
    expect(logout.code).toBe(0);
    expect(logout.stdout).not.toContain('Revoked');
    expect(logout.stdout).toContain(`it is ${org.id}, not ${id}`);
    expect(logout.stdout).toContain('neither was revoked');
    expect(await status(org.id)).toBe('active');
    expect(await status(id)).toBe('active');
    expect(await readFile(path, 'utf8')).not.toMatch(/access_token|login_token_id/);
    const json = await hangar(['auth', 'logout', '-j'], { env });
    expect(JSON.parse(json.stdout)).toMatchObject({ logged_out: false, token_id: null });
  });
});
