import { describe, expect, it } from 'vitest';
import { hangar, hangarLine, useMockServer } from '../helpers.js';

describe('the token expiry warning', () => {
  const mock = useMockServer();

  it('warns once on stderr when the token expires within 7 days, never on stdout', async () => {
    const short = await hangarLine(['tokens', 'create', 'org', 'acme', '-x', '72h'], mock.env);
    const env = { ...mock.env, HANGAR_API_TOKEN: short };
    // Two tokens to revoke: two authenticated requests, still one warning.
    const first = await hangarLine(['tokens', 'create', 'readonly', 'acme', '-x', '1h', '-j'], env);
    const second = await hangarLine(
      ['tokens', 'create', 'readonly', 'acme', '-x', '1h', '-j'],
      env,
    );
    const ids = [JSON.parse(first).id, JSON.parse(second).id];
    const revoked = await hangar(['tokens', 'revoke', ...ids, '--json'], { env });
    expect(revoked.code).toBe(0);
    const warnings = revoked.stderr.split('\n').filter((line) => line.startsWith('Warning:'));
    expect(warnings).toEqual([
      expect.stringMatching(/^Warning: the token in use expires in (2|3) days \(\d{4}-.+Z\)\./),
    ]);
    expect(revoked.stdout).not.toContain('Warning');
    expect(() => JSON.parse(revoked.stdout)).not.toThrow();
  });

  it('says nothing for a token with more than 7 days left', async () => {
    const long = await hangarLine(['tokens', 'create', 'org', 'acme', '-x', '192h'], mock.env);
    const run = await hangar(['orgs', 'list'], { env: { ...mock.env, HANGAR_API_TOKEN: long } });
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
  });
});
