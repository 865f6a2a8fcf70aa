import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { publishedPackages, ROOT } from '../src/workspace.js';

const run = promisify(execFile);
const published = publishedPackages();
const libraries = published.filter((pkg) => pkg.exports || pkg.main);

/**
 * Are the types wrong (attw) on the packed package, for node10, node16 from CommonJS and from ESM,
 * and bundlers. `cjs-resolves-to-esm` is ignored because loading our ESM-only packages with
 * `require()` is supported: every package's engines ask for Node >=20.19, which loads ES modules
 * from `require()` unflagged, and TypeScript accepts it under `module: nodenext`; the packaging
 * test (pack.test.ts) requires each package from a CommonJS script to prove it.
 */
async function attw(dir: string): Promise<{ ok: boolean; output: string }> {
  const bin = join(ROOT, 'node_modules/.bin/attw');
  const args = [
    '--pack',
    dir,
    '--ignore-rules',
    'cjs-resolves-to-esm',
    '--format',
    'table-flipped',
  ];
  try {
    const { stdout, stderr } = await run(bin, args, { env: { ...process.env, NO_COLOR: '1' } });
    return { ok: true, output: stdout + stderr };
  } catch (error) {
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
    return { ok: false, output: stdout + stderr };
  }
}

describe('attw --pack', () => {
  it('every published package is a library with entry points, or a bin-only CLI', () => {
    const binOnly = published.filter((pkg) => !libraries.includes(pkg));
    expect(binOnly.map((pkg) => pkg.name)).toEqual(['@hangar/cli']);
    for (const pkg of binOnly) expect(Object.keys(pkg.bin ?? {})).not.toEqual([]);
  });

  it.concurrent.each(libraries.map((pkg) => [pkg.name, pkg.dir]))(
    '%s: types resolve for node10, node16 (CJS and ESM) and bundlers',
    async (_name, dir) => {
      const { ok, output } = await attw(dir);
      expect(output).toContain('No problems found');
      expect(ok).toBe(true);
    },
    // attw runs npm pack, then TypeScript's resolver four ways: ~90 s each under load.
    300_000,
  );
});
