import { describe, expect, it } from 'vitest';
import { hangar, useMockServer } from '../../helpers.js';

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
