import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishedPackages, ROOT } from '../src/workspace.js';

const run = promisify(execFile);
const published = publishedPackages();
const TSC = join(ROOT, 'node_modules/typescript/bin/tsc');
const FIXTURES = new URL('./consumer/', import.meta.url).pathname;

let project = '';

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
  const tarballs = readdirSync(dir).filter((name) => name.endsWith('.tgz'));
  writeFileSync(join(project, 'package.json'), '{ "name": "consumer", "private": true }\n');
  cpSync(FIXTURES, project, { recursive: true });
  const flags = ['--prefer-offline', '--no-audit', '--no-fund', '--engine-strict'];
  const deps = [...tarballs.map((name) => join(dir, name)), '@types/node@20.19.43'];
  // better-sqlite3 compiles from source here; JOBS lets node-gyp use every core.
  await inProject('npm', ['install', ...flags, ...deps], { JOBS: 'max' });
}, 900_000);

afterAll(() => {
  if (project) rmSync(join(project, '..'), { recursive: true, force: true });
});

// tsc checks every .d.ts the public API reaches (kysely's among them): ~50 s each under load.
describe('the packed packages in a fresh npm project', { timeout: 300_000 }, () => {
  it('packs all four published packages', () => {
    expect(published.map((pkg) => pkg.name).sort()).toEqual([
      '@hangar/cli',
      '@hangar/mock-server',
      '@hangar/sdk',
      '@hangar/tokens',
    ]);
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
