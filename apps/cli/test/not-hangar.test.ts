import { describe, expect, it } from 'vitest';
import { hangar, useFakeApi, useMockServer } from './helpers.js';

const HTML = '<!doctype html><html><body><h1>Welcome to nginx!</h1></body></html>';

describe('a server that is not a Hangar API', () => {
  const mock = useMockServer();
  const web = useFakeApi((_, path) =>
    path.startsWith('/v1/orgs?')
      ? { status: 200, type: 'application/json', body: '{"data":[]}' }
      : { status: 200, type: 'text/html', body: HTML },
  );

  it.each([
    [['auth', 'whoami'], 'a text/html body'],
    [['apps', 'list', '-o', 'acme'], 'a text/html body'],
    [['orgs', 'list'], 'JSON without an "items" array'],
  ])('%j: one line saying the URL is not a Hangar API (exit 1)', async (args, what) => {
    const result = await hangar(args, { env: { ...mock.env, HANGAR_API_URL: web.url } });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    const lines = result.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`^Error: GET ${web.url}/v1/\\S+ answered 200 with `));
    expect(lines[0]).toContain(`${what}, not JSON from a Hangar API (200 http_error)`);
    expect(lines[0]).toContain(`Hint: ${web.url} does not look like a Hangar API;`);
    expect(result.stderr).not.toMatch(/SyntaxError|Symbol\.asyncIterator|\n\s+at /);
  });

  const lost = useFakeApi(() => ({ status: 404, type: 'text/html', body: '<h1>Not Found</h1>' }));

  it.each([
    ['a path a Hangar server does not serve', () => `${mock.server.url}/api`],
    ['a web server whose 404 is not a Hangar problem', () => lost.url],
  ])(
    'a 404 from %s says the URL does not look like a Hangar API, not which org the token sees',
    async (_, url) => {
      const apiUrl = url();
      const result = await hangar(['apps', 'list', '-o', 'acme'], {
        env: { ...mock.env, HANGAR_API_URL: apiUrl },
      });
      expect(result.code).toBe(1);
      const lines = result.stderr.trimEnd().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toContain(
        `Hint: ${apiUrl} does not look like a Hangar API; check --api-url, HANGAR_API_URL or the config file.`,
      );
      expect(lines[0]).not.toMatch(/scoped to|cannot see it/);
    },
  );

  // python -m http.server: 501 and an HTML page for any method but GET and HEAD.
  const getOnly = useFakeApi((method) =>
    method === 'GET' || method === 'HEAD'
      ? { status: 404, type: 'text/html', body: '<h1>Not Found</h1>' }
      : {
          status: 501,
          type: 'text/html',
          body: '<!DOCTYPE HTML><html><body><h1>Error response</h1><p>Error code: 501</p></body></html>',
        },
  );

  it('a POST answered 501 with HTML (a static web server) says the URL does not look like a Hangar API', async () => {
    const result = await hangar(['tokens', 'create', 'org', 'acme'], {
      env: { ...mock.env, HANGAR_API_URL: getOnly.url },
    });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    const lines = result.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('501');
    expect(lines[0]).toContain(`Hint: ${getOnly.url} does not look like a Hangar API;`);
  });

  it('auth login with a password at a path a Hangar server does not serve says so, with no token hint', async () => {
    const apiUrl = `${mock.server.url}/api`;
    const result = await hangar(
      ['auth', 'login', '--api-url', apiUrl, '--email', 'dev@hangar.local', '--password-stdin'],
      { env: { ...mock.env, HANGAR_API_TOKEN: undefined }, input: 'hangar-dev-password\n' },
    );
    expect(result.code).toBe(1);
    const lines = result.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(`Hint: ${apiUrl} does not look like a Hangar API;`);
    expect(lines[0]).not.toMatch(/token|scoped to/);
  });
});
