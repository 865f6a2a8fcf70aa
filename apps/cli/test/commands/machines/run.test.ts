import { describe, expect, it } from 'vitest';
import { admin, hangar, useMockServer } from '../../helpers.js';

describe('machines run --region', () => {
  const mock = useMockServer();

  it('refuses a region the contract does not list (exit 2), naming the valid ones, before any request', async () => {
    const result = await hangar(
      ['machines', 'run', '-a', 'acme-web', '--image', 'nginx:1.27', '--region', 'xxx'],
      { env: mock.env },
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('xxx');
    expect(result.stderr).toMatch(/ams.*iad.*yyz/s);
    const list = await hangar(['machines', 'list', '-a', 'acme-web', '-j'], { env: mock.env });
    expect(JSON.parse(list.stdout)).toEqual([]);
  });

  it('without --image says which flag is missing, as a flag (exit 2)', async () => {
    const result = await hangar(['machines', 'run', '-a', 'acme-web'], { env: mock.env });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('Error: Missing required flag --image (see --help)\n');
  });

  it('runs in a listed region', async () => {
    const result = await hangar(
      ['machines', 'run', '-a', 'acme-web', '--image', 'nginx:1.27', '-r', 'cdg', '-j'],
      { env: mock.env },
    );
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ region: 'cdg', state: 'started' });
  });

  it('lists the regions in its help', async () => {
    const result = await hangar(['machines', 'run', '--help'], { env: mock.env });
    expect(result.stdout).toMatch(/--region=<option>[\s\S]*<options: ams\|arn\|/);
  });
});

describe('machines run, stop, start, show, list and destroy', () => {
  const mock = useMockServer();

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

describe('machines run --idempotency-key, when the answer is lost', () => {
  const mock = useMockServer();

  it('a drop after the commit says it may have been applied and how to retry; the rerun with the key returns the same machine, and only one exists', async () => {
    // Every attempt of the first run (1 + the SDK's 2 retries) loses its answer after the commit.
    await admin(mock.server.url, mock.server.adminKey, 'faults', {
      operation_id: 'createMachine',
      drop: 'after',
      times: 3,
    });
    const args = ['machines', 'run', '-a', 'acme-web', '--image', 'nginx:1.27'];
    const key = ['--idempotency-key', 'deploy-42-machine'];
    const first = await hangar([...args, ...key], { env: mock.env });
    expect(first.code).toBe(1);
    expect(first.stderr).toContain('the POST may have been applied');
    expect(first.stderr).toContain(
      'Rerun with the same key to retry safely, --idempotency-key deploy-42-machine',
    );
    expect(first.stderr).not.toContain('Is the server running?');
    const again = await hangar([...args, ...key, '--json'], { env: mock.env });
    expect(again.code).toBe(0);
    const list = await hangar(['machines', 'list', '-a', 'acme-web', '-j'], { env: mock.env });
    const machines = JSON.parse(list.stdout) as { id: string }[];
    expect(machines.map((m) => m.id)).toEqual([JSON.parse(again.stdout).id]);
  }, 60_000);

  it('without --idempotency-key, names the random key it sent, so the rerun is still safe', async () => {
    await admin(mock.server.url, mock.server.adminKey, 'faults', {
      operation_id: 'createApp',
      drop: 'after',
      times: 3,
    });
    const first = await hangar(['apps', 'create', 'lost-answer', '-o', 'acme'], { env: mock.env });
    expect(first.code).toBe(1);
    const key = /--idempotency-key (\S+):/.exec(first.stderr)?.[1];
    expect(key).toMatch(/^[0-9a-f-]{36}$/);
    const again = await hangar(
      ['apps', 'create', 'lost-answer', '-o', 'acme', '--idempotency-key', key as string],
      { env: mock.env },
    );
    expect([again.code, again.stderr]).toEqual([0, '']);
    expect(again.stdout).toContain('Created app lost-answer in acme');
  }, 60_000);
});
