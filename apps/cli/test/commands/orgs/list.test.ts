import { describe, expect, it } from 'vitest';
import { hangar, useMockServer } from '../../helpers.js';

describe('orgs list and show', () => {
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
});
