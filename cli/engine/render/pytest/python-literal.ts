/**
 * Python source literals for plan data: strings, numbers, dicts and lists, formatted the way `black` would
 * lay them out (one line when it fits, otherwise one item per line with a trailing comma).
 */

/** Maximum line length of generated Python. */
export const PY_LINE_WIDTH = 100;

const INDENT = '    ';

/** A value that is already Python source (e.g. `Var("petId")`), inserted verbatim. */
export class PyCode {
  readonly code: string;
  constructor(code: string) {
    this.code = code;
  }
}

function escapeCodePoint(char: string, quote: string): string {
  switch (char) {
    case '\\':
      return '\\\\';
    case '\n':
      return '\\n';
    case '\r':
      return '\\r';
    case '\t':
      return '\\t';
    case quote:
      return `\\${quote}`;
  }
  const code = char.codePointAt(0) ?? 0;
  // Control characters, C1 controls and line separators would make the source hard to read (or break it).
  if (code < 0x20 || (code >= 0x7f && code <= 0x9f)) return `\\x${code.toString(16).padStart(2, '0')}`;
  if (code === 0x2028 || code === 0x2029) return `\\u${code.toString(16)}`;
  // A lone surrogate cannot be written as UTF-8; Python accepts it as an escape.
  if (code >= 0xd800 && code <= 0xdfff) return `\\u${code.toString(16)}`;
  return char;
}

/** Whether the UTF-16 unit can be copied as is (printable, not a quote, backslash or surrogate). */
function isPlain(code: number, quoteCode: number): boolean {
  if (code >= 0x20 && code < 0x7f) return code !== 0x5c && code !== quoteCode;
  return (code >= 0xa0 && code < 0xd800 && code !== 0x2028 && code !== 0x2029) || code >= 0xe000;
}

/** A Python string literal: double quotes unless the text has double quotes and no single quotes. */
export function pyString(text: string): string {
  const quote = text.includes('"') && !text.includes("'") ? "'" : '"';
  const quoteCode = quote.charCodeAt(0);
  // Runs of plain characters are copied in one slice; only the characters that need it are escaped.
  let out = quote;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (isPlain(code, quoteCode)) continue;
    const next = text.charCodeAt(i + 1);
    if (code >= 0xd800 && code <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
      i++; // a surrogate pair: one astral character, written as is
      continue;
    }
    out += text.slice(start, i) + escapeCodePoint(text.charAt(i), quote);
    start = i + 1;
  }
  return out + text.slice(start) + quote;
}

/**
 * A call (or, with an empty function name, a tuple) whose arguments are laid out like data: on one line when
 * it fits, otherwise one argument per line. Keyword arguments have a name.
 */
export class PyCall {
  readonly fn: string;
  readonly args: Array<[keyword: string | undefined, value: unknown]>;
  constructor(fn: string, args: Array<[keyword: string | undefined, value: unknown]>) {
    this.fn = fn;
    this.args = args;
  }
}

/** Positional arguments for {@link PyCall}. */
export function positional(...values: unknown[]): Array<[undefined, unknown]> {
  return values.map((value) => [undefined, value]);
}

function pyNumber(value: number): string {
  if (Number.isNaN(value)) return 'float("nan")';
  if (!Number.isFinite(value)) return value > 0 ? 'float("inf")' : 'float("-inf")';
  return String(value);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    !(value instanceof PyCode) &&
    !(value instanceof PyCall)
  );
}

/** Options of {@link pyLiteral}. */
export interface PyLiteralOptions {
  /** Indent level (4 spaces each) of the line the literal starts on. @default 0 */
  indent?: number;
  /** Characters already on the line before the literal. @default indent * 4 */
  column?: number;
  /** Characters that will follow the literal on its last line (e.g. a trailing comma). @default 0 */
  trailing?: number;
  /** Turns a value into Python source before the default rules (return undefined to use them). */
  convert?: (value: unknown) => PyCode | undefined;
}

/** One-line forms of the containers of one {@link pyLiteral} call, each built once from its children's. */
type FlatMemo = Map<object, string>;

