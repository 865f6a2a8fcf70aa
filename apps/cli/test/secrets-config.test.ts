import { chmod, mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startMockServer } from '@hangar/mock-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hangar, hangarLine, tempConfigDir } from './helpers.js';

type Server = Awaited<ReturnType<typeof startMockServer>>;

/** Every file under `dir` with its contents. */
async function filesUnder(dir: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) {
      const path = join(entry.parentPath, entry.name);
      out.set(path, await readFile(path, 'utf8'));
    }
  }
  return out;
}

const mode = async (path: string) => (await stat(path)).mode & 0o777;

describe('secrets and the config file', () => {
  let server: Server;
  const cleanups: (() => Promise<void>)[] = [];

  beforeAll(async () => {
    server = await startMockServer({ port: 0, memory: true });
  });

  afterAll(async () => {
    await server?.close();
    for (const cleanup of cleanups) await cleanup();
  });

  async function freshEnv(): Promise<{ dir: string; env: Record<string, string> }> {
    const config = await tempConfigDir();
    cleanups.push(config.cleanup);
    return { dir: config.dir, env: { HANGAR_CONFIG_DIR: config.dir, HANGAR_API_URL: server.url } };
  }

  it('never shows a token in --verbose output, stderr or files other than config.yml', async () => {
    const { dir, env } = await freshEnv();
    const login = await hangar(
      ['auth', 'login', '--verbose', '--email', 'dev@hangar.local', '--password-stdin'],
      {
        env,
        input: 'hangar-dev-password',
      },
    );
    expect(login.code).toBe(0);
    const stored = (await readFile(join(dir, 'config.yml'), 'utf8')).match(
      /access_token: (\S+)/,
    )?.[1] as string;
    expect(stored).toMatch(/^hangar_/);
    expect(await mode(join(dir, 'config.yml'))).toBe(0o600);
    expect(await mode(dir)).toBe(0o700);

    const created = await hangar(['tokens', 'create', 'org', 'acme', '--verbose'], { env });
    const orgToken = created.stdout.trim();
    const runs = [
      login,
      created,
      await hangar(['apps', 'list', '-o', 'acme', '--verbose'], {
        env: { ...env, HANGAR_API_TOKEN: orgToken },
      }),
      await hangar(['tokens', 'list', '-o', 'acme', '--verbose'], { env }),
      await hangar(['auth', 'whoami', '--verbose', '-t', orgToken], { env }),
      await hangar(['orgs', 'show', 'nope', '--verbose', '-t', orgToken], { env }),
      await hangar(['tokens', 'inspect', '--verbose'], { env }),
    ];
    const secrets = [stored, orgToken, server.devToken, 'hangar-dev-password'];
    for (const run of runs) {
      for (const secret of secrets) expect(run.stderr).not.toContain(secret);
    }
    expect(runs[2]?.stderr).toMatch(
      /\[verbose\] GET http:\/\/127\.0\.0\.1:\d+\/v1\/orgs\/acme\/apps\S* -> 200 \(\d+ ms, request req_[0-9a-f]{24}\)/,
    );
    expect(runs[2]?.stderr).toContain(`hangar_…${orgToken.slice(-4)}`);
    expect(runs[5]?.stderr).toMatch(/-> 404/);
    expect(runs[4]?.stdout).not.toContain(orgToken);

    const files = await filesUnder(dir);
    for (const [path, text] of files) {
      if (path === join(dir, 'config.yml')) {
        expect(text).not.toContain(orgToken);
        continue;
      }
      for (const secret of secrets) expect(text).not.toContain(secret);
    }
  });

  it('never writes a token from the flag or the environment to the config', async () => {
    const { dir, env } = await freshEnv();
    const flag = await hangar(['orgs', 'list', '-t', server.devToken], { env });
    expect(flag.code).toBe(0);
    const fromEnv = await hangar(['orgs', 'list'], {
      env: { ...env, HANGAR_API_TOKEN: server.devToken },
    });
    expect(fromEnv.code).toBe(0);
    const files = await filesUnder(dir).catch(() => new Map<string, string>());
    for (const text of files.values()) expect(text).not.toContain(server.devToken);
  });

  it('uses the flag, then HANGAR_API_TOKEN, then the config', async () => {
    const { env } = await freshEnv();
    const login = await hangar(['auth', 'login', '--token', server.devToken], { env });
    expect(login.code).toBe(0);
    const org = await hangarLine(['tokens', 'create', 'org', 'acme'], env);
    const ro = await hangarLine(['tokens', 'create', 'readonly', 'acme'], env);
    const kind = async (args: string[], extra: Record<string, string>) =>
      JSON.parse(
        (await hangar(['auth', 'whoami', '--json', ...args], { env: { ...env, ...extra } })).stdout,
      ).token.kind;
    expect(await kind([], {})).toBe('personal');
    expect(await kind([], { HANGAR_API_TOKEN: org })).toBe('org');
    expect(await kind(['-t', ro], { HANGAR_API_TOKEN: org })).toBe('readonly');
    const token = await hangar(['auth', 'token'], { env });
    expect(token.stdout.trim()).toBe(server.devToken);
  });

  it('repairs config modes that are too wide, with a warning', async () => {
    const { dir } = await freshEnv();
    await mkdir(dir, { recursive: true });
    const file = join(dir, 'config.yml');
    await writeFile(file, `access_token: ${server.devToken}\napi_url: ${server.url}\n`);
    await chmod(file, 0o644);
    await chmod(dir, 0o755);
    const result = await hangar(['orgs', 'list'], { env: { HANGAR_CONFIG_DIR: dir } });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('acme');
    expect(await mode(file)).toBe(0o600);
    expect(await mode(dir)).toBe(0o700);
    expect(result.stderr).toMatch(
      /Warning: .*config\.yml was accessible to other users \(mode 0644\); changed it to 0600/,
    );
    expect(result.stderr).not.toContain(server.devToken);
  });

  it('logs out by forgetting the stored token only', async () => {
    const { dir, env } = await freshEnv();
    await hangar(['auth', 'login', '--token', server.devToken], { env });
    const logout = await hangar(['auth', 'logout'], { env });
    expect(logout.code).toBe(0);
    const text = await readFile(join(dir, 'config.yml'), 'utf8');
    expect(text).not.toContain('access_token');
    expect(text).toContain(`api_url: ${server.url}`);
    const after = await hangar(['orgs', 'list'], { env: { HANGAR_CONFIG_DIR: dir } });
    expect(after.code).toBe(1);
    expect(after.stderr).toMatch(/No access token/);
  });

  it('logs in with a token piped on standard input', async () => {
    const { env } = await freshEnv();
    const login = await hangar(['auth', 'login'], { env, input: `  Bearer ${server.devToken}\n` });
    expect(login.code).toBe(0);
    expect(login.stdout).toContain('dev@hangar.local');
    const whoami = await hangar(['auth', 'whoami'], { env });
    expect(whoami.stdout).toMatch(/User:\s+dev@hangar\.local/);
  });

  it('refuses wrong credentials with a hint', async () => {
    const { env } = await freshEnv();
    const login = await hangar(
      ['auth', 'login', '--email', 'dev@hangar.local', '--password-stdin'],
      {
        env,
        input: 'wrong',
      },
    );
    expect(login.code).toBe(1);
    expect(login.stderr).toMatch(/invalid_credentials.*check the email and password/);
  });

  it.each([
    ['access_token: 42\n', 'access_token must be a string, not a number'],
    ['access_token: [a, b]\n', 'access_token must be a string, not a list'],
    ['api_url: true\n', 'api_url must be a string, not a boolean'],
  ])('reports a config with %j instead of ignoring it (exit 1)', async (yaml, why) => {
    const { dir } = await freshEnv();
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const file = join(dir, 'config.yml');
    await writeFile(file, yaml, { mode: 0o600 });
    const env = yaml.startsWith('api_url')
      ? { HANGAR_CONFIG_DIR: dir, HANGAR_API_TOKEN: server.devToken }
      : { HANGAR_CONFIG_DIR: dir, HANGAR_API_URL: server.url };
    const result = await hangar(['orgs', 'list'], { env });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(`Error: ${file}: ${why}; fix or delete it.\n`);
  });
});
