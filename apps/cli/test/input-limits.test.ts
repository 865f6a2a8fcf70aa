// What the CLI reads from standard input or an --id-token file (a token, an ID token, a password)
// is at most 16 KiB, and reading stops at 64 KiB: `< /dev/zero`, a log file or an endless producer
// piped in by mistake is one usage error (exit 2) at once, not a run that grows until the machine
// runs out of memory (before: 1.2 GB after 6 s of `hangar tokens inspect - < /dev/zero`).
import { spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BIN, hangar, type RunResult, tempConfigDir } from './helpers.js';

const TOO_LONG = /holds more than 64 KiB, more than any token, ID token or password/;

/**
 * Runs `hangar ...args` as a process whose standard input is /dev/zero (endless). A run still
 * reading after 20 s is killed, so the assertions fail instead of the machine filling up.
 */
function withEndlessStdin(args: string[], env: Record<string, string>): Promise<RunResult> {
  const zero = openSync('/dev/zero', 'r');
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      env: { PATH: process.env.PATH ?? '', ...env },
      stdio: [zero, 'pipe', 'pipe'],
      timeout: 20_000,
    });
    closeSync(zero);
    let stdout = '';
    let stderr = '';
    child.stdout?.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
    });
    child.stderr?.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('standard input and --id-token files are read up to 64 KiB', () => {
  const env = { HANGAR_API_URL: 'http://127.0.0.1:4280' };

  it.each([
    ['tokens inspect -', ['tokens', 'inspect', '-']],
    ['auth login (a piped token)', ['auth', 'login']],
    [
      'auth login --password-stdin',
      ['auth', 'login', '--email', 'dev@hangar.local', '--password-stdin'],
    ],
    [
      'auth exchange --id-token -',
      ['auth', 'exchange', '-o', 'acme', '-a', 'acme-web', '--id-token', '-'],
    ],
  ])(
    '%s with /dev/zero on standard input: exit 2 at once, naming the limit',
    async (_, args) => {
      const config = await tempConfigDir();
      try {
        const run = await withEndlessStdin(args, { ...env, HANGAR_CONFIG_DIR: config.dir });
        expect(run.stderr).toMatch(new RegExp(`^Error: Standard input ${TOO_LONG.source}`));
        expect(run.code).toBe(2);
        expect(run.stdout).toBe('');
      } finally {
        await config.cleanup();
      }
    },
    60_000,
  );

  it('auth exchange --id-token /dev/zero: exit 2, naming the file, nothing sent', async () => {
    const run = await hangar(
      ['auth', 'exchange', '-o', 'acme', '-a', 'acme-web', '--id-token', '/dev/zero', '--json'],
      { env },
    );
    expect(run.stderr).toMatch(new RegExp(`^Error: The --id-token file ${TOO_LONG.source}`));
    expect(run.code).toBe(2);
    expect(JSON.parse(run.stdout).error.code).toBe('usage_error');
  });

  it('8 MiB piped to tokens inspect -: refused for its size, not read as a malformed token', async () => {
    const run = await hangar(['tokens', 'inspect', '-'], {
      env,
      input: 'x'.repeat(8 * 1024 * 1024),
    });
    expect(run.stderr).toMatch(new RegExp(`^Error: Standard input ${TOO_LONG.source}`));
    expect(run.code).toBe(2);
  });
});
