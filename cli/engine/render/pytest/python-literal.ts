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

// Any character that needs an escape, or a closer look, in a double-quoted literal: quote, backslash, control
// characters, line separators, surrogates. Most texts have none: a regex test finds that faster than a loop.
// Built from text, so no control character is written in a regex.
const CONTROLS = String.raw`\x00-\x1f\x7f-\x9f`;
const NOT_PLAIN_IN_DOUBLE = new RegExp(`["\\\\${CONTROLS}\\u2028\\u2029\\ud800-\\udfff]`);

/** A Python string literal: double quotes unless the text has double quotes and no single quotes. */
export function pyString(text: string): string {
  if (!NOT_PLAIN_IN_DOUBLE.test(text)) return `"${text}"`;
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

// Dict keys as literals: plans repeat a few thousand keys many times over. Bounded, so it cannot grow
// without limit in a long-lived process; what it holds never changes an output.
const KEY_CACHE_LIMIT = 10_000;
const keyLiterals = new Map<string, string>();

/** {@link pyString} for a dict key, remembered. */
function pyKey(key: string): string {
  let literal = keyLiterals.get(key);
  if (literal === undefined) {
    literal = pyString(key);
    if (keyLiterals.size >= KEY_CACHE_LIMIT) keyLiterals.clear();
    keyLiterals.set(key, literal);
  }
  return literal;
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

/**
 * The one-line form of a value if it is at most `budget` characters long, else `undefined` — found without
 * building more than `budget` characters, however large the value (a contract's schemas are megabytes).
 */
function flat(value: unknown, budget: number, convert: PyLiteralOptions['convert']): string | undefined {
  const converted = convert?.(value);
  let text: string;
  if (converted) {
    text = converted.code;
  } else if (value instanceof PyCode) {
    text = value.code;
  } else if (value === null || value === undefined) {
    text = 'None';
  } else if (typeof value === 'boolean') {
    text = value ? 'True' : 'False';
  } else if (typeof value === 'number') {
    text = pyNumber(value);
  } else if (typeof value === 'string') {
    // A string's literal is at least two characters longer than the string: skip quoting long ones.
    if (value.length + 2 > budget) return undefined;
    text = pyString(value);
  } else if (typeof value !== 'object') {
    text = pyString(String(value));
  } else if (value instanceof PyCall) {
    text = `${value.fn}(`;
    for (let i = 0; i < value.args.length; i++) {
      const [keyword, arg] = value.args[i]!;
      const lead = (i > 0 ? ', ' : '') + (keyword ? `${keyword}=` : '');
      const item = flat(arg, budget - text.length - lead.length - 1, convert);
      if (item === undefined) return undefined;
      text += lead + item;
    }
    text += ')';
  } else if (Array.isArray(value)) {
    text = '[';
    for (let i = 0; i < value.length; i++) {
      const lead = i > 0 ? ', ' : '';
      const item = flat(value[i], budget - text.length - lead.length - 1, convert);
      if (item === undefined) return undefined;
      text += lead + item;
    }
    text += ']';
  } else {
    const record = value as Record<string, unknown>;
    text = '{';
    for (const key of Object.keys(record)) {
      const lead = `${text.length > 1 ? ', ' : ''}${pyKey(key)}: `;
      const item = flat(record[key], budget - text.length - lead.length - 1, convert);
      if (item === undefined) return undefined;
      text += lead + item;
    }
    text += '}';
  }
  return text.length <= budget ? text : undefined;
}

/** Items of containers above this indent level are joined one by one (see `nested`). */
const JOIN_DEPTH = 2;

interface LiteralPosition {
  indent: number;
  column: number;
  trailing: number;
}

/** Appends the literal to `out` (in pieces, joined once by {@link pyLiteral}). */
function literal(
  out: string[],
  value: unknown,
  at: LiteralPosition,
  convert: PyLiteralOptions['convert'],
): void {
  const { indent, column, trailing } = at;
  const single = flat(value, PY_LINE_WIDTH - column - trailing, convert);
  if (single !== undefined) {
    out.push(single);
    return;
  }
  // Too long for one line. Only containers break; anything else is written whole.
  if (value === null || typeof value !== 'object' || value instanceof PyCode || convert?.(value)) {
    out.push(flat(value, Number.POSITIVE_INFINITY, convert)!);
    return;
  }
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
      out.push(`${value.fn}(`);
      literal(out, arg, { indent, column: column + value.fn.length + 1, trailing: trailing + 1 }, convert);
      out.push(')');
      return;
    }
  }
  // One item per line: `lead` (indent, keyword or key) + the item's literal + `,`.
  const nested = (lead: string, item: unknown): void => {
    const at = { indent: indent + 1, column: lead.length, trailing: 1 };
    if (indent >= JOIN_DEPTH) {
      out.push(lead);
      literal(out, item, at, convert);
      out.push(',\n');
      return;
    }
    // Near the top, each item is joined on its own: its many small pieces then die young instead of
    // outliving garbage collections until the whole (megabytes) is joined.
    const pieces = [lead];
    literal(pieces, item, at, convert);
    pieces.push(',\n');
    out.push(pieces.join(''));
  };
  let close: string;
  if (value instanceof PyCall && value.args.length > 0) {
    out.push(`${value.fn}(\n`);
    for (const [keyword, arg] of value.args) nested(inner + (keyword ? `${keyword}=` : ''), arg);
    close = ')';
  } else if (Array.isArray(value) && value.length > 0) {
    out.push('[\n');
    for (const item of value) nested(inner, item);
    close = ']';
  } else if (isPlainObject(value) && Object.keys(value).length > 0) {
    out.push('{\n');
    for (const key of Object.keys(value)) nested(`${inner}${pyKey(key)}: `, value[key]);
    close = '}';
  } else {
    out.push(flat(value, Number.POSITIVE_INFINITY, convert)!);
    return;
  }
  out.push(INDENT.repeat(indent) + close);
}

/**
 * Formats JSON-like data as a Python literal. Dicts and lists that do not fit on the current line are
 * broken one item per line, recursively. A one-line form is only ever built up to the room left on its line.
 */
export function pyLiteral(value: unknown, options: PyLiteralOptions = {}): string {
  const indent = options.indent ?? 0;
  const at = { indent, column: options.column ?? indent * INDENT.length, trailing: options.trailing ?? 0 };
  const out: string[] = [];
  literal(out, value, at, options.convert);
  return out.length === 1 ? out[0]! : out.join('');
}

/** `text` as a Python identifier fragment: letters, digits and `_` only. */
export function pyIdentifier(text: string): string {
  const cleaned = text.replace(/[^A-Za-z0-9_]+/g, '_').replace(/^_+|_+$/g, '');
  return cleaned === '' ? 'unnamed' : cleaned;
}
