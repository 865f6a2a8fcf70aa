import { spawn, spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { BIN, hangar, type RunResult, useMockServer } from '../helpers.js';

/** util-linux `script`: runs a command on a pseudo-terminal, so the CLI can ask and be answered. */
const hasScript = spawnSync('script', ['--version']).status === 0;

/**
 * Runs `hangar ...args` with standard input a terminal, on which `keys` are typed once the
 * question is shown (typed earlier, a Ctrl-C would reach the terminal before the prompt reads it).
 */
function atTerminal(args: string[], env: Record<string, string>, keys: string) {
  const command = [process.execPath, BIN, ...args].map((a) => `'${a}'`).join(' ');
  return new Promise<RunResult>((resolve, reject) => {
    const child = spawn('script', ['-qec', command, '/dev/null'], {
      // Only what the run needs: no HANGAR_*, DEBUG or colour settings from the parent.
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env },
    });
    let stdout = '';
    let typed = false;
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
      if (!typed && stdout.includes('to confirm: ')) {
        typed = true;
        child.stdin.write(keys);
      }
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr: '' }));
  });
}

describe('trust-policies delete asks for the id to be typed, as apps destroy does', () => {
  const mock = useMockServer();

  /** A new policy of acme trusting the mock's own test issuer; its id. */
  async function newPolicy(): Promise<string> {
    const created = await hangar(
      [
        'trust-policies',
        'create',
        '-o',
        'acme',
        '-n',
        'ci',
        '--issuer',
        `${mock.server.url}/_oidc`,
        '--audience',
        'https://hangar.cli.test',
        '-c',
        'sub=repo:acme/web:*',
        '--kind',
        'org',
        '--json',
      ],
      { env: mock.env },
    );
    expect(created.code).toBe(0);
    return JSON.parse(created.stdout).id;
  }

  const exists = async (id: string) =>
    (await hangar(['trust-policies', 'show', id, '-o', 'acme'], { env: mock.env })).code === 0;

  it('without a terminal and without --yes: exit 2 saying to pass --yes, nothing deleted', async () => {
    const id = await newPolicy();
    const refused = await hangar(['trust-policies', 'delete', id, '-o', 'acme'], {
      env: mock.env,
    });
    expect(refused).toEqual({
      code: 2,
      stdout: '',
      stderr: 'Error: Refusing to delete without confirmation: pass --yes.\n',
    });
    const json = await hangar(['trust-policies', 'delete', id, '-o', 'acme', '--json'], {
      env: mock.env,
    });
    expect(json.code).toBe(2);
    expect(JSON.parse(json.stdout).error).toMatchObject({
      code: 'usage_error',
      message: expect.stringContaining('pass --yes'),
    });
    expect(await exists(id)).toBe(true);

    const deleted = await hangar(['trust-policies', 'delete', id, '-o', 'acme', '--yes'], {
      env: mock.env,
    });
    expect(deleted.stdout).toBe(`Deleted trust policy ${id}.\n`);
    expect(await exists(id)).toBe(false);
  });

  it.skipIf(!hasScript)(
    'at a terminal: a wrong answer or Ctrl-C deletes nothing; the id deletes it',
    async () => {
      const id = await newPolicy();
      const args = ['trust-policies', 'delete', id, '-o', 'acme'];
      const wrong = await atTerminal(args, mock.env, 'tp_0000000000000000\n');
      expect(wrong.stdout).toContain(`Delete trust policy ${id} of acme? Type its id to confirm:`);
      expect(wrong.stdout).toContain('Error: Not confirmed; nothing was deleted.');
      expect(wrong.code).toBe(2);
      expect(await exists(id)).toBe(true);

      for (const json of [[], ['--json']]) {
        const cancelled = await atTerminal([...args, ...json], mock.env, '\x03');
        expect(cancelled.stdout).toContain('Error: Cancelled.');
        expect(cancelled.code).toBe(1);
        if (json.length) expect(cancelled.stdout).toContain('"code": "cli_error"');
      }
      expect(await exists(id)).toBe(true);

      const typed = await atTerminal(args, mock.env, `${id}\n`);
      expect(typed.stdout).toContain(`Deleted trust policy ${id}.`);
      expect(typed.code).toBe(0);
      expect(await exists(id)).toBe(false);
    },
  );
});
