import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { startServer, useTempDir } from './helpers.js';

const BIN = fileURLToPath(new URL('../bin/hangar-mock.js', import.meta.url));

const dir = useTempDir('hangar-mock-dir-');

/** Runs the binary to completion (killed after 30 s: a hang fails the test instead of blocking it). */
function runBinary(args: string[]) {
  const result = spawnSync(process.execPath, [BIN, '--port', '0', ...args], {
    encoding: 'utf8',
    timeout: 30_000,
  });
  return {
    code: result.status,
    signal: result.signal,
    stdout: result.stdout,
    stderr: result.stderr,
  };
}

describe('a data directory that cannot be used', () => {
  it('under a regular file: start-up fails with one line naming it, exit 1', () => {
    const file = join(dir.path, 'a-file');
    writeFileSync(file, 'not a directory');
    const result = runBinary(['--data-dir', join(file, 'sub')]);
    expect(result).toMatchObject({ code: 1, signal: null, stdout: '' });
    expect(result.stderr).toBe(
      `hangar-mock: cannot use data directory ${join(file, 'sub')}: not a directory (ENOTDIR)\n`,
    );
  });

  it('a regular file itself: refused', async () => {
    const file = join(dir.path, 'a-file');
    writeFileSync(file, 'not a directory');
    await expect(startServer({ dataDir: file })).rejects.toThrow(
      `cannot use data directory ${file}: not a directory`,
    );
  });

  it.runIf(existsSync('/proc/self'))('/proc/nope: fails fast instead of hanging', () => {
    const result = runBinary(['--data-dir', '/proc/nope']);
    expect(result).toMatchObject({ code: 1, signal: null });
    expect(result.stderr).toMatch(/^hangar-mock: cannot use data directory \/proc\/nope: .+\n$/);
  });

  it('missing parents are still created', async () => {
    const server = await startServer({ dataDir: join(dir.path, 'a', 'b', 'c') });
    await server.close();
    expect(existsSync(join(dir.path, 'a', 'b', 'c', 'hangar.db'))).toBe(true);
  });
});
