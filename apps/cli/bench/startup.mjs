#!/usr/bin/env node
// Cold start of the built `hangar` binary beside `node -e 0`, measured in the same run so the
// ratio means something on a shared, noisy machine. Not a timed test: it prints a table.
//
//   node apps/cli/bench/startup.mjs [--runs 15] [--json]
//
// Each case runs as a fresh process (no warm module cache besides the OS page cache); runs are
// interleaved (A, B, C, A, B, C, ...) so background load hits every case alike. Target (issue 5):
// each hangar case at most 2.0x `node -e 0`.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const runArg = process.argv.indexOf('--runs');
const RUNS = runArg > 0 ? Number(process.argv[runArg + 1]) : 15;
const bin = fileURLToPath(new URL('../bin/run.js', import.meta.url));

const cases = [
  { name: 'node -e 0', args: ['-e', '0'] },
  { name: 'hangar --version', args: [bin, '--version'] },
  { name: 'hangar tokens list --help', args: [bin, 'tokens', 'list', '--help'] },
  // For reference, not part of the target: the same help rendered live by oclif.
  {
    name: '  (help via oclif, no cache)',
    args: [bin, 'tokens', 'list', '--help'],
    env: { HANGAR_DISABLE_HELP_CACHE: '1' },
    info: true,
  },
];

function timeOnce(args, env = {}) {
  const start = process.hrtime.bigint();
  const result = spawnSync(process.execPath, args, {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env },
  });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (result.status !== 0)
    throw new Error(`${args.join(' ')} exited ${result.status}: ${result.stderr}`);
  return ms;
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
};

for (const c of cases) timeOnce(c.args, c.env); // warm the page cache once
const samples = new Map(cases.map((c) => [c.name, []]));
for (let i = 0; i < RUNS; i++)
  for (const c of cases) samples.get(c.name).push(timeOnce(c.args, c.env));

const base = median(samples.get('node -e 0'));
const rows = cases.map((c) => {
  const xs = samples.get(c.name);
  const med = median(xs);
  return {
    case: c.name,
    info: Boolean(c.info),
    runs: xs.length,
    median_ms: +med.toFixed(1),
    min_ms: +Math.min(...xs).toFixed(1),
    ratio: +(med / base).toFixed(2),
  };
});
if (process.argv.includes('--json')) {
  console.log(JSON.stringify(rows, null, 2));
} else {
  console.log(`case                        runs  median ms  min ms  x node -e 0`);
  for (const r of rows) {
    console.log(
      `${r.case.padEnd(28)}${String(r.runs).padStart(4)}${r.median_ms.toFixed(1).padStart(11)}${r.min_ms.toFixed(1).padStart(8)}${r.ratio.toFixed(2).padStart(13)}`,
    );
  }
  const worst = Math.max(
    ...rows
      .slice(1)
      .filter((r) => !r.info)
      .map((r) => r.ratio),
  );
  console.log(
    `target: at most 2.00x; worst: ${worst.toFixed(2)}x -> ${worst <= 2 ? 'met' : 'MISSED'}`,
  );
}
