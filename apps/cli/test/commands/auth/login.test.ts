import { describe, expect, it } from 'vitest';
import { hangar, useMockServer } from '../../helpers.js';

describe('auth login', () => {
  const mock = useMockServer();

  it('a piped password (not a token at all) is refused with the flags that read one', async () => {
    const env = { ...mock.env, HANGAR_API_TOKEN: undefined };
    for (const args of [
      ['auth', 'login'],
      ['auth', 'login', '--token', '-'],
    ]) {
      const result = await hangar(args, { env, input: 'hangar-dev-password\n' });
      expect(result.code).toBe(2);
      expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
      expect(result.stderr).toContain('does not start with "hangar_"');
      expect(result.stderr).toContain('Copy the whole token again');
      expect(result.stderr).toContain(
        'if you piped a password, run: hangar auth login --email EMAIL --password-stdin',
      );
      expect(result.stderr).not.toContain('hangar-dev-password');
    }
  });

  it('a truncated token is not taken for a password', async () => {
    const env = { ...mock.env, HANGAR_API_TOKEN: undefined };
    const truncated = mock.server.devToken.slice(0, -3);
    const result = await hangar(['auth', 'login'], { env, input: truncated });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('mistyped or truncated');
    expect(result.stderr).not.toContain('--password-stdin');
  });
});
