// A left-out argument is never read from standard input: oclif would otherwise take a missing
// argument from stdin whenever it is not a terminal, so `hangar` inside a `while read` loop would
// swallow the loop's remaining lines as that argument. Standard input is read only where a
// command says so ("-" for a token, --password-stdin).
import { describe, expect, it } from 'vitest';
import { hangar, hangarProcess, useMockServer } from './helpers.js';

describe('arguments are never read from standard input unless asked ("-")', () => {
  const mock = useMockServer();

  it('a command in a `while read` loop leaves the loop its lines (a real pipe)', async () => {
    const created = await hangarProcess(
      ['tokens', 'create', 'org', '-o', 'acme', '-n', 'loop-one', '--json'],
      { env: mock.env, input: 'loop-two\nloop-three\n' },
    );
    expect(created.stderr).toBe('');
    expect(created.code).toBe(0);
    expect(JSON.parse(created.stdout)).toMatchObject({ name: 'loop-one', org: 'acme' });
  }, 60_000);

  it('a left-out organization is asked for, not taken from piped text', async () => {
    const shown = await hangar(['orgs', 'show'], { env: mock.env, input: 'acme\n' });
    expect(shown.code).toBe(2);
    expect(shown.stdout).not.toMatch(/Acme Corp/);
  });

  it('"-" still reads the token from standard input', async () => {
    const inspected = await hangar(['tokens', 'inspect', '-', '--json'], {
      env: mock.env,
      input: `${mock.env.HANGAR_API_TOKEN}\n`,
    });
    expect(inspected.code).toBe(0);
    expect(JSON.parse(inspected.stdout).identifier).toMatch(/^tok_/);
  });
});
