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
});
