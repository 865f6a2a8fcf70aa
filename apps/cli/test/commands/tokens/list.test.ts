import { describe, expect, it } from 'vitest';
import { hangar, useMockServer } from '../../helpers.js';

describe('tokens list fits the terminal, and is not cut when piped', () => {
  const mock = useMockServer();

  it('piped (no terminal, no $COLUMNS) it cuts nothing, as gh does; with $COLUMNS it fits that width', async () => {
    const env = mock.env;
    const name = 'A token with a name long enough to need cutting down to size';
    expect((await hangar(['tokens', 'create', 'org', 'acme', '-n', name], { env })).code).toBe(0);
    const piped = await hangar(['tokens', 'list', '-o', 'acme'], {
      env: { ...env, COLUMNS: undefined },
    });
    expect(piped.code).toBe(0);
    expect(piped.stdout).toContain(name);
    expect(piped.stdout).not.toContain('…');
    expect(piped.stdout.split('\n')[0]).toMatch(/CREATED AT\s+EXPIRES AT.*REVOKED AT$/);
    const narrow = await hangar(['tokens', 'list', '-o', 'acme'], {
      env: { ...env, COLUMNS: '80' },
    });
    expect(narrow.code).toBe(0);
    const lines = narrow.stdout.trimEnd().split('\n');
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(80);
    expect(lines[0]).toMatch(/^ID\s+NAME\s+KIND\s+STATUS/);
    expect(narrow.stdout).toContain('…');
    const wide = await hangar(['tokens', 'list', '-o', 'acme'], {
      env: { ...env, COLUMNS: '300' },
    });
    expect(wide.stdout).toContain(name);
    expect(wide.stdout.split('\n')[0]).toMatch(/REVOKED AT$/);
    const json = await hangar(['tokens', 'list', '-o', 'acme', '--json'], { env });
    expect(JSON.parse(json.stdout)).toContainEqual(expect.objectContaining({ name }));
  });
});

describe('tokens list without an app', () => {
  const mock = useMockServer();

  it('-s app -o ORG does not suggest --org, which was given, but --scope org', async () => {
    const env = { ...mock.env, HANGAR_APP: undefined };
    const result = await hangar(['tokens', 'list', '-s', 'app', '-o', 'acme'], { env });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      'Error: Scope "app" needs an app: pass --app APP or set HANGAR_APP (or pass --scope org to list the tokens of organization acme).\n',
    );
    const none = await hangar(['tokens', 'list', '-s', 'app'], { env });
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('(or pass --org ORG to list org tokens)');
  });
});
