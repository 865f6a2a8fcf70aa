#!/usr/bin/env node
// Type-checks and tests every workspace package through turbo, runs the tests of these scripts,
// then the quickstart, and prints the one closing line CI reads: "N passed, N failed", summed
// from each vitest JSON report (test-results.json, counted by scripts/test-report.mjs), the
// type-check of the workspace and the quickstart counting as one test each.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { closingLine, countReport } from './test-report.mjs';

const root = new URL('..', import.meta.url).pathname;
const rootPackage = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const packageDirs = ['packages', 'apps']
  .flatMap((group) =>
    existsSync(join(root, group))
      ? readdirSync(join(root, group)).map((name) => join(root, group, name))
      : [],
  )
  .filter((dir) => existsSync(join(dir, 'package.json')));
const scriptsDir = join(root, 'scripts');

// Output piped to a file (CI logs) or NO_COLOR set: no ANSI escapes from turbo, vitest or tsc
// (https://no-color.org; vitest honours NO_COLOR, turbo takes --color/--no-color).
const color = process.stdout.isTTY === true && !('NO_COLOR' in process.env);
const env = { ...process.env };
if (!color) {
  env.NO_COLOR = '1';
  delete env.FORCE_COLOR;
}

/** `pnpm` when it is on PATH (started by pnpm), else the pinned one through npx (plain npm). */
function pnpmCommand() {
  const probe = spawnSync('pnpm', ['--version'], { stdio: 'ignore' });
  if (!probe.error) return ['pnpm'];
  return ['npx', '-y', rootPackage.packageManager];
}

/** Runs a command with inherited output; a command that cannot start ends the run, saying why. */
function run(command, args, options = {}) {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', env, ...options });
  if (result.error) {
    console.error(`cannot start ${[command, ...args].join(' ')}: ${result.error.message}`);
    process.exit(1);
  }
  return result;
}

for (const dir of [...packageDirs, scriptsDir]) {
  rmSync(join(dir, 'test-results.json'), { force: true });
}

const [pnpm, ...pnpmArgs] = pnpmCommand();
/** `turbo run <task>` in every package, all of them even when one fails. */
const turboRun = (task) =>
  run(pnpm, [
    ...pnpmArgs,
    'exec',
    'turbo',
    'run',
    task,
    '--continue',
    '--output-logs=full',
    color ? '--color' : '--no-color',
  ]);
// tsc over src, test and bench of every package: type errors in tests (and expectTypeOf) fail CI.
const typecheck = turboRun('typecheck');
const turbo = turboRun('test');
const scripts = run(process.execPath, [
  join(root, 'node_modules/vitest/vitest.mjs'),
  'run',
  '--config',
  join(scriptsDir, 'vitest.config.mjs'),
]);

let passed = 0;
let failed = 0;
const missing = [];
const reportDirs = [
  ...packageDirs.filter(
    (dir) => JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).scripts?.test,
  ),
  scriptsDir,
];
for (const dir of reportDirs) {
  const report = join(dir, 'test-results.json');
  if (!existsSync(report)) {
    missing.push(dir.slice(root.length));
    continue;
  }
  const count = countReport(JSON.parse(readFileSync(report, 'utf8')));
  passed += count.passed;
  failed += count.failed;
  for (const file of count.brokenFiles) {
    console.error(`failed without a failed test: ${file.name}: ${file.message}`);
  }
}
if (missing.length > 0) console.error(`no test report from: ${missing.join(', ')}`);
if (turbo.status !== 0) console.error('turbo run test failed (see its output above)');
if (typecheck.status === 0) passed += 1;
else {
  failed += 1;
  console.error('turbo run typecheck failed (see its output above)');
}

// The quickstart is the product's main job end to end (real mock server, real CLI): one more test.
console.log('\nquickstart (scripts/quickstart.mjs):');
const quickstart = run(process.execPath, [join(root, 'scripts/quickstart.mjs')]);
if (quickstart.status === 0) passed += 1;
else failed += 1;

console.log(closingLine({ passed, failed }));
const ok =
  turbo.status === 0 && scripts.status === 0 && failed === 0 && passed > 0 && missing.length === 0;
process.exit(ok ? 0 : 1);
