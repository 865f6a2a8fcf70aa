import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { startServer, useTempDir, withServer } from './helpers.js';

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

describe('a data directory other users can access', () => {
  it('is tightened to 0700, with a warning in the log; one already private is left alone', async () => {
    const data = join(dir.path, 'data');
    mkdirSync(data);
    chmodSync(data, 0o777);
    const lines: string[] = [];
    const logDestination = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
        done();
      },
    });
    await withServer({ dataDir: data, logLevel: 'warn', logDestination }, async () => {
      expect(statSync(data).mode & 0o777).toBe(0o700);
    });
    const warnings = lines.map((line) => JSON.parse(line) as { level: number; msg: string });
    expect(warnings).toEqual([
      expect.objectContaining({
        level: 40,
        msg: `data directory ${data} was accessible to other users (mode 0777); changed it to 0700`,
      }),
    ]);
    lines.length = 0;
    await (await startServer({ dataDir: data, logLevel: 'warn', logDestination })).close();
    expect(lines).toEqual([]);
  });
});
