import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { hangar, hangarProcess, useMockServer } from '../helpers.js';

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

  // A token just minted is shown once: standard output that cannot take it loses the only copy.
  // Exit 0 (the quiet EPIPE rule above) would tell a script it has a token while nobody does.
  it.each([
    ['tokens create org', ['tokens', 'create', 'org', 'acme']],
    ['tokens create deploy --json', ['tokens', 'create', 'deploy', '-a', 'acme-web', '--json']],
    ['tokens create readonly', ['tokens', 'create', 'readonly', 'acme']],
  ])(
    '%s into a pipe the reader closed: exit 1, naming the token to revoke',
    async (_, args) => {
      const name = `lost-${args[2]}-${args.length}`;
      const result = await hangarProcess([...args, '-n', name], {
        env: mock.env,
        stdout: 'closed',
      });
      const scope = args[2] === 'deploy' ? ['-a', 'acme-web'] : ['-o', 'acme'];
      const listed = await hangar(['tokens', 'list', ...scope, '--json'], { env: mock.env });
      const { id } = JSON.parse(listed.stdout).find((t: { name: string }) => t.name === name);
      expect(result.stderr).toBe(
        `Error: standard output could not take the token (EPIPE): token ${id} was created, but its secret is lost (it is shown only once). Revoke it: hangar tokens revoke ${id}\n`,
      );
      expect(result.code).toBe(1);
    },
    60_000,
  );

  it('tokens rotate into a pipe the reader closed: exit 1, saying how to get a new secret', async () => {
    const created = await hangar(['tokens', 'create', 'org', 'acme', '-n', 'to-rotate', '-j'], {
      env: mock.env,
    });
    const old = JSON.parse(created.stdout).id;
    const result = await hangarProcess(['tokens', 'rotate', old, '--grace', '1h'], {
      env: mock.env,
      stdout: 'closed',
    });
    const shown = await hangar(['tokens', 'show', old, '--json'], { env: mock.env });
    const fresh = JSON.parse(shown.stdout).replaced_by;
    expect(fresh).toMatch(/^tok_/);
    expect(result.stderr).toBe(
      `Error: standard output could not take the token (EPIPE): token ${fresh} replaced it, but its secret is lost (it is shown only once); ${old} is refused once its grace period ends. Get a new secret for it with a token that may rotate it (your login): hangar tokens rotate ${fresh}\n`,
    );
    expect(result.code).toBe(1);
    // The advice works: the new token rotates again, with its secret shown this time.
    const again = await hangar(['tokens', 'rotate', fresh], { env: mock.env });
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/^hangar_/);
  }, 60_000);
});
