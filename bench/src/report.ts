/** Building rows (median, ratio, verdict), printing the results table and writing results.json. */
import { writeFile } from 'node:fs/promises';
import os from 'node:os';
import { median, ratio } from './stats.js';
import type { Row, Target } from './types.js';

export interface RowInput {
  case: string;
  metric: string;
  unit: string;
  samples: number[];
  baselineName?: string;
  baselineSamples?: number[];
  target?: Target;
  note?: string;
}

/** Whether `actual` meets `target` (the comparison the target names). */
export function meets(actual: number, target: Target): boolean {
  if (target.op === '>=') return actual >= target.value;
  if (target.op === '<=') return actual <= target.value;
  return actual === target.value;
}

/**
 * A Row from raw samples: the median of each side, their ratio, and pass/fail against the target.
 * A ratio target with no baseline fails (it cannot be judged). Throws on empty `samples`.
 */
export function makeRow(input: RowInput): Row {
  const subject = median(input.samples);
  const baselineSamples = input.baselineSamples ?? [];
  const baseline = baselineSamples.length > 0 ? median(baselineSamples) : null;
  const r = ratio(subject, baseline);
  const perRound =
    baselineSamples.length === input.samples.length && baseline !== null
      ? input.samples.map((value, i) => value / (baselineSamples[i] as number))
      : [];
  let pass: boolean | null = null;
  if (input.target) {
    const actual = input.target.on === 'ratio' ? r : subject;
    pass = actual !== null && meets(actual, input.target);
  }
  const row: Row = {
    case: input.case,
    metric: input.metric,
    unit: input.unit,
    median: subject,
    samples: input.samples,
    baselineName: input.baselineName ?? null,
    baseline,
    baselineSamples,
    ratio: r,
    roundRatios: perRound.length > 0 ? [Math.min(...perRound), Math.max(...perRound)] : null,
    target: input.target ?? null,
    pass,
  };
  if (input.note) row.note = input.note;
  return row;
}

/** A figure with 3 significant digits (at least), without exponent notation. */
export function formatNumber(value: number | null): string {
  if (value === null) return '-';
  if (Number.isInteger(value)) return String(value);
  if (Math.abs(value) >= 100) return value.toFixed(0);
  if (Math.abs(value) >= 10) return value.toFixed(1);
  if (Math.abs(value) >= 1) return value.toFixed(2);
  return value.toFixed(3);
}

function formatTarget(target: Target | null): string {
  if (!target) return '-';
  return `${target.on === 'ratio' ? 'ratio' : 'value'} ${target.op} ${target.value}`;
}

/**
 * `1.23x (1.10-1.31)`: the ratio of medians, then the lowest and highest per-round ratio; three
 * decimals when two would round a ratio onto its target and hide the verdict.
 */
function formatRatio(row: Row): string {
  if (row.ratio === null) return '-';
  const near = row.target?.on === 'ratio' && Math.abs(row.ratio - row.target.value) < 0.005;
  const range = row.roundRatios
    ? ` (${row.roundRatios[0].toFixed(2)}-${row.roundRatios[1].toFixed(2)})`
    : '';
  return `${row.ratio.toFixed(near ? 3 : 2)}x${range}`;
}

/** `123 ms (110-140)`: the median, then the lowest and highest round when there are several. */
function formatFigure(row: Row): string {
  const figure = `${formatNumber(row.median)} ${row.unit}`;
  if (row.samples.length < 2) return figure;
  return `${figure} (${formatNumber(Math.min(...row.samples))}-${formatNumber(Math.max(...row.samples))})`;
}

function verdict(pass: boolean | null): string {
  if (pass === null) return 'info';
  return pass ? 'PASS' : 'FAIL';
}

/** The table as lines of aligned columns (plain text), or as a Markdown table. */
export function renderTable(rows: readonly Row[], markdown = false): string {
  const header = [
    'case',
    'metric',
    'median (range)',
    'baseline',
    'ratio (per round)',
    'target',
    'result',
  ];
  const body = rows.map((row) => [
    row.case,
    row.metric,
    formatFigure(row),
    row.baseline === null ? '-' : `${formatNumber(row.baseline)} (${row.baselineName})`,
    formatRatio(row),
    formatTarget(row.target),
    verdict(row.pass),
  ]);
  if (markdown) {
    const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
    return [line(header), line(header.map(() => '---')), ...body.map(line)].join('\n');
  }
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ');
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)].join('\n');
}

/** What results.json holds besides the rows: enough to tell two runs' conditions apart. */
export interface RunInfo {
  startedAt: string;
  finishedAt: string;
  quick: boolean;
  cases: string[];
}

/** Writes `{ machine, run, rows }` as pretty JSON to `file`. */
export async function writeResults(
  file: string,
  info: RunInfo,
  rows: readonly Row[],
): Promise<void> {
  const machine = {
    node: process.version,
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? 'unknown',
    totalMemMiB: Math.round(os.totalmem() / 2 ** 20),
    loadAverageAtEnd: os.loadavg(),
  };
  await writeFile(file, `${JSON.stringify({ machine, run: info, rows }, null, 2)}\n`);
}
