import { describe, expect, it } from 'vitest';
import { hangar, useMockServer } from './helpers.js';

describe('orgs, apps and machines', () => {
  const mock = useMockServer();

  it('lists and shows organizations', async () => {
    const list = await hangar(['orgs', 'list'], { env: mock.env });
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/^SLUG\s+NAME\s+TYPE\s+ROLE\s+ID$/m);
    expect(list.stdout).toMatch(/^acme\s+Acme Corp\s+shared/m);
    const json = JSON.parse((await hangar(['orgs', 'list', '-j'], { env: mock.env })).stdout);
    expect(json.map((o: { slug: string }) => o.slug)).toEqual(
      expect.arrayContaining(['acme', 'dev-personal']),
    );
    const show = await hangar(['orgs', 'show', 'acme'], { env: mock.env });
    expect(show.stdout).toMatch(/Slug:\s+acme/);
  });

  it('creates, shows, lists and destroys an app', async () => {
    const created = await hangar(['apps', 'create', 'acme-cli-test', '-o', 'acme'], {
      env: mock.env,
    });
    expect(created.code).toBe(0);
    expect(created.stdout).toMatch(/Created app acme-cli-test in acme/);
    const taken = await hangar(['apps', 'create', 'acme-cli-test', '-o', 'acme'], {
      env: mock.env,
    });
    expect(taken.code).toBe(1);
    expect(taken.stderr).toMatch(/409 conflict/);
    const show = JSON.parse(
      (await hangar(['apps', 'show', 'acme-cli-test', '--json'], { env: mock.env })).stdout,
    );
    expect(show).toMatchObject({ name: 'acme-cli-test', org: 'acme' });
    expect((await hangar(['apps', 'list', '-o', 'acme'], { env: mock.env })).stdout).toContain(
      'acme-cli-test',
    );
    const refused = await hangar(['apps', 'destroy', 'acme-cli-test'], { env: mock.env });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/--yes/);
    const destroyed = await hangar(['apps', 'destroy', 'acme-cli-test', '--yes'], {
      env: mock.env,
    });
    expect(destroyed.code).toBe(0);
    expect((await hangar(['apps', 'show', 'acme-cli-test'], { env: mock.env })).code).toBe(1);
  });

  it('runs, stops, starts, shows and destroys a machine', async () => {
    const run = JSON.parse(
      (
        await hangar(['machines', 'run', '-a', 'acme-web', '--image', 'nginx:1.27', '--json'], {
          env: mock.env,
        })
      ).stdout,
    );
    expect(run).toMatchObject({
      app: 'acme-web',
      state: 'started',
      image: 'nginx:1.27',
      region: 'iad',
    });
    const stop = await hangar(['machines', 'stop', run.id, '-a', 'acme-web'], { env: mock.env });
    expect(stop.stdout).toContain(`Machine ${run.id} is stopped.`);
    const start = await hangar(['machines', 'start', run.id, '-a', 'acme-web'], { env: mock.env });
    expect(start.stdout).toContain('is started');
    const list = await hangar(['machines', 'list', '-a', 'acme-web'], { env: mock.env });
    expect(list.stdout).toMatch(new RegExp(`^${run.id}\\s+started\\s+nginx:1.27\\s+iad`, 'm'));
    const show = await hangar(['machines', 'show', run.id], {
      env: { ...mock.env, HANGAR_APP: 'acme-web' },
    });
    expect(show.stdout).toMatch(/State:\s+started/);
    const unconfirmed = await hangar(['machines', 'destroy', run.id, '-a', 'acme-web'], {
      env: mock.env,
    });
    expect(unconfirmed.code).toBe(2);
    expect(unconfirmed.stderr).toBe(
      'Error: Refusing to destroy without confirmation: pass --yes.\n',
    );
    const stillThere = await hangar(['machines', 'show', run.id, '-a', 'acme-web'], {
      env: mock.env,
    });
    expect(stillThere.code).toBe(0);
    const destroyed = await hangar(['machines', 'destroy', run.id, '-a', 'acme-web', '-y'], {
      env: mock.env,
    });
    expect(destroyed.code).toBe(0);
    expect(destroyed.stdout).toBe(`Destroyed machine ${run.id}.\n`);
    const gone = await hangar(['machines', 'show', run.id, '-a', 'acme-web'], { env: mock.env });
    expect(gone.code).toBe(1);
    expect(gone.stderr).toMatch(/404 not_found/);
  });

  it('needs an app for machine commands', async () => {
    const result = await hangar(['machines', 'list'], { env: mock.env });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--app APP.*HANGAR_APP/);
  });
});
