import { describe, expect, it } from 'vitest';
import { hangar, useMockServer } from '../helpers.js';

/**
 * HANGAR_ORG, HANGAR_APP, HANGAR_API_URL and HANGAR_API_TOKEN are read by oclif (`env:` on the
 * flags). Precedence stays flag > environment > config, and an empty or blank variable counts as
 * unset.
 */
describe('flags read from the environment', () => {
  const mock = useMockServer();

  it('uses $HANGAR_ORG when --org is not typed, and treats a blank one as unset', async () => {
    const fromEnv = await hangar(['apps', 'list', '-j'], {
      env: { ...mock.env, HANGAR_ORG: 'acme' },
    });
    expect(fromEnv.code).toBe(0);
    const blank = await hangar(['apps', 'list'], { env: { ...mock.env, HANGAR_ORG: '  ' } });
    expect(blank.code).toBe(2);
    expect(blank.stderr).toContain('No organization given');
    const empty = await hangar(['apps', 'list'], { env: { ...mock.env, HANGAR_ORG: '' } });
    expect(empty.code).toBe(2);
    expect(empty.stderr).toContain('No organization given');
  });

  it('names $HANGAR_ORG, not --org, when the variable holds a bad slug', async () => {
    const result = await hangar(['apps', 'list'], { env: { ...mock.env, HANGAR_ORG: 'Acme' } });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('Invalid $HANGAR_ORG "Acme"');
  });

  it('lets the ORG argument override $HANGAR_ORG, but refuses a different typed --org', async () => {
    const env = { ...mock.env, HANGAR_ORG: 'dev-personal' };
    expect((await hangar(['orgs', 'show', 'acme'], { env })).stdout).toMatch(/Slug:\s+acme/);
    const both = await hangar(['orgs', 'show', 'acme', '--org', 'dev-personal'], { env });
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('Two different organizations given');
  });

  it('prefers a typed --app over $HANGAR_APP, and names the source of a bad app', async () => {
    const env = { ...mock.env, HANGAR_APP: 'BAD' };
    expect((await hangar(['machines', 'list', '-a', 'acme-web'], { env })).code).toBe(0);
    const bad = await hangar(['machines', 'list'], { env });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('Invalid $HANGAR_APP "BAD"');
  });

  it('tokens list: a typed --org means org scope even with $HANGAR_APP set', async () => {
    const env = { ...mock.env, HANGAR_APP: 'acme-web' };
    const org = JSON.parse((await hangar(['tokens', 'list', '-o', 'acme', '-j'], { env })).stdout);
    const app = JSON.parse((await hangar(['tokens', 'list', '-j'], { env })).stdout);
    expect(org.every((t: { kind: string }) => t.kind !== 'deploy')).toBe(true);
    expect(app.every((t: { kind: string }) => t.kind === 'deploy')).toBe(true);
  });

  it('a blank $HANGAR_API_URL counts as unset; --api-url beats it', async () => {
    const blank = await hangar(['orgs', 'list', '--verbose'], {
      env: { ...mock.env, HANGAR_API_URL: ' ', HANGAR_CONFIG_DIR: '/nonexistent-hangar' },
    });
    // Unset, and no config file: the default URL.
    expect(blank.stderr).toContain('[verbose] API http://127.0.0.1:4280,');
    const typed = await hangar(
      ['orgs', 'list', '-j', '--api-url', String(mock.env.HANGAR_API_URL)],
      {
        env: { ...mock.env, HANGAR_API_URL: 'http://127.0.0.1:9' },
      },
    );
    expect(typed.code).toBe(0);
  });

  it('shows the variable of each flag in help', async () => {
    const help = await hangar(['apps', 'list', '--help'], { env: mock.env });
    expect(help.stdout).toMatch(/--org=ORG\s+\[env: HANGAR_ORG\]/);
    expect(help.stdout).toMatch(/--access-token=TOKEN\s+\[env: HANGAR_API_TOKEN\]/);
  });
});
