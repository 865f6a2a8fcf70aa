import { describe, expect, it } from 'vitest';
import { hangar } from '../helpers.js';

const ESC = String.fromCharCode(27);

describe('colour', () => {
  it.each([
    [['tokens', '--help'], {}],
    [['tokens', '--help'], { HANGAR_DISABLE_HELP_CACHE: '1' }],
    [['tokns', 'list'], {}],
    [['tokens', 'list', '--bogus'], {}],
  ])('%j %j prints no ANSI escape when stdout is not a terminal', async (args, extra) => {
    const env = { TERM: 'xterm-256color', COLORTERM: 'truecolor', ...extra };
    const result = await hangar(args, { env });
    expect(result.stdout + result.stderr).not.toContain(ESC);
  });

  // In real processes: colour support is detected once per process, at import.
  it('NO_COLOR wins over FORCE_COLOR, in the help cache and in oclif alike', async () => {
    for (const extra of [{}, { HANGAR_DISABLE_HELP_CACHE: '1' }]) {
      const env = { FORCE_COLOR: '1', NO_COLOR: '1', ...extra };
      const result = await hangar(['tokens', 'list', '--help'], { env, process: true });
      expect(result.stdout).toContain('USAGE');
      expect(result.stdout).not.toContain(ESC);
    }
    const forced = await hangar(['tokens', 'list', '--help'], {
      env: { FORCE_COLOR: '1' },
      process: true,
    });
    expect(forced.stdout).toContain(ESC);
  });
});
