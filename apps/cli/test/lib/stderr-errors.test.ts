import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { hangarProcess, useMockServer } from '../helpers.js';

// Real processes: how Node reports a failed write on file descriptor 2 is only seen there.
describe('standard error that cannot be written', () => {
  const mock = useMockServer();
  const noFullDevice = !existsSync('/dev/full');
  const acme = expect.objectContaining({ slug: 'acme' });

  it.each([[['orgs', 'list', '--verbose']], [['orgs', 'list', '--verbose', '--json']]])(
    '%j with a stderr pipe the reader closed: the output still comes, exit 0',
    async (args) => {
      const result = await hangarProcess(args, { env: mock.env, stderr: 'closed' });
      expect(result.code).toBe(0);
      if (args.includes('--json')) expect(JSON.parse(result.stdout)).toContainEqual(acme);
      else expect(result.stdout).toMatch(/^acme\s/m);
    },
    60_000,
  );

  it('a failure keeps its own exit code (usage: 2) and its JSON error', async () => {
    const args = ['orgs', 'list', '--api-url', 'ftp://x', '--json'];
    const result = await hangarProcess(args, { env: mock.env, stderr: 'closed' });
    expect(result.code).toBe(2);
    expect(JSON.parse(result.stdout).error.code).toBe('usage_error');
  }, 60_000);

  it.skipIf(noFullDevice)(
    '2> /dev/full: the output still comes, then exit 1 (the diagnostics were lost)',
    async () => {
      const args = ['orgs', 'list', '--verbose', '--json'];
      const result = await hangarProcess(args, { env: mock.env, stderr: '/dev/full' });
      expect(JSON.parse(result.stdout)).toContainEqual(acme);
      expect(result.code).toBe(1);
    },
    60_000,
  );
});
