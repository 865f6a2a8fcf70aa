/** Command-line flags of `pnpm bench`. */
import { parseArgs } from 'node:util';

export interface BenchArgs {
  quick: boolean;
  /** Case names to run; empty means all. */
  cases: string[];
  /** Where results.json goes. */
  out: string;
  /** Print the table as Markdown (for docs/benchmarks.md) instead of aligned text. */
  markdown: boolean;
  help: boolean;
}

export const USAGE = `usage: pnpm bench [--quick] [--case NAME[,NAME...]]... [--out FILE] [--markdown]

  --quick        short durations and fewer rounds (a smoke run; figures are indicative only)
  --case NAME    run only this case (repeatable, or comma-separated); --help lists them
  --out FILE     results file (default: bench/results.json, which holds the recorded full run:
                 give another path for a trial run)
  --markdown     print the table as Markdown (as in docs/benchmarks.md)
`;

/** Parses `argv` (without node and script). Throws TypeError on an unknown flag. */
export function parseBenchArgs(argv: string[], defaultOut: string): BenchArgs {
  const { values } = parseArgs({
    // pnpm forwards the `--` of `pnpm bench -- --quick`; it separates nothing here.
    args: argv.filter((a) => a !== '--'),
    options: {
      quick: { type: 'boolean', default: false },
      case: { type: 'string', multiple: true, default: [] },
      out: { type: 'string', default: defaultOut },
      markdown: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  return {
    quick: values.quick,
    cases: values.case.flatMap((c) => c.split(',')).filter((c) => c.length > 0),
    out: values.out,
    markdown: values.markdown,
    help: values.help,
  };
}
