import { startMockServer } from '@hangar/mock-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hangar, hangarLine, TOKEN_RE, tempConfigDir } from '../../../helpers.js';

type Server = Awaited<ReturnType<typeof startMockServer>>;

describe('org token life cycle through the CLI', () => {
  let server: Server;
  let env: Record<string, string>;
  let cleanup: () => Promise<void>;

  beforeAll(async () => {
    server = await startMockServer({ port: 0, memory: true });
    const config = await tempConfigDir();
    cleanup = config.cleanup;
    env = { HANGAR_CONFIG_DIR: config.dir, HANGAR_API_URL: server.url };
    const login = await hangar(
      ['auth', 'login', '--email', 'dev@hangar.local', '--password-stdin'],
      {
        env,
        input: 'hangar-dev-password\n',
      },
    );
    expect(login.stderr).toBe('');
    expect(login.code).toBe(0);
    expect(login.stdout).toContain('dev@hangar.local');
  });

  afterAll(async () => {
    await server?.close();
    await cleanup?.();
  });

  it('creates, uses, lists, revokes and then refuses an org token', async () => {
    const created = await hangar(['tokens', 'create', 'org', 'acme', '-n', 'ci'], { env });
    expect(created.code).toBe(0);
    const lines = created.stdout.split('\n').filter(Boolean);
    expect(lines).toHaveLength(1);
    const token = lines[0] as string;
    expect(token).toMatch(TOKEN_RE);

    const orgEnv = { ...env, HANGAR_API_TOKEN: token };
    const apps = await hangar(['apps', 'list', '-o', 'acme'], { env: orgEnv });
    expect(apps.code).toBe(0);
    expect(apps.stdout).toMatch(/^NAME\s+ORG\s+ID\s+CREATED AT/m);
    expect(apps.stdout).toContain('acme-web');

    const whoami = await hangar(['auth', 'whoami', '--json'], { env: orgEnv });
    const viewer = JSON.parse(whoami.stdout);
    expect(viewer.token.kind).toBe('org');
    const id = viewer.token.id as string;

    // Every column shows on a wide terminal (tables fit $COLUMNS when it is set).
    const wide = { ...env, COLUMNS: '250' };
    const list = await hangar(['tokens', 'list', '-o', 'acme'], { env: wide });
    expect(list.code).toBe(0);
    expect(list.stdout.split('\n')[0]).toMatch(
      /^ID\s+NAME\s+KIND\s+STATUS\s+CREATED BY\s+CREATED AT\s+EXPIRES AT\s+LAST USED\s+REVOKED AT$/,
    );
    const row = list.stdout.split('\n').find((l) => l.startsWith(id));
    expect(row).toMatch(/ci\s+org\s+active\s+dev@hangar\.local/);

    const revoke = await hangar(['tokens', 'revoke', id], { env });
    expect(revoke.code).toBe(0);
    expect(revoke.stdout).toContain(`${id}: revoked`);
    expect(revoke.stdout).toMatch(/1 revoked, 0 already revoked, 0 failed/);

    const refused = await hangar(['apps', 'list', '-o', 'acme'], { env: orgEnv });
    expect(refused.code).toBe(1);
    expect(refused.stdout).toBe('');
    expect(refused.stderr.trim().split('\n')).toHaveLength(1);
    expect(refused.stderr).toMatch(/^Error: .*token_revoked/);

    const statusAfter = await hangar(['tokens', 'list', '-o', 'acme'], { env: wide });
    expect(statusAfter.stdout.split('\n').find((l) => l.startsWith(id))).toMatch(
      /ci\s+org\s+revoked\s+dev@hangar\.local/,
    );

    const listed = await hangar(['tokens', 'list', '-o', 'acme', '--json'], { env });
    const tokens = JSON.parse(listed.stdout) as {
      id: string;
      status: string;
      revoked_at: string | null;
    }[];
    const mine = tokens.find((t) => t.id === id);
    expect(mine?.status).toBe('revoked');
    expect(mine?.revoked_at).toMatch(/Z$/);
  });

  it('prints the token and its metadata with --json', async () => {
    const created = await hangar(['tokens', 'create', 'org', '-o', 'acme', '--json', '-x', '30d'], {
      env,
    });
    expect(created.code).toBe(0);
    const body = JSON.parse(created.stdout);
    expect(body.token).toMatch(TOKEN_RE);
    expect(body).toMatchObject({
      kind: 'org',
      org: 'acme',
      name: 'Org deploy token',
      status: 'active',
    });
    const lifetime = Date.parse(body.expires_at) - Date.parse(body.created_at);
    expect(Math.round(lifetime / 86_400_000)).toBe(30);
  });

  it('takes the org from HANGAR_ORG and the app from HANGAR_APP', async () => {
    const org = await hangar(['tokens', 'create', 'readonly', '--json'], {
      env: { ...env, HANGAR_ORG: 'acme' },
    });
    expect(org.code).toBe(0);
    expect(JSON.parse(org.stdout)).toMatchObject({ kind: 'readonly', name: 'Read-only org token' });
    const deploy = await hangar(['tokens', 'create', 'deploy', '--json'], {
      env: { ...env, HANGAR_APP: 'acme-web' },
    });
    expect(deploy.code).toBe(0);
    expect(JSON.parse(deploy.stdout)).toMatchObject({
      kind: 'deploy',
      app: 'acme-web',
      name: 'Deploy token',
    });
    const list = await hangar(['tokens', 'ls', '-a', 'acme-web'], { env });
    expect(list.stdout).toMatch(/Deploy token\s+deploy/);
  });

  it('follows every page of a long token list', async () => {
    // 105 deploy tokens (made directly over HTTP for speed): more than one page of 100, the
    // largest page the CLI asks for, so the list is only complete if it follows next_cursor.
    for (let i = 0; i < 105; i++) {
      const response = await fetch(`${server.url}/v1/apps/acme-api/tokens`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${server.devToken}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ name: `page-${String(i).padStart(3, '0')}` }),
      });
      expect(response.status).toBe(201);
    }
    const list = await hangar(['tokens', 'list', '-a', 'acme-api', '--json', '--verbose'], { env });
    expect(list.code).toBe(0);
    const tokens = JSON.parse(list.stdout) as { id: string; name: string }[];
    const names = tokens.map((t) => t.name).filter((n) => n.startsWith('page-'));
    expect(names.sort()).toEqual(
      Array.from({ length: 105 }, (_, i) => `page-${String(i).padStart(3, '0')}`),
    );
    expect(new Set(tokens.map((t) => t.id)).size).toBe(tokens.length);
    expect(list.stderr.match(/\/v1\/apps\/acme-api\/tokens\S* -> 200/g)?.length).toBeGreaterThan(1);
    const table = await hangar(['tokens', 'list', '-a', 'acme-api'], { env });
    expect(table.stdout.split('\n').filter((l) => l.startsWith('tok_')).length).toBe(tokens.length);
  });

  it('reports each id of a partial revoke and exits 1', async () => {
    const created = JSON.parse(
      (await hangar(['tokens', 'create', 'org', 'acme', '--json'], { env })).stdout,
    );
    const first = await hangar(['tokens', 'revoke', created.id], { env });
    expect(first.code).toBe(0);
    const again = await hangar(
      ['tokens', 'revoke', created.id, 'tok_00000000000000000000000000000000'],
      { env },
    );
    expect(again.code).toBe(1);
    expect(again.stdout).toContain(`${created.id}: already revoked`);
    expect(again.stdout).toContain('tok_00000000000000000000000000000000: not found');
    expect(again.stderr).toMatch(
      /^Error: Could not revoke 1 of 2 tokens \(0 revoked, 1 already revoked\)\.$/m,
    );
  });

  it('revokes the token in use with --current', async () => {
    const token = await hangarLine(['tokens', 'create', 'org', 'acme'], env);
    const current = await hangar(['tokens', 'revoke', '--current'], {
      env: { ...env, HANGAR_API_TOKEN: token },
    });
    expect(current.code).toBe(0);
    expect(current.stdout).toMatch(/revoked \(the token in use\)/);
    const after = await hangar(['auth', 'whoami'], { env: { ...env, HANGAR_API_TOKEN: token } });
    expect(after.code).toBe(1);
    expect(after.stderr).toMatch(/token_revoked/);
  });
});
