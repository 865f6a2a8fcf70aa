import { createServer } from 'node:net';
import { startMockServer } from '@hangar/mock-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hangar, TOKEN_RE, tempConfigDir } from './helpers.js';

type Server = Awaited<ReturnType<typeof startMockServer>>;

async function closedUrl(): Promise<string> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

describe('offline token commands', () => {
  let server: Server;
  let env: Record<string, string>;
  let cleanup: () => Promise<void>;

  beforeAll(async () => {
    server = await startMockServer({ port: 0, memory: true });
    const config = await tempConfigDir();
    cleanup = config.cleanup;
    env = {
      HANGAR_CONFIG_DIR: config.dir,
      HANGAR_API_URL: server.url,
      HANGAR_API_TOKEN: server.devToken,
    };
  });

  afterAll(async () => {
    await server?.close();
    await cleanup?.();
  });

  it('inspects a token without the server and never shows the signature', async () => {
    const created = JSON.parse(
      (await hangar(['tokens', 'create', 'readonly', 'acme', '--json'], { env })).stdout,
    );
    const offline = { ...env, HANGAR_API_URL: await closedUrl() };
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
    const org = (await hangar(['tokens', 'create', 'org', 'acme'], { env })).stdout.trim();
    const narrowed = await hangar(['tokens', 'attenuate', '--read-only', '-x', '1h'], {
      env: { ...env, HANGAR_API_TOKEN: org, HANGAR_API_URL: await closedUrl() },
    });
    expect(narrowed.code).toBe(0);
    const token = narrowed.stdout.trim();
    expect(token).toMatch(TOKEN_RE);
    const tokenEnv = { ...env, HANGAR_API_TOKEN: token };
    expect((await hangar(['apps', 'list', '-o', 'acme'], { env: tokenEnv })).code).toBe(0);
    const write = await hangar(['apps', 'create', 'acme-ro', '-o', 'acme'], { env: tokenEnv });
    expect(write.code).toBe(1);
    expect(write.stderr).toMatch(/403 forbidden/);
  });

  it('attenuates to one app by id (offline) or by name (one lookup)', async () => {
    const org = (await hangar(['tokens', 'create', 'org', 'acme'], { env })).stdout.trim();
    const orgEnv = { ...env, HANGAR_API_TOKEN: org };
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
      const tokenEnv = { ...env, HANGAR_API_TOKEN: token };
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
    const org = (await hangar(['tokens', 'create', 'org', 'acme'], { env })).stdout.trim();
    const result = await hangar(
      ['tokens', 'create', 'readonly', '--from-existing', '-x', '24h', '--json'],
      {
        env: { ...env, HANGAR_API_TOKEN: org, HANGAR_API_URL: await closedUrl() },
      },
    );
    expect(result.code).toBe(0);
    const body = JSON.parse(result.stdout);
    expect(body.token).toMatch(TOKEN_RE);
    expect(body.caveats).toEqual(expect.arrayContaining([{ type: 'actions', actions: ['read'] }]));
    const tokenEnv = { ...env, HANGAR_API_TOKEN: body.token };
    expect((await hangar(['orgs', 'show', 'acme'], { env: tokenEnv })).code).toBe(0);
    expect((await hangar(['apps', 'create', 'acme-x', '-o', 'acme'], { env: tokenEnv })).code).toBe(
      1,
    );
  });

  it('refuses an attenuated token once its parent is revoked', async () => {
    const parent = JSON.parse(
      (await hangar(['tokens', 'create', 'org', 'acme', '--json'], { env })).stdout,
    );
    const child = (
      await hangar(['tokens', 'attenuate', '--read-only'], {
        env: { ...env, HANGAR_API_TOKEN: parent.token },
      })
    ).stdout.trim();
    expect((await hangar(['tokens', 'revoke', parent.id], { env })).code).toBe(0);
    const refused = await hangar(['orgs', 'show', 'acme'], {
      env: { ...env, HANGAR_API_TOKEN: child },
    });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/token_revoked/);
  });
});
