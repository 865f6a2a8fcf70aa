import { describe, expect, it } from 'vitest';
import { closedUrl, hangar, TOKEN_RE, useMockServer } from './helpers.js';

describe('offline token commands', () => {
  const mock = useMockServer();

  it('inspects a token without the server and never shows the signature', async () => {
    const created = JSON.parse(
      (await hangar(['tokens', 'create', 'readonly', 'acme', '--json'], { env: mock.env })).stdout,
    );
    const offline = { ...mock.env, HANGAR_API_URL: await closedUrl() };
    const human = await hangar(['tokens', 'inspect', created.token], { env: offline });
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(new RegExp(`Identifier:\\s+${created.id}`));
    expect(human.stdout).toMatch(/Expires:\s+\d{4}-\d\d-\d\dT[\d:]+Z \(in (19|20) years\)/);
    expect(human.stdout).toMatch(/Caveats:\n {2}- .+\n {2}- .+/);
    expect(human.stdout.toLowerCase()).not.toContain('signature');
    const json = JSON.parse(
      (await hangar(['tokens', 'inspect', '--json', '-'], { env: offline, input: created.token }))
        .stdout,
    );
    expect(json.identifier).toBe(created.id);
    expect(json.caveats.map((c: { type: string }) => c.type)).toEqual(
      expect.arrayContaining(['org', 'actions', 'not-after']),
    );
    expect(JSON.stringify(json)).not.toMatch(/signature/i);
    expect(json.expires_at).toBe(created.expires_at);
  });

  it('attenuates to read-only offline; the result reads but cannot write', async () => {
    const org = (
      await hangar(['tokens', 'create', 'org', 'acme'], { env: mock.env })
    ).stdout.trim();
    const narrowed = await hangar(['tokens', 'attenuate', '--read-only', '-x', '1h'], {
      env: { ...mock.env, HANGAR_API_TOKEN: org, HANGAR_API_URL: await closedUrl() },
    });
    expect(narrowed.code).toBe(0);
    const token = narrowed.stdout.trim();
    expect(token).toMatch(TOKEN_RE);
    const tokenEnv = { ...mock.env, HANGAR_API_TOKEN: token };
    expect((await hangar(['apps', 'list', '-o', 'acme'], { env: tokenEnv })).code).toBe(0);
    const write = await hangar(['apps', 'create', 'acme-ro', '-o', 'acme'], { env: tokenEnv });
    expect(write.code).toBe(1);
    expect(write.stderr).toMatch(/403 forbidden/);
  });

  it('attenuates to one app by id (offline) or by name (one lookup)', async () => {
    const org = (
      await hangar(['tokens', 'create', 'org', 'acme'], { env: mock.env })
    ).stdout.trim();
    const orgEnv = { ...mock.env, HANGAR_API_TOKEN: org };
    const app = JSON.parse(
      (await hangar(['apps', 'show', 'acme-web', '--json'], { env: orgEnv })).stdout,
    );
    expect(app.id).toMatch(/^app_[0-9a-f]{16}$/);
    const byId = (
      await hangar(['tokens', 'attenuate', '--app-id', app.id], { env: orgEnv })
    ).stdout.trim();
    const byName = (
      await hangar(['tokens', 'attenuate', '--app', 'acme-web'], { env: orgEnv })
    ).stdout.trim();
    for (const token of [byId, byName]) {
      const tokenEnv = { ...mock.env, HANGAR_API_TOKEN: token };
      expect((await hangar(['machines', 'list', '-a', 'acme-web'], { env: tokenEnv })).code).toBe(
        0,
      );
      const other = await hangar(['machines', 'list', '-a', 'acme-api'], { env: tokenEnv });
      expect(other.code).toBe(1);
      expect(other.stderr).toMatch(/404 not_found/);
    }
    const nothing = await hangar(['tokens', 'attenuate'], { env: orgEnv });
    expect(nothing.code).toBe(2);
  });

  it('creates a read-only token from the current one without the server', async () => {
    const org = (
      await hangar(['tokens', 'create', 'org', 'acme'], { env: mock.env })
    ).stdout.trim();
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

  it('refuses an attenuated token once its parent is revoked', async () => {
    const parent = JSON.parse(
      (await hangar(['tokens', 'create', 'org', 'acme', '--json'], { env: mock.env })).stdout,
    );
    const child = (
      await hangar(['tokens', 'attenuate', '--read-only'], {
        env: { ...mock.env, HANGAR_API_TOKEN: parent.token },
      })
    ).stdout.trim();
    expect((await hangar(['tokens', 'revoke', parent.id], { env: mock.env })).code).toBe(0);
    const refused = await hangar(['orgs', 'show', 'acme'], {
      env: { ...mock.env, HANGAR_API_TOKEN: child },
    });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/token_revoked/);
  });

  it('refuses a malformed --app-id offline (exit 2) with the expected shape', async () => {
    const result = await hangar(['tokens', 'attenuate', '--app-id', 'garbage'], {
      env: { ...mock.env, HANGAR_API_URL: await closedUrl() },
    });
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(
      /^Error: Invalid --app-id "garbage": app ids look like app_ and 16 hex digits \(e\.g\. app_3f9a0c1d2e4b5a69;/,
    );
  });

  it.each([
    [['tokens', 'attenuate', '--read-only']],
    [['tokens', 'create', 'readonly', '--from-existing']],
  ])('%j refuses an --expiry that outlives the token (exit 2)', async (args) => {
    const short = (
      await hangar(['tokens', 'create', 'org', 'acme', '-x', '1h'], { env: mock.env })
    ).stdout.trim();
    const env = { ...mock.env, HANGAR_API_TOKEN: short, HANGAR_API_URL: await closedUrl() };
    const result = await hangar([...args, '-x', '100000h'], { env });
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(
      /^Error: --expiry 100000h would outlive this token \(it expires 20\d\d-\d\d-\d\dT\d\d:\d\d:\d\dZ\); attenuation can only shorten it\.\n$/,
    );
    const shorter = await hangar([...args, '-x', '30m'], { env });
    expect(shorter.code).toBe(0);
    expect(shorter.stdout.trim()).toMatch(TOKEN_RE);
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

  it('auth whoami shows the effective expiry of an attenuated token', async () => {
    const narrowed = (
      await hangar(['tokens', 'attenuate', '-x', '2h'], { env: mock.env })
    ).stdout.trim();
    const env = { ...mock.env, HANGAR_API_TOKEN: narrowed };
    const viewer = JSON.parse((await hangar(['auth', 'whoami', '--json'], { env })).stdout);
    expect(viewer.scope.expires_at).not.toBe(viewer.token.expires_at);
    const human = await hangar(['auth', 'whoami'], { env });
    expect(human.code).toBe(0);
    expect(human.stdout).toContain(
      `Expires:      ${viewer.scope.expires_at} (in 1 hour); attenuated: narrower than the token it came from (${viewer.token.expires_at})`,
    );
  });
});
