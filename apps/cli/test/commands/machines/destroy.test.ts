import { describe, expect, it } from 'vitest';
import { fakeToken } from '../../fake-token.js';
import { hangar, useFakeApi } from '../../helpers.js';

/** A server that would do whatever it is asked: the CLI must not ask it anything here. */
const api = useFakeApi(() => ({ status: 204, type: 'application/json', body: '' }));

describe('names and ids that would rewrite the URL (dot segments)', () => {
  const env = () => ({ HANGAR_API_URL: api.url, HANGAR_API_TOKEN: fakeToken() });

  it.each([
    [['machines', 'destroy', '..', '-a', 'victim-app', '--yes'], /Invalid machine ID "\.\."/],
    [['machines', 'destroy', '.', '-a', 'victim-app', '--yes'], /Invalid machine ID "\."/],
    [['machines', 'show', '..', '-a', 'victim-app'], /Invalid machine ID/],
    [['machines', 'stop', 'm_3f9a0c1d2e4b5a69', '-a', '..'], /Invalid --app "\.\."/],
    [['apps', 'destroy', '..', '--yes'], /Invalid app NAME "\.\."/],
    [['apps', 'list', '-o', '..'], /Invalid --org "\.\."/],
    [['orgs', 'show', '.'], /Invalid ORG argument "\."/],
    [['tokens', 'list', '-a', '..'], /Invalid --app/],
    [['tokens', 'create', 'deploy', '-a', 'Acme_Web'], /Invalid --app "Acme_Web"/],
  ])('%j sends nothing and exits 2 saying what a valid value looks like', async (args, message) => {
    const before = api.requests.length;
    const result = await hangar(args, { env: env() });
    expect(result.stderr).toMatch(message);
    expect(result.stderr).toMatch(/\(e\.g\. [a-z0-9_-]+\)/);
    expect(result.code).toBe(2);
    expect(api.requests.slice(before)).toEqual([]);
  });

  it('checks $HANGAR_APP the same way', async () => {
    const before = api.requests.length;
    const result = await hangar(['machines', 'list'], { env: { ...env(), HANGAR_APP: '..' } });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/Invalid \$HANGAR_APP "\.\."/);
    expect(api.requests.slice(before)).toEqual([]);
  });

  it('still destroys a machine given a valid id', async () => {
    const before = api.requests.length;
    const result = await hangar(
      ['machines', 'destroy', 'm_3f9a0c1d2e4b5a69', '-a', 'victim-app', '--yes'],
      { env: env() },
    );
    expect(result.code).toBe(0);
    expect(api.requests.slice(before)).toEqual([
      'DELETE /v1/apps/victim-app/machines/m_3f9a0c1d2e4b5a69',
    ]);
  });
});
