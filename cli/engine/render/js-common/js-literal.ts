/**
 * JavaScript/TypeScript source literals for plan values: deterministic, readable (short values inline,
 * long ones one entry per line, trailing commas) and safe for any text (quotes, backticks, `${}`, line
 * terminators, lone surrogates).
 */
import { isVarRef } from '../common/var-ref.ts';

/** Options of {@link toJsLiteral}. */
export interface JsLiteralOptions {
  /** Indentation (spaces) of the line the literal starts on. @default 0 */
  indent?: number;
  /** Column budget before a value breaks over several lines. @default 110 */
  width?: number;
  /** How to write a {@link VarRef} (e.g. `v('petId')`); absent → as a plain object. */
  varRef?: (name: string) => string;
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

// Characters that cannot appear raw inside a quoted literal, plus lone surrogates (which would not
// survive UTF-8 encoding of the generated file). The quote character itself is added per literal.
const UNSAFE = String.raw`\\\u0000-\u001f\u007f\u2028\u2029`;
const SURROGATES = String.raw`[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]`;
const UNSAFE_IN_SINGLE = new RegExp(`[${UNSAFE}']|${SURROGATES}`, 'g');
const UNSAFE_IN_DOUBLE = new RegExp(`[${UNSAFE}"]|${SURROGATES}`, 'g');

const SHORT_ESCAPES: Record<string, string> = {
  '\\': '\\\\',
  "'": "\\'",
  '"': '\\"',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\b': '\\b',
  '\f': '\\f',
  '\v': '\\v',
};

// Any character that needs an escape, or a closer look, in a single-quoted literal (surrogate pairs are fine
// but rare: the full path handles them). Most texts have none, and are quoted as they are.
const NOT_PLAIN_IN_SINGLE = new RegExp(`[${UNSAFE}'\\ud800-\\udfff]`);

/** A JS string literal for `text`: single-quoted, or double-quoted when that avoids escaping `'`. */
export function jsString(text: string): string {
  if (!NOT_PLAIN_IN_SINGLE.test(text)) return `'${text}'`;
  const double = text.includes("'") && !text.includes('"');
  const escaped = text.replace(double ? UNSAFE_IN_DOUBLE : UNSAFE_IN_SINGLE, (ch) => {
    const short = SHORT_ESCAPES[ch];
    if (short) return short;
    const code = ch.charCodeAt(0);
    return code <= 0xff
      ? `\\x${code.toString(16).padStart(2, '0')}`
      : `\\u${code.toString(16).padStart(4, '0')}`;
  });
  return double ? `"${escaped}"` : `'${escaped}'`;
}

// Keys as written: plans repeat a few thousand keys many times over. Bounded, so it cannot grow without
// limit in a long-lived process; what it holds never changes an output.
const KEY_CACHE_LIMIT = 10_000;
const keyTexts = new Map<string, string>();

/** An object key: bare when it is an identifier, quoted otherwise; `__proto__` as a computed key. */
export function jsKey(key: string): string {
  let text = keyTexts.get(key);
  if (text === undefined) {
    // `{ __proto__: x }` would set the prototype instead of creating a property.
    if (key === '__proto__') text = `['__proto__']`;
    else text = IDENTIFIER.test(key) ? key : jsString(key);
    if (keyTexts.size >= KEY_CACHE_LIMIT) keyTexts.clear();
    keyTexts.set(key, text);
  }
  return text;
}

/** Text safe inside a `//` comment (one line). */
export function commentText(text: string): string {
  return text.replace(/[\r\n\u2028\u2029]+/g, ' ');
}

/** A JS expression for a JSON-like value. */
export function toJsLiteral(value: unknown, options: JsLiteralOptions = {}): string {
  return emit(value, options.indent ?? 0, { width: options.width ?? 110, varRef: options.varRef });
}

interface EmitContext {
  width: number;
  varRef?: (name: string) => string;
}

function emit(value: unknown, indent: number, ctx: EmitContext): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return jsString(value);
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : 'null';
  if (typeof value === 'boolean') return String(value);
  if (typeof value === 'bigint') return `${value}n`;
  if (ctx.varRef && isVarRef(value)) return ctx.varRef(value.$var);
  if (Array.isArray(value)) {
    const items = value.map((item) => emit(item, indent + 2, ctx));
    return wrap({ open: '[', close: ']', items, indent, ctx, spaced: false });
  }
  if (typeof value === 'object') {
    const items: string[] = [];
    const record = value as Record<string, unknown>;
    for (const key of Object.keys(record)) {
      const item = record[key];
      if (item !== undefined) items.push(`${jsKey(key)}: ${emit(item, indent + 2, ctx)}`);
    }
    return wrap({ open: '{', close: '}', items, indent, ctx, spaced: true });
  }
  // Functions and symbols never occur in a plan (it is JSON).
  return 'null';
}

function wrap(input: {
  open: string;
  close: string;
  items: string[];
  indent: number;
  ctx: EmitContext;
  spaced: boolean;
}): string {
  const { open, close, items, indent, ctx, spaced } = input;
  if (items.length === 0) return `${open}${close}`;
  const pad = spaced ? ' ' : '';
  // The one-line form's length, known before building it: most large values are not joined twice.
  let inlineLength = open.length + close.length + 2 * pad.length + 2 * (items.length - 1);
  for (const item of items) inlineLength += item.length;
  // Leave room for the key or call the literal follows (`body: `, `await api.step(`).
  if (indent + inlineLength <= ctx.width - 20) {
    const inline = `${open}${pad}${items.join(', ')}${pad}${close}`;
    if (!inline.includes('\n')) return inline;
  }
  const inner = ' '.repeat(indent + 2);
  return `${open}\n${inner}${items.join(`,\n${inner}`)},\n${' '.repeat(indent)}${close}`;
}
