import { describe, expect, it } from 'vitest';
import { hangar, useMockServer } from '../../helpers.js';

describe('apps create, show, list and destroy', () => {
  const mock = useMockServer();

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
});
