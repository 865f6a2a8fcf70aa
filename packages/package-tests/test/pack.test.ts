import { execFile } from 'node:child_process';
import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PUBLISHED_NAMES, publishedPackages, ROOT } from '../src/workspace.js';

const run = promisify(execFile);
const published = publishedPackages();
const TSC = join(ROOT, 'node_modules/typescript/bin/tsc');
const FIXTURES = new URL('./consumer/', import.meta.url).pathname;

let project = '';
/** The packed tarballs (full paths), one per published package. */
let tarballs: string[] = [];

/** Runs a command in the consumer project; rejects with its output when it exits non-zero. */
async function inProject(file: string, args: string[], env: NodeJS.ProcessEnv = {}) {
  try {
    return await run(file, args, { cwd: project, env: { ...process.env, ...env } });
  } catch (error) {
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
    throw new Error(`${file} ${args.join(' ')} failed:\n${stdout}${stderr}`);
  }
}

/**
 * The published packages as npm users get them: `pnpm pack` (which turns `workspace:*` into the
 * real versions) of each, then `npm install` of the tarballs into a fresh project outside the
 * workspace, with --engine-strict so a dependency refusing our Node fails the install.
 */
beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'hangar-pack-'));
  project = join(dir, 'consumer');
  mkdirSync(project);
  await Promise.all(
    published.map((pkg) =>
      run('npx', ['-y', 'pnpm@12.4.2', 'pack', '--pack-destination', dir], { cwd: pkg.dir }),
    ),
  );
  tarballs = readdirSync(dir)
    .filter((name) => name.endsWith('.tgz'))
    .map((name) => join(dir, name));
  writeFileSync(join(project, 'package.json'), '{ "name": "consumer", "private": true }\n');
  cpSync(FIXTURES, project, { recursive: true });
  // --ignore-scripts: better-sqlite3's install script compiles it from source here (minutes on a
  // loaded 2-core machine); the workspace already built the same version for the same Node, so
  // its addon is copied in instead (nativeAddon). Our own packages have no install scripts.
  const flags = [
    '--prefer-offline',
    '--no-audit',
    '--no-fund',
    '--engine-strict',
    '--ignore-scripts',
  ];
  const deps = [...tarballs, '@types/node@20.19.43'];
  await inProject('npm', ['install', ...flags, ...deps]);
  const addon = nativeAddon();
  const target = join(project, 'node_modules/better-sqlite3');
  if (readJson(join(target, 'package.json')).version === addon.version) {
    cpSync(addon.build, join(target, 'build'), { recursive: true });
  } else {
    await inProject('npm', ['rebuild', 'better-sqlite3'], { JOBS: 'max' });
  }
}, 900_000);

function readJson(path: string): { version: string } {
  return JSON.parse(readFileSync(path, 'utf8'));
}

/** The workspace's better-sqlite3 (the mock server's): its version and its compiled build/. */
function nativeAddon(): { version: string; build: string } {
  const mock = published.find((pkg) => pkg.name === '@hangar/mock-server');
  const require = createRequire(join(mock?.dir ?? ROOT, 'package.json'));
  const root = dirname(require.resolve('better-sqlite3/package.json'));
  return { version: readJson(join(root, 'package.json')).version, build: join(root, 'build') };
}

afterAll(() => {
  if (project) rmSync(join(project, '..'), { recursive: true, force: true });
});

// tsc checks every .d.ts the public API reaches (kysely's among them): ~50 s each under load.
describe('the packed packages in a fresh npm project', { timeout: 300_000 }, () => {
  it('packs all five published packages', () => {
    expect(published.map((pkg) => pkg.name).sort()).toEqual(PUBLISHED_NAMES);
  });

  it('every tarball ships the MIT LICENSE of the repository root', async () => {
    // pnpm pack and publish add the workspace root's LICENSE to a package that has none.
    expect(tarballs).toHaveLength(published.length);
    for (const tarball of tarballs) {
      const { stdout: files } = await run('tar', ['-tzf', tarball]);
      expect(files.split('\n'), tarball).toContain('package/LICENSE');
    }
    const license = readFileSync(join(ROOT, 'LICENSE'), 'utf8');
    expect(license).toMatch(/^MIT License\n\nCopyright \(c\) 2026 Hangar contributors\n/);
    for (const tarball of tarballs) {
      const { stdout } = await run('tar', ['-xzOf', tarball, 'package/LICENSE']);
      expect(stdout, tarball).toBe(license);
    }
  });

  it.each(['nodenext', 'bundler'])(
    'their public types compile with skipLibCheck: false under module resolution %s',
    async (resolution) => {
      await inProject(process.execPath, [TSC, '-p', `tsconfig.${resolution}.json`]);
    },
  );

  it.each([
    ['import', 'esm.mjs'],
    ['require()', 'cjs.cjs'],
  ])(
    'load with %s: mint and verify a token, start the mock, list apps with the SDK',
    async (_how, script) => {
      const { stdout } = await inProject(process.execPath, [script]);
      expect(JSON.parse(stdout)).toEqual({
        allowed: true,
        denied: false,
        apps: ['acme-api', 'acme-web'],
      });
    },
  );

  it.each([
    ['hangar', '@hangar/cli'],
    ['hangar-mock', '@hangar/mock-server'],
  ])('npx %s --version prints the version of %s', async (bin, name) => {
    const version = published.find((pkg) => pkg.name === name)?.version;
    const { stdout } = await inProject('npx', ['--no', '--', bin, '--version']);
    expect(stdout).toMatch(new RegExp(`^${name}/${version?.replaceAll('.', '\\.')} `));
  });
});
