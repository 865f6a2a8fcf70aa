/**
 * CLI cold start: `hangar --version` and `hangar tokens list --help` beside `node -e 0`, each a
 * fresh process. Runs the CLI's own script (apps/cli/bench/startup.mjs: interleaved runs,
 * medians, ratio within the run) rather than a copy of it. Target: at most 2.0x. Rows the script
 * marks `info` (help rendered live by oclif, with the CLI's pre-rendered help cache off) are
 * reported without a target.
 */
import { spawn } from 'node:child_process';
import { access } from 'node:fs/promises';
import { CLI_STARTUP_SCRIPT, REPO_ROOT } from '../paths.js';
import { makeRow } from '../report.js';
import type { BenchCase, CaseContext, Row } from '../types.js';

/** One row of `startup.mjs --json`. */
interface StartupRow {
  case: string;
  /** For reference only (not part of the target). */
  info?: boolean;
  runs: number;
  median_ms: number;
  min_ms: number;
  ratio: number;
}

function runStartupScript(runs: number, env: NodeJS.ProcessEnv): Promise<StartupRow[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI_STARTUP_SCRIPT, '--runs', String(runs), '--json'], {
      cwd: REPO_ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => {
      stdout += c.toString('utf8');
    });
    child.stderr.on('data', (c: Buffer) => {
      stderr += c.toString('utf8');
    });
    child.once('error', reject);
    child.once('exit', (code) => {
      if (code !== 0) {
        reject(new Error(`startup.mjs exited ${code}: ${stderr.slice(0, 800)}`));
        return;
      }
      try {
        resolve(JSON.parse(stdout) as StartupRow[]);
      } catch {
        reject(new Error(`startup.mjs printed no JSON: ${stdout.slice(0, 300)}`));
      }
    });
  });
}

export const cliStartCase: BenchCase = {
  name: 'cli-start',
  description: 'hangar --version and hangar tokens list --help cold start vs node -e 0',
  async run(context: CaseContext): Promise<Row[]> {
    await access(CLI_STARTUP_SCRIPT).catch(() => {
      throw new Error(`${CLI_STARTUP_SCRIPT} is missing (the CLI's start-up script)`);
    });
    const runs = context.quick ? 5 : 15;
    const env = { ...process.env };
    delete env.HANGAR_DISABLE_HELP_CACHE;
    const result = await runStartupScript(runs, env);
    const base = result.find((r) => r.case === 'node -e 0');
    if (!base) throw new Error('startup.mjs reported no `node -e 0` row');
    const rows: Row[] = [];
    let previous = '';
    for (const r of result.filter((x) => x !== base)) {
      // An indented "(...)" row is a variant of the row above it.
      const name = r.case.trim().startsWith('(') ? `${previous} ${r.case.trim()}` : r.case.trim();
      previous = r.case.trim().startsWith('(') ? previous : name;
      rows.push(
        makeRow({
          case: 'cli-start',
          metric: name,
          unit: 'ms',
          samples: [r.median_ms],
          baselineName: 'node -e 0',
          baselineSamples: [base.median_ms],
          target: r.info ? undefined : { on: 'ratio', op: '<=', value: 2 },
          note: `median of ${r.runs} interleaved cold runs (min ${r.min_ms} ms), apps/cli/bench/startup.mjs`,
        }),
      );
    }
    context.log(`cli-start: ${runs} runs per command`);
    return rows;
  },
};
