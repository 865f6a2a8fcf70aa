import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hangar, useMockServer } from '../helpers.js';

describe('an API URL with user:password@ is refused up front, the password never echoed', () => {
  const mock = useMockServer();
  const withPassword = () => mock.server.url.replace('http://', 'http://user:secretpw@');

  it.each([[['--verbose']], [['--json', '--verbose']]])(
    '--api-url %j: exit 2, one line saying to remove it',
    async (extra) => {
      const result = await hangar(['orgs', 'list', '--api-url', withPassword(), ...extra], {
        env: mock.env,
      });
      expect(result.code).toBe(2);
      expect(result.stdout + result.stderr).not.toContain('secretpw');
      expect(result.stderr).toMatch(
        /^Error: The API URL \(--api-url\) must not hold a user name or password: remove the "user:password@" part.*\n$/,
      );
      expect(result.stderr).not.toContain('[verbose]');
      if (extra.includes('--json')) {
        expect(JSON.parse(result.stdout).error).toMatchObject({ code: 'usage_error' });
      }
    },
  );

  it.each([['http:user:secretpw@'], ['http:/user:secretpw@']])(
    '%j without the two slashes (a URL parser still reads it as credentials): exit 2, not echoed by --verbose',
    async (prefix) => {
      const url = mock.server.url.replace('http://', prefix);
      const result = await hangar(['orgs', 'list', '--api-url', url, '--verbose'], {
        env: mock.env,
      });
      expect(result.code).toBe(2);
      expect(result.stdout + result.stderr).not.toContain('secretpw');
      expect(result.stderr).toMatch(/^Error: The API URL \(--api-url\) must not hold a user name/);
    },
  );

  it('from $HANGAR_API_URL: exit 2, named as such', async () => {
    const result = await hangar(['orgs', 'list'], {
      env: { ...mock.env, HANGAR_API_URL: withPassword() },
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('The API URL ($HANGAR_API_URL) must not hold');
    expect(result.stderr).not.toContain('secretpw');
  });

  it('from the config file: exit 1, the file named, the password not shown', async () => {
    const dir = join(mock.env.HANGAR_CONFIG_DIR as string, 'url-creds');
    await mkdir(dir, { recursive: true, mode: 0o700 });
    await writeFile(join(dir, 'config.yml'), `api_url: ${withPassword()}\n`, { mode: 0o600 });
    const result = await hangar(['orgs', 'list', '-j'], {
      env: { ...mock.env, HANGAR_CONFIG_DIR: dir, HANGAR_API_URL: undefined },
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`api_url in ${join(dir, 'config.yml')}`);
    expect(result.stdout + result.stderr).not.toContain('secretpw');
  });
});
