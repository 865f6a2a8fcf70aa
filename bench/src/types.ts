/** Shapes shared by the cases, the runner, the table and results.json. */

/**
 * A pass condition. `on: 'ratio'` compares subject/baseline (e.g. mock req/s over bare Express
 * req/s >= 0.85); `on: 'value'` compares the median itself (e.g. lost rows == 0).
 */
export interface Target {
  on: 'ratio' | 'value';
  op: '>=' | '<=' | '==';
  value: number;
}

/** One line of the results table: a measured figure, its baseline in the same run, and the verdict. */
export interface Row {
  /** Case name as accepted by `--case`. */
  case: string;
  /** What was measured, e.g. "mock GET /v1/orgs/acme/tokens". */
  metric: string;
  /** Unit of `median`/`baseline`, e.g. "req/s", "ms", "MiB", "rows". */
  unit: string;
  /** Median over the rounds of this run. */
  median: number;
  /** Every round's figure, in run order. */
  samples: number[];
  /** What the figure is compared with, or null for a figure without a baseline. */
  baselineName: string | null;
  baseline: number | null;
  baselineSamples: number[];
  /** median / baseline (medians of the same run), or null. */
  ratio: number | null;
  /**
   * The lowest and highest per-round ratio (round i of the subject over round i of the
   * baseline, measured side by side), or null when the two do not pair up round for round.
   */
  roundRatios: [number, number] | null;
  target: Target | null;
  /** null when there is no target. */
  pass: boolean | null;
  /** Anything that bounds or explains the figure (errors seen, rounds, sizes). */
  note?: string;
}

export interface CaseContext {
  /** Shorter durations and fewer rounds, for a smoke run. Figures are then indicative only. */
  quick: boolean;
  /** Progress line on stderr (the table goes to stdout). */
  log(message: string): void;
}

export interface BenchCase {
  /** Name for `--case`. */
  name: string;
  /** One line for `--help` and docs. */
  description: string;
  run(context: CaseContext): Promise<Row[]>;
}
