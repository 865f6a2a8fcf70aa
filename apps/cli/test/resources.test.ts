import { startMockServer } from '@hangar/mock-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hangar, tempConfigDir } from './helpers.js';

type Server = Awaited<ReturnType<typeof startMockServer>>;

describe('orgs, apps and machines', () => {
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

  it('lists and shows organizations', async () => {
    const list = await hangar(['orgs', 'list'], { env });
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/^SLUG\s+NAME\s+TYPE\s+ROLE\s+ID$/m);
    expect(list.stdout).toMatch(/^acme\s+Acme Corp\s+shared/m);
    const json = JSON.parse((await hangar(['orgs', 'list', '-j'], { env })).stdout);
    expect(json.map((o: { slug: string }) => o.slug)).toEqual(
      expect.arrayContaining(['acme', 'dev-personal']),
    );
    const show = await hangar(['orgs', 'show', 'acme'], { env });
    expect(show.stdout).toMatch(/Slug:\s+acme/);
  });

  it('creates, shows, lists and destroys an app', async () => {
    const created = await hangar(['apps', 'create', 'acme-cli-test', '-o', 'acme'], { env });
    expect(created.code).toBe(0);
    expect(created.stdout).toMatch(/Created app acme-cli-test in acme/);
    const taken = await hangar(['apps', 'create', 'acme-cli-test', '-o', 'acme'], { env });
    expect(taken.code).toBe(1);
    expect(taken.stderr).toMatch(/409 conflict/);
    const show = JSON.parse(
      (await hangar(['apps', 'show', 'acme-cli-test', '--json'], { env })).stdout,
    );
    expect(show).toMatchObject({ name: 'acme-cli-test', org: 'acme' });
    expect((await hangar(['apps', 'list', '-o', 'acme'], { env })).stdout).toContain(
      'acme-cli-test',
    );
    const refused = await hangar(['apps', 'destroy', 'acme-cli-test'], { env });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/--yes/);
    const destroyed = await hangar(['apps', 'destroy', 'acme-cli-test', '--yes'], { env });
    expect(destroyed.code).toBe(0);
    expect((await hangar(['apps', 'show', 'acme-cli-test'], { env })).code).toBe(1);
  });

  it('runs, stops, starts, shows and destroys a machine', async () => {
    const run = JSON.parse(
      (
        await hangar(['machines', 'run', '-a', 'acme-web', '--image', 'nginx:1.27', '--json'], {
          env,
        })
      ).stdout,
    );
    expect(run).toMatchObject({
      app: 'acme-web',
      state: 'started',
      image: 'nginx:1.27',
      region: 'iad',
    });
    const stop = await hangar(['machines', 'stop', run.id, '-a', 'acme-web'], { env });
    expect(stop.stdout).toContain(`Machine ${run.id} is stopped.`);
    const start = await hangar(['machines', 'start', run.id, '-a', 'acme-web'], { env });
    expect(start.stdout).toContain('is started');
    const list = await hangar(['machines', 'list', '-a', 'acme-web'], { env });
    expect(list.stdout).toMatch(new RegExp(`^${run.id}\\s+started\\s+nginx:1.27\\s+iad`, 'm'));
    const show = await hangar(['machines', 'show', run.id], {
      env: { ...env, HANGAR_APP: 'acme-web' },
    });
    expect(show.stdout).toMatch(/State:\s+started/);
    expect((await hangar(['machines', 'destroy', run.id, '-a', 'acme-web'], { env })).code).toBe(0);
    const gone = await hangar(['machines', 'show', run.id, '-a', 'acme-web'], { env });
    expect(gone.code).toBe(1);
    expect(gone.stderr).toMatch(/404 not_found/);
  });

  it('needs an app for machine commands', async () => {
    const result = await hangar(['machines', 'list'], { env });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--app APP.*HANGAR_APP/);
  });
});
