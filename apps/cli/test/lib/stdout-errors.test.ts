import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { hangarProcess, useMockServer } from '../helpers.js';

// Real processes: how Node reports a failed write on file descriptor 1 is only seen there.
describe('standard output that cannot be written', () => {
  const mock = useMockServer();
  const noFullDevice = !existsSync('/dev/full');

  it
    .skipIf(noFullDevice)
    .each([
      [['tokens', 'list', '-o', 'acme']],
      [['tokens', 'list', '-o', 'acme', '--json']],
      [['--help']],
    ])(
    '%j > /dev/full: one error line, exit 1, no stack trace',
    async (args) => {
      const result = await hangarProcess(args, { env: mock.env, stdout: '/dev/full' });
      expect(result.code).toBe(1);
      expect(result.stderr).toBe(
        'Error: cannot write to standard output: ENOSPC: no space left on device, write\n',
      );
    },
    60_000,
  );

  it.each([
    [['tokens', 'list', '-o', 'acme']],
    [['tokens', 'list', '-o', 'acme', '--json']],
    [['--help']],
  ])(
    '%j into a pipe the reader closed: exits 0, quietly',
    async (args) => {
      const result = await hangarProcess(args, { env: mock.env, stdout: 'closed' });
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
    },
    60_000,
  );
});
