/**
 * Word wrapping for narrow terminals (40 columns and up): text breaks between words, never inside one
 * (a path or URL longer than the line stays whole), continuation lines get a hanging indent, and ANSI
 * colour codes do not count towards the width. Output to a pipe is never wrapped.
 */
import type { TerminalFacts } from './terminal.ts';

const ANSI = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g');

/** Visible width of `text` (colour codes excluded). */
export function visibleWidth(text: string): number {
  return [...text.replace(ANSI, '')].length;
}

/** Options of {@link wrapText}. */
export interface WrapOptions {
  /** Line width. */
  width: number;
  /** Prefix of every line after the first. @default the first line's leading spaces */
  hangingIndent?: string;
}

/** Wraps one paragraph (no newlines) to `width` by word. */
export function wrapText(text: string, options: WrapOptions): string {
  if (visibleWidth(text) <= options.width) return text;
  const leading = /^ */.exec(text)?.[0] ?? '';
  const hanging = options.hangingIndent ?? leading;
  const words = text.slice(leading.length).split(/ +/);
  const lines: string[] = [];
  let line = leading;
  let lineHasWord = false;
  for (const word of words) {
    const candidate = lineHasWord ? `${line} ${word}` : `${line}${word}`;
    if (lineHasWord && visibleWidth(candidate) > options.width) {
      lines.push(line);
      line = `${hanging}${word}`;
    } else {
      line = candidate;
    }
    lineHasWord = true;
  }
  lines.push(line);
  return lines.join('\n');
}

/** The width to wrap to on this terminal, or `undefined` (a pipe: leave lines whole). */
export function wrapWidth(terminal: TerminalFacts): number | undefined {
  const columns = terminal.stdoutColumns;
  return columns !== undefined && columns > 0 ? columns : undefined;
}

/** {@link wrapText} each line of `text` to the terminal's width; unchanged when not a terminal. */
export function wrapToTerminal(
  text: string,
  terminal: TerminalFacts,
  options: { hangingIndent?: string } = {},
): string {
  const width = wrapWidth(terminal);
  if (width === undefined) return text;
  return text
    .split('\n')
    .map((line) => wrapText(line, { width, ...options }))
    .join('\n');
}

/** A column of {@link formatTable}. */
export interface TableColumn<Row> {
  header: string;
  value: (row: Row) => string;
  /** Styles the padded cell (colour); the width is measured before. */
  paint?: (text: string) => string;
}

/**
 * Rows as an aligned table when it fits `width` (or there is no width: a pipe); otherwise one block per
 * row — the first column's value, then `header: value` lines under it — each wrapped by word.
 */
export function formatTable<Row>(
  rows: readonly Row[],
  columns: ReadonlyArray<TableColumn<Row>>,
  options: { width?: number | undefined; indent?: string; headers?: boolean } = {},
): string[] {
  const indent = options.indent ?? '';
  const cells = rows.map((row) => columns.map((column) => column.value(row)));
  const widths = columns.map((column, index) =>
    Math.max(
      options.headers === false ? 0 : visibleWidth(column.header),
      ...cells.map((row) => visibleWidth(row[index] ?? '')),
    ),
  );
  const tableWidth = indent.length + widths.reduce((sum, width) => sum + width, 0) + 2 * (columns.length - 1);
  if (options.width === undefined || tableWidth <= options.width) {
    const line = (values: string[], paint: boolean) =>
      indent +
      values
        .map((value, index) => {
          const padded =
            index === values.length - 1
              ? value
              : value.padEnd((widths[index] ?? 0) + value.length - visibleWidth(value));
          return paint ? (columns[index]?.paint?.(padded) ?? padded) : padded;
        })
        .join('  ')
        .trimEnd();
    const header =
      options.headers === false
        ? []
        : [
            line(
              columns.map((column) => column.header),
              false,
            ),
          ];
    return [...header, ...cells.map((row) => line(row, true))];
  }
  const width = options.width;
  return cells.flatMap((row) => {
    const [first = '', ...rest] = row;
    const title = wrapText(`${indent}${columns[0]?.paint?.(first) ?? first}`, {
      width,
      hangingIndent: `${indent}  `,
    });
    const details = rest
      .map((value, index) => ({ value, column: columns[index + 1] }))
      .filter(({ value }) => value !== '')
      .map(({ value, column }) => {
        const label = column?.header ? `${column.header.toLowerCase()}: ` : '';
        return wrapText(`${indent}  ${label}${column?.paint?.(value) ?? value}`, {
          width,
          hangingIndent: `${indent}    `,
        });
      });
    return [title, ...details].flatMap((text) => text.split('\n'));
  });
}
