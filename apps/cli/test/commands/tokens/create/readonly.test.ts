import { describe, expect, it } from 'vitest';
import { closedUrl, hangar, hangarLine, TOKEN_RE, useMockServer } from '../../../helpers.js';

describe('tokens create readonly --from-existing (offline)', () => {
  const mock = useMockServer();

  it('creates a read-only token from the current one without the server', async () => {
    const org = await hangarLine(['tokens', 'create', 'org', 'acme'], mock.env);
    const result = await hangar(
      ['tokens', 'create', 'readonly', '--from-existing', '-x', '24h', '--json'],
      {
        env: { ...mock.env, HANGAR_API_TOKEN: org, HANGAR_API_URL: await closedUrl() },
      },
    );
    expect(result.code).toBe(0);
    const body = JSON.parse(result.stdout);
    expect(body.token).toMatch(TOKEN_RE);
    expect(body.caveats).toEqual(expect.arrayContaining([{ type: 'actions', actions: ['read'] }]));
    const tokenEnv = { ...mock.env, HANGAR_API_TOKEN: body.token };
    expect((await hangar(['orgs', 'show', 'acme'], { env: tokenEnv })).code).toBe(0);
    expect((await hangar(['apps', 'create', 'acme-x', '-o', 'acme'], { env: tokenEnv })).code).toBe(
      1,
    );
  });

  it.each([
    ['the ORG argument', ['acme'], {}],
    ['-o', ['-o', 'acme'], {}],
    ['$HANGAR_ORG', [], { HANGAR_ORG: 'acme' }],
  ])(
    'limits a --from-existing read-only token to the org given by %s',
    async (_, extra, orgEnv) => {
      const acme = JSON.parse(
        (await hangar(['orgs', 'show', 'acme', '--json'], { env: mock.env })).stdout,
      );
      const result = await hangar(
        ['tokens', 'create', 'readonly', '--from-existing', '--json', ...extra],
        { env: { ...mock.env, ...orgEnv } },
      );
      expect(result.code).toBe(0);
      const body = JSON.parse(result.stdout);
      expect(body.caveats).toEqual(
        expect.arrayContaining([
          { type: 'org', org: acme.id },
          { type: 'actions', actions: ['read'] },
        ]),
      );
      const tokenEnv = { ...mock.env, HANGAR_API_TOKEN: body.token };
      expect((await hangar(['orgs', 'show', 'acme'], { env: tokenEnv })).code).toBe(0);
      const other = await hangar(['orgs', 'show', 'dev-personal'], { env: tokenEnv });
      expect(other.code).toBe(1);
      expect(other.stderr).toMatch(/404 not_found/);
    },
  );

  it('without an org, a --from-existing token reads every org the current token sees', async () => {
    const result = await hangar(['tokens', 'create', 'readonly', '--from-existing', '--json'], {
      env: { ...mock.env, HANGAR_API_URL: await closedUrl() },
    });
    expect(result.code).toBe(0);
    const body = JSON.parse(result.stdout);
    const types = body.caveats.map((c: { type: string }) => c.type);
    expect(types).toContain('actions');
    expect(types).not.toContain('org');
    const tokenEnv = { ...mock.env, HANGAR_API_TOKEN: body.token };
    for (const org of ['acme', 'dev-personal']) {
      expect((await hangar(['orgs', 'show', org], { env: tokenEnv })).code).toBe(0);
    }
    const help = await hangar(['tokens', 'create', 'readonly', '--help'], { env: mock.env });
    expect(help.stdout.replace(/\s+/g, ' ')).toContain(
      'else to every organization the token in use can see',
    );
    expect(help.stdout.replace(/\s+/g, ' ')).toContain('Cannot be combined with --name');
  });

  it('refuses --name with --from-existing (exit 2): an offline token has no name', async () => {
    const result = await hangar(
      ['tokens', 'create', 'readonly', 'acme', '--from-existing', '-n', 'ro'],
      { env: mock.env },
    );
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/--from-existing.*--name|--name.*--from-existing/);
  });
});
