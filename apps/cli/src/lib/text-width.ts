// How wide text is on a terminal, for tables. Printable ASCII takes one column a character, which
// is what nearly every cell (ids, kinds, RFC 3339 times, e-mail addresses) holds, and needs no
// library. Anything else (a name in CJK or with emoji, where one character takes two columns)
// goes through string-width and cli-truncate, loaded only then: loading them costs about a third
// of `node -e 0` (docs/benchmarks.md, "CLI commands that do work").

/** Measures and cuts text in terminal columns. */
export interface TextWidth {
  /** The columns `text` takes on a terminal. */
  width(text: string): number;
  /** `text` cut to at most `columns` columns, ending in `…` when cut. */
  truncate(text: string, columns: number): string;
}

const ASCII_ONLY = /^[\x20-\x7e]*$/;

const ASCII: TextWidth = {
  width: (text) => text.length,
  truncate: (text, columns) => {
    if (text.length <= columns) return text;
    return columns <= 0 ? '' : `${text.slice(0, columns - 1)}…`;
  },
};

/**
 * The {@link TextWidth} for `texts`: plain lengths when every text is printable ASCII, else the
 * widths of string-width (Unicode East Asian Width, UAX #11, and emoji as two columns) and the
 * cuts of cli-truncate (never splitting a grapheme cluster). Texts must already be escaped for
 * the terminal (`printable` in output.ts): neither measure counts control characters.
 */
export async function textWidthFor(texts: Iterable<string>): Promise<TextWidth> {
  for (const text of texts) {
    if (!ASCII_ONLY.test(text)) return unicodeWidth();
  }
  return ASCII;
}

async function unicodeWidth(): Promise<TextWidth> {
  const [{ default: stringWidth }, { default: cliTruncate }] = await Promise.all([
    import('string-width'),
    import('cli-truncate'),
  ]);
  return {
    width: (text) => stringWidth(text),
    truncate: (text, columns) => {
      if (stringWidth(text) <= columns) return text;
      return columns <= 0 ? '' : cliTruncate(text, columns, { position: 'end' });
    },
  };
}
