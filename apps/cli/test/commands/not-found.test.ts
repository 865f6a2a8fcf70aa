import { describe, expect, it } from 'vitest';
import { hangar } from '../helpers.js';

describe('an unknown command without a terminal', () => {
  it('suggests the closest command on stderr and exits 2', async () => {
    const result = await hangar(['tokns', 'list']);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('Did you mean "tokens list"?');
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
  });

  it("points a wrong subcommand at its topic and that topic's commands", async () => {
    const result = await hangar(['tokens', 'create', 'orgs', 'acme']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('Did you mean "tokens create org"?');
    expect(result.stderr).toContain('"hangar tokens create --help"');
  });

  it('names an argument a command does not take, instead of calling the command unknown', async () => {
    const result = await hangar(['tokens', 'create', 'deploy', 'acme-web']);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(
      'Error: "hangar tokens create deploy" takes no argument "acme-web". Run "hangar tokens create deploy --help" for its arguments and flags.\n',
    );
  });
});
