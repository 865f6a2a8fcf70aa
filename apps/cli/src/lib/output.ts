/**
 * Human output helpers: borderless aligned tables (cli-table3, loaded lazily so it stays off the
 * start-up path) and key/value blocks. Everything goes to stdout; diagnostics use stderr.
 *
 * Every human renderer here passes its text through {@link printable}: API data may hold
 * control characters (a name with ESC sequences could clear or spoof the terminal), and they
 * are never written raw. `--json` output is left exact.
 */

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

/** One table column: heading and how to read the cell from a row. */
export interface Column<T> {
  header: string;
  get: (row: T) => string | null | undefined;
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
 * columns, `-` for empty cells, control characters escaped). Prints `emptyText` instead when
 * there are no rows.
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
  const { default: Table } = await import('cli-table3');
  const blank = '';
  const table = new Table({
    head: columns.map((c) => c.header),
    chars: {
      top: blank,
      'top-mid': blank,
      'top-left': blank,
      'top-right': blank,
      bottom: blank,
      'bottom-mid': blank,
      'bottom-left': blank,
      'bottom-right': blank,
      left: blank,
      'left-mid': blank,
      mid: blank,
      'mid-mid': blank,
      right: blank,
      'right-mid': blank,
      middle: '  ',
    },
    style: { head: [], border: [], 'padding-left': 0, 'padding-right': 0, compact: true },
  });
  for (const row of rows) table.push(columns.map((c) => printable(c.get(row) || '-')));
  const text = table
    .toString()
    .split('\n')
    .map((line) => line.trimEnd())
    .filter((line) => line.length > 0)
    .join('\n');
  process.stdout.write(`${text}\n`);
}

/**
 * Renders `label: value` pairs with aligned values; null/undefined values show as `-`. Each
 * line goes through {@link printLine}, so control characters in values are escaped.
 */
export function printFields(fields: [string, string | null | undefined][]): void {
  const width = Math.max(...fields.map(([label]) => label.length)) + 1;
  for (const [label, value] of fields) printLine(`${`${label}:`.padEnd(width)} ${value ?? '-'}`);
}

/**
 * Says how far `iso` (an RFC 3339 time) is from `now`, in the largest sensible unit:
 * "in 20 years", "3 hours ago". Returns an empty string for null.
 */
export function relativeTime(iso: string | null | undefined, now = Date.now()): string {
  if (!iso) return '';
  const ms = Date.parse(iso) - now;
  const abs = Math.abs(ms);
  const units: [string, number][] = [
    ['year', 365 * 86_400_000],
    ['day', 86_400_000],
    ['hour', 3_600_000],
    ['minute', 60_000],
    ['second', 1000],
  ];
  for (const [unit, size] of units) {
    if (abs >= size || unit === 'second') {
      const n = Math.floor(abs / size);
      const text = `${n} ${unit}${n === 1 ? '' : 's'}`;
      return ms >= 0 ? `in ${text}` : `${text} ago`;
    }
  }
  return '';
}
