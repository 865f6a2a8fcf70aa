import { describe, expect, it } from 'vitest';
import { hangar, useMockServer } from '../helpers.js';

describe('--api-url with a query string or fragment', () => {
  const mock = useMockServer();

  it.each([
    ['?x=1', '/?x=1'],
    ['#top', '/#top'],
    ['prefix?', '/prefix/?'],
  ])('is refused up front (exit 2), saying what to type instead (%s)', async (_, tail) => {
    const url = `${mock.server.url}${tail}`;
    const expected = `${mock.server.url}${tail.startsWith('/prefix') ? '/prefix' : ''}`;
    const result = await hangar(['orgs', 'list', '--api-url', url], { env: mock.env });
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(
      `Error: Invalid API URL: it cannot have a query string or fragment (only scheme, host, port and an optional path prefix); use ${expected}.\n`,
    );
    const fromEnv = await hangar(['orgs', 'list'], {
      env: { ...mock.env, HANGAR_API_URL: url },
    });
    expect(fromEnv.code).toBe(2);
  });
});
