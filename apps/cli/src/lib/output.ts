/**
 * Human output helpers: borderless aligned tables and key/value blocks. Everything goes to
 * stdout; diagnostics use stderr.
 *
 * Every human renderer here passes its text through {@link printable}: API data may hold
 * control characters (a name with ESC sequences could clear or spoof the terminal), and they
 * are never written raw. `--json` output is left exact.
 */
import { textWidthFor } from './text-width.js';

/**
 * C0 controls (U+0000-U+001F), DEL (U+007F), C1 controls (U+0080-U+009F), and the invisible
 * formatting and bidirectional characters behind "Trojan Source" spoofing (CVE-2021-42574):
 * ALM U+061C, zero-width and marks U+200B-U+200F, embeddings/overrides U+202A-U+202E,
 * invisible operators U+2060-U+2064, isolates U+2066-U+2069, BOM/ZWNBSP U+FEFF.
 */
const UNSAFE_CHARS =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
  /[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/g;
const SHORT_ESCAPES: Record<string, string> = { '\t': '\\t', '\n': '\\n', '\r': '\\r' };

/**
 * Makes text safe to write to a terminal: each C0/C1 control character and DEL becomes a
 * visible escape (`\t`, `\n`, `\r`, else `\xHH`, e.g. ESC is `\x1b`), and each bidi or
 * invisible formatting character (see UNSAFE_CHARS) becomes `\uHHHH` (e.g. RLO is `\u202e`),
 * so names cannot reorder or hide text in a table; everything else is kept.
 */
export function printable(text: string): string {
  return text.replace(UNSAFE_CHARS, (c) => {
    const code = c.charCodeAt(0);
    if (code > 0xff) return `\\u${code.toString(16).padStart(4, '0')}`;
    return SHORT_ESCAPES[c] ?? `\\x${code.toString(16).padStart(2, '0')}`;
  });
}

/**
 * {@link printable} for an error message, keeping its line breaks and tabs (oclif's parse
 * messages are several lines, which bin/run.js joins into one): a value from the command line
 * echoed in the message (`Expected --type=<value> to be one of ...`) cannot ring the bell,
 * return the cursor to overwrite the line, or reorder it with bidi controls.
 */
export function printableMessage(text: string): string {
  return text
    .split('\n')
    .map((line) => line.split('\t').map(printable).join('\t'))
    .join('\n');
}

/** One table column: heading and how to read the cell from a row. */
export interface Column<T> {
  header: string;
  get: (row: T) => string | null | undefined;
  /**
   * When the table is wider than the terminal, columns with `drop` are left out, lowest first
   * (see {@link fitColumns}); columns without it are always shown.
   */
  drop?: number;
  /** May be cut to this many characters, ending in `…`, when the table is too wide. */
  minWidth?: number;
}

/** The space between two columns. */
const GAP = 2;

/**
 * The width tables must fit, in characters: the terminal's columns when stdout is a terminal,
 * else `$COLUMNS`, else no limit (`Infinity`). Piped output (`hangar tokens list | cat`, a file,
 * a script) keeps every column and whole cells, as `gh` does when stdout is not a terminal.
 */
export function outputWidth(): number {
  if (process.stdout.isTTY && process.stdout.columns > 0) return process.stdout.columns;
  const fromEnv = Number.parseInt(process.env.COLUMNS ?? '', 10);
  if (fromEnv > 0) return fromEnv;
  return process.stdout.isTTY ? 80 : Number.POSITIVE_INFINITY;
}

/**
 * Chooses which columns to show, and how wide, so that a table fits `width` characters: first
 * drops columns with a `drop` rank (lowest first) while the table cannot fit even with every
 * `minWidth` column cut to its minimum, then cuts those columns, widest first, as far as needed.
 * Never wraps. If the always-shown columns alone are too wide, the table is simply wider.
 *
 * @param natural each column's natural width (its widest cell or heading), in terminal columns
 * @returns the indices of the columns to show, in order, and the width of each
 */
export function fitColumns(
  natural: number[],
  columns: Pick<Column<unknown>, 'drop' | 'minWidth'>[],
  width: number,
): { shown: number[]; widths: number[] } {
  let shown = natural.map((_, i) => i);
  const least = (i: number) => Math.min(natural[i] as number, columns[i]?.minWidth ?? Infinity);
  const total = (w: (i: number) => number) =>
    shown.reduce((sum, i) => sum + w(i), 0) + GAP * (shown.length - 1);
  const droppable = shown
    .filter((i) => columns[i]?.drop !== undefined)
    .sort((a, b) => (columns[a]?.drop as number) - (columns[b]?.drop as number));
  while (total(least) > width && droppable.length > 0) {
    const gone = droppable.shift();
    shown = shown.filter((i) => i !== gone);
  }
  const widths = new Map(shown.map((i) => [i, natural[i] as number]));
  let excess = total((i) => widths.get(i) as number) - width;
  while (excess > 0) {
    const cuttable = shown.filter((i) => (widths.get(i) as number) > least(i));
    if (cuttable.length === 0) break;
    const widest = cuttable.reduce((a, b) =>
      (widths.get(b) as number) > (widths.get(a) as number) ? b : a,
    );
    widths.set(widest, (widths.get(widest) as number) - 1);
    excess--;
  }
  return { shown, widths: shown.map((i) => widths.get(i) as number) };
}

/** Writes one line to stdout, control characters escaped ({@link printable}). */
export function printLine(text = ''): void {
  process.stdout.write(`${printable(text)}\n`);
}

/** Writes a value as pretty JSON to stdout (the `--json` output: API objects and nothing else). */
export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** Writes one line to stderr (diagnostics, warnings, summaries), control characters escaped. */
export function printError(text: string): void {
  process.stderr.write(`${printable(text)}\n`);
}

/**
 * Renders rows as a borderless table, flyctl style (upper-case headings, two spaces between
 * columns, `-` for empty cells, control characters escaped), fitted to {@link outputWidth}:
 * low-value columns are left out, then long cells cut with `…` ({@link fitColumns}); never
 * wrapped. Widths are terminal columns ({@link textWidthFor}: a CJK character or an emoji takes
 * two). Prints `emptyText` instead when there are no rows.
 */
export async function printTable<T>(
  rows: T[],
  columns: Column<T>[],
  emptyText: string,
): Promise<void> {
  if (rows.length === 0) {
    printLine(emptyText);
    return;
  }
  const lines = [
    columns.map((c) => c.header),
    ...rows.map((row) => columns.map((c) => printable(c.get(row) || '-'))),
  ];
  const text = await textWidthFor(lines.flat());
  const natural = columns.map((_, i) => Math.max(...lines.map((l) => text.width(l[i] as string))));
  const { shown, widths } = fitColumns(natural, columns, outputWidth());
  const out = lines.map((line) =>
    shown
      .map((i, k) => {
        const cell = text.truncate(line[i] as string, widths[k] as number);
        return cell + ' '.repeat(Math.max(0, (widths[k] as number) - text.width(cell)));
      })
      .join(' '.repeat(GAP))
      .trimEnd(),
  );
  process.stdout.write(`${out.join('\n')}\n`);
}

/**
 * Renders `label: value` pairs with aligned values; null/undefined values show as `-`. Each
 * line goes through {@link printLine}, so control characters in values are escaped.
 */
export function printFields(fields: [string, string | null | undefined][]): void {
  const width = Math.max(...fields.map(([label]) => label.length)) + 1;
  for (const [label, value] of fields) printLine(`${`${label}:`.padEnd(width)} ${value ?? '-'}`);
}

/** Units of {@link relativeTime}: [name, size in ms, used below this distance in ms]. */
const RELATIVE_UNITS: [string, number, number][] = [
  ['second', 1000, 45_000],
  ['minute', 60_000, 45 * 60_000],
  // Hours up to 2 days: "-x 2d" reads "in 48 hours", never "in 1 day".
  ['hour', 3_600_000, 48 * 3_600_000],
  ['day', 86_400_000, 345 * 86_400_000],
  ['year', 365 * 86_400_000, Number.POSITIVE_INFINITY],
];

/**
 * Says how far `iso` (an RFC 3339 time) is from `now` (ms since the epoch), rounded to the
 * nearest unit: "in 20 years", "3 hours ago", "in 48 hours" (hours under 2 days, days under
 * 345 days, as moment.js's humanize thresholds). Returns an empty string for null.
 */
export function relativeTime(iso: string | null | undefined, now = Date.now()): string {
  if (!iso) return '';
  const ms = Date.parse(iso) - now;
  const abs = Math.abs(ms);
  const [unit, size] = RELATIVE_UNITS.find(([, , below]) => abs < below) as [
    string,
    number,
    number,
  ];
  const n = Math.round(abs / size);
  const text = `${n} ${unit}${n === 1 ? '' : 's'}`;
  return ms >= 0 ? `in ${text}` : `${text} ago`;
}