/** The one-line form of a value (containers looked up in, or added to, `memo`). */
function flat(value: unknown, convert: PyLiteralOptions['convert'], memo: FlatMemo): string {
  const converted = convert?.(value);
  if (converted) return converted.code;
  if (value instanceof PyCode) return value.code;
  if (value === null || value === undefined) return 'None';
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'number') return pyNumber(value);
  if (typeof value === 'string') return pyString(value);
  if (typeof value !== 'object') return pyString(String(value));
  const known = memo.get(value);
  if (known !== undefined) return known;
  let text: string;
  if (value instanceof PyCall) {
    const args = value.args.map(
      ([keyword, arg]) => (keyword ? `${keyword}=` : '') + flat(arg, convert, memo),
    );
    text = `${value.fn}(${args.join(', ')})`;
  } else if (Array.isArray(value)) {
    text = `[${value.map((item) => flat(item, convert, memo)).join(', ')}]`;
  } else {
    const record = value as Record<string, unknown>;
    const entries = Object.keys(record).map((key) => `${pyString(key)}: ${flat(record[key], convert, memo)}`);
    text = `{${entries.join(', ')}}`;
  }
  memo.set(value, text);
  return text;
}

interface LiteralPosition {
  indent: number;
  column: number;
  trailing: number;
}

function literal(
  value: unknown,
  at: LiteralPosition,
  convert: PyLiteralOptions['convert'],
  memo: FlatMemo,
): string {
  const { indent, column, trailing } = at;
  const single = flat(value, convert, memo);
  if (column + single.length + trailing <= PY_LINE_WIDTH) return single;
  if (convert?.(value) || value instanceof PyCode) return single;
  const inner = INDENT.repeat(indent + 1);
  if (
    value instanceof PyCall &&
    value.args.length === 1 &&
    value.args[0]![0] === undefined &&
    value.fn !== ''
  ) {
    const arg = value.args[0]![1];
    if (isPlainObject(arg) || Array.isArray(arg)) {
      // Hug a lone dict/list argument: `Body.json({` … `})` reads better than three levels of brackets.
      const lead = column + value.fn.length + 1;
      return `${value.fn}(${literal(arg, { indent, column: lead, trailing: trailing + 1 }, convert, memo)})`;
    }
  }
  const nested = (lead: string, item: unknown): string =>
    lead + literal(item, { indent: indent + 1, column: lead.length, trailing: 1 }, convert, memo) + ',';
  if (value instanceof PyCall && value.args.length > 0) {
    const lines = value.args.map(([keyword, arg]) => nested(inner + (keyword ? `${keyword}=` : ''), arg));
    return `${value.fn}(\n${lines.join('\n')}\n${INDENT.repeat(indent)})`;
  }
  if (Array.isArray(value) && value.length > 0) {
    const lines = value.map((item) => nested(inner, item));
    return `[\n${lines.join('\n')}\n${INDENT.repeat(indent)}]`;
  }
  if (isPlainObject(value) && Object.keys(value).length > 0) {
    const lines = Object.keys(value).map((key) => nested(`${inner}${pyString(key)}: `, value[key]));
    return `{\n${lines.join('\n')}\n${INDENT.repeat(indent)}}`;
  }
  return single;
}

/**
 * Formats JSON-like data as a Python literal. Dicts and lists that do not fit on the current line are
 * broken one item per line, recursively. Each container's one-line form is built once (and reused by every
 * enclosing level's "does it fit" test).
 */
export function pyLiteral(value: unknown, options: PyLiteralOptions = {}): string {
  const indent = options.indent ?? 0;
  const at = { indent, column: options.column ?? indent * INDENT.length, trailing: options.trailing ?? 0 };
  return literal(value, at, options.convert, new Map());
}

/** Indents every line but the first by `levels` × 4 spaces. */
export function indentRest(code: string, levels: number): string {
  return code.split('\n').join(`\n${INDENT.repeat(levels)}`);
}

/** `text` as a Python identifier fragment: letters, digits and `_` only. */
export function pyIdentifier(text: string): string {
  const cleaned = text.replace(/[^A-Za-z0-9_]+/g, '_').replace(/^_+|_+$/g, '');
  return cleaned === '' ? 'unnamed' : cleaned;
}
