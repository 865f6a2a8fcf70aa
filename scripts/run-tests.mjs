#!/usr/bin/env node
// Runs every workspace test through turbo, then the quickstart, then prints the one closing line
// CI reads: "N passed, N failed", summed from each package's vitest JSON report
// (test-results.json), the quickstart counting as one test.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const packageDirs = ['packages', 'apps']
  .flatMap((group) =>
    existsSync(join(root, group))
      ? readdirSync(join(root, group)).map((name) => join(root, group, name))
      : [],
  )
  .filter((dir) => existsSync(join(dir, 'package.json')));

for (const dir of packageDirs) rmSync(join(dir, 'test-results.json'), { force: true });

const run = spawnSync(
  'pnpm',
  ['exec', 'turbo', 'run', 'test', '--continue', '--output-logs=full'],
  {
    cwd: root,
    stdio: 'inherit',
  },
);

let passed = 0;
let failed = 0;
const missing = [];
for (const dir of packageDirs) {
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  if (!pkg.scripts?.test) continue;
  const report = join(dir, 'test-results.json');
  if (!existsSync(report)) {
    missing.push(pkg.name);
    continue;
  }
  const result = JSON.parse(readFileSync(report, 'utf8'));
  passed += result.numPassedTests;
  failed += result.numFailedTests + (result.numFailedTestSuites ?? 0);
}
if (missing.length > 0) console.error(`no test report from: ${missing.join(', ')}`);

// The quickstart is the product's main job end to end (real mock server, real CLI): one more test.
console.log('\nquickstart (scripts/quickstart.mjs):');
const quickstart = spawnSync(process.execPath, [join(root, 'scripts/quickstart.mjs')], {
  cwd: root,
  stdio: 'inherit',
});
if (quickstart.status === 0) passed += 1;
else failed += 1;

console.log(`${passed} passed, ${failed} failed`);
const ok = run.status === 0 && failed === 0 && passed > 0 && missing.length === 0;
process.exit(ok ? 0 : 1);
