/**
 * `pnpm bench`: runs the cases of issue 7 (each several rounds), prints the results table on
 * stdout (progress on stderr) and writes results.json. Exit code 0 even when a target is missed:
 * a benchmark reports, it does not gate; a case that crashes exits 1; a bad flag exits 2.
 */
import { rename } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { parseBenchArgs, USAGE } from './args.js';
import { CASES } from './cases/index.js';
import { renderTable, writeResults } from './report.js';
import type { CaseContext, Row } from './types.js';

const defaultOut = fileURLToPath(new URL('../results.json', import.meta.url));

async function main(): Promise<number> {
  let args: ReturnType<typeof parseBenchArgs>;
  try {
    args = parseBenchArgs(process.argv.slice(2), defaultOut);
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  if (args.help) {
    process.stdout.write(`${USAGE}\ncases:\n`);
    for (const c of CASES) process.stdout.write(`  ${c.name.padEnd(14)} ${c.description}\n`);
    return 0;
  }
  const unknown = args.cases.filter((name) => !CASES.some((c) => c.name === name));
  if (unknown.length > 0) {
    process.stderr.write(`unknown case: ${unknown.join(', ')}\n${USAGE}`);
    return 2;
  }
  const selected = args.cases.length > 0 ? CASES.filter((c) => args.cases.includes(c.name)) : CASES;
  const context: CaseContext = {
    quick: args.quick,
    log: (message) => process.stderr.write(`[bench] ${message}\n`),
  };
  const startedAt = new Date().toISOString();
  const rows: Row[] = [];
  let failed = false;
  for (const benchCase of selected) {
    context.log(`${benchCase.name}: ${benchCase.description}`);
    try {
      rows.push(...(await benchCase.run(context)));
    } catch (error) {
      failed = true;
      context.log(
        `${benchCase.name} FAILED: ${error instanceof Error ? error.stack : String(error)}`,
      );
    }
  }
  process.stdout.write(`\n${renderTable(rows, args.markdown)}\n`);
  const tmp = `${args.out}.tmp`;
  await writeResults(
    tmp,
    {
      startedAt,
      finishedAt: new Date().toISOString(),
      quick: args.quick,
      cases: selected.map((c) => c.name),
    },
    rows,
  );
  await rename(tmp, args.out);
  context.log(`wrote ${args.out}`);
  return failed ? 1 : 0;
}

process.exitCode = await main();
