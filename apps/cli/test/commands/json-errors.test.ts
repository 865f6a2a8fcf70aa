import { describe, expect, it } from 'vitest';
import { hangar, useMockServer } from '../helpers.js';

describe('--json failures', () => {
  const mock = useMockServer();

  it('prints an API failure as one JSON error object on stdout, exit code unchanged', async () => {
    const plain = await hangar(['orgs', 'show', 'no-such-org'], { env: mock.env });
    const result = await hangar(['orgs', 'show', 'no-such-org', '--json'], { env: mock.env });
    expect(result.code).toBe(plain.code);
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout)).toEqual({
      error: {
        code: 'not_found',
        status: 404,
        message: expect.any(String),
        hint: expect.stringContaining('does not exist'),
        request_id: expect.stringMatching(/^req_[0-9a-f]{24}$/),
      },
    });
    // The same line on stderr, but for the request id of its own run.
    const ids = /req_[0-9a-f]{24}/g;
    expect(result.stderr.replace(ids, 'ID')).toBe(plain.stderr.replace(ids, 'ID'));
  });

  it('names the request id of a failed call in the error line, --json and --verbose (the same id)', async () => {
    const result = await hangar(['orgs', 'show', 'no-such-org', '--json', '--verbose'], {
      env: mock.env,
    });
    expect(result.code).toBe(1);
    const id = JSON.parse(result.stdout).error.request_id;
    expect(id).toMatch(/^req_[0-9a-f]{24}$/);
    const lines = result.stderr.trim().split('\n');
    expect(lines.at(-1)).toContain(`(404 not_found, request ${id}). Hint:`);
    expect(lines).toContainEqual(
      expect.stringMatching(
        new RegExp(
          `^\\[verbose\\] GET \\S+/v1/orgs/no-such-org -> 404 \\(\\d+ ms, request ${id}\\)$`,
        ),
      ),
    );
  });

  it('prints a usage error (a flag that failed to parse) the same way, exit 2', async () => {
    const result = await hangar(['tokens', 'list', '-j', '--scope'], { env: mock.env });
    expect(result.code).toBe(2);
    expect(JSON.parse(result.stdout)).toMatchObject({
      error: { code: 'usage_error', status: null, hint: null, request_id: null },
    });
  });

  it.each([
    ['a missing required flag', ['machines', 'run', '-a', 'acme-web', '-j']],
    ['several missing required flags', ['trust-policies', 'create', '-o', 'acme', '-j']],
    ['a missing argument', ['apps', 'create', '-j']],
    ['an unknown flag', ['tokens', 'create', 'org', 'acme', '--bogus', '-j']],
    ['a value outside the options', ['tokens', 'list', '-s', 'weird', '-j']],
  ])('says in the JSON message what the stderr line says: %s', async (_, args) => {
    const result = await hangar(args, { env: mock.env });
    expect(result.code).toBe(2);
    const { message } = JSON.parse(result.stdout).error;
    // The stderr line alone adds "Error: " and, for oclif's own errors, " (see --help)".
    expect(`Error: ${message}`).toBe(result.stderr.trim().replace(/ \(see --help\)$/, ''));
    expect(message).not.toMatch(/following errors? occurred|Missing required flag [a-z]|\s{2}/);
  });

  it('leaves the output of tokens revoke -j as one JSON document', async () => {
    const result = await hangar(['tokens', 'revoke', 'nope', '-j'], { env: mock.env });
    expect(result.code).toBe(2);
    expect(JSON.parse(result.stdout)).toEqual([
      expect.objectContaining({ id: 'nope', result: 'failed' }),
    ]);
  });

  it('prints an unknown command (tokns list --json) as the JSON error envelope, exit 2', async () => {
    const result = await hangar(['tokns', 'list', '--json'], { env: mock.env });
    expect(result.code).toBe(2);
    expect(JSON.parse(result.stdout)).toEqual({
      error: {
        code: 'usage_error',
        status: null,
        message: expect.stringContaining('Did you mean "tokens list"?'),
        hint: null,
        request_id: null,
      },
    });
    expect(result.stderr).toContain('"tokns list" is not a hangar command');
    const plain = await hangar(['tokns', 'list'], { env: mock.env });
    expect(plain.stdout).toBe('');
  });
});
