/**
 * File text that need not be one JavaScript string. V8 caps a string at about 512 M characters, and the JSON
 * plan or Postman collection of an API with tens of thousands of operations (Microsoft Graph beta) passes
 * that; and a large text copied into one string costs a copy of tens of megabytes, which the writer does not
 * need. So pretty JSON of {@link LARGE_TEXT} characters or more stays in the parts {@link prettyJson} writes it
 * in (byte for byte what `JSON.stringify(value, null, 2)` gives), written one after another; every other text
 * is one string.
 */

/**
 * A file's text: one string, parts to be concatenated (large pretty JSON: see above), or text the render
 * helper thread has already encoded ({@link EncodedText}).
 */
export type FileText = string | readonly string[] | EncodedText;

/**
 * A file's text as UTF-8 bytes with their sha256: how the render helper thread (render/render-thread.ts) hands
 * its files over. Bytes move between threads without a copy, where strings are copied twice (out of one
 * heap, into the other); and encoding and hashing them there leaves the main thread only the write.
 */
export interface EncodedText {
  readonly utf8: Uint8Array;
  /** Hex sha256 of {@link utf8}. */
  readonly sha256: string;
}

/** Whether the text is already encoded. */
export function isEncoded(text: FileText): text is EncodedText {
  return typeof text === 'object' && !Array.isArray(text);
}

/**
 * From this many characters pretty JSON is kept in parts rather than joined into one string: the writer
 * writes parts as fast as one string, and joining tens of megabytes costs a hundred milliseconds and more.
 */
export const LARGE_TEXT = 2 ** 20;

/** The text as one string when at most `maxWhole` characters, else the parts as they are. */
export function wholeOrParts(parts: readonly string[], maxWhole: number): FileText {
  let length = 0;
  for (const part of parts) length += part.length;
  return length <= maxWhole ? parts.join('') : parts;
}

/** The parts of a file's text (one for a string; encoded text is decoded). */
export function textParts(text: FileText): readonly string[] {
  if (typeof text === 'string') return [text];
  return isEncoded(text)
    ? [Buffer.from(text.utf8.buffer, text.utf8.byteOffset, text.utf8.byteLength).toString('utf8')]
    : text;
}

/** The number of UTF-16 code units of a file's text. */
export function textLength(text: FileText): number {
  if (typeof text === 'string') return text.length;
  if (isEncoded(text)) return textParts(text)[0]?.length ?? 0;
  let length = 0;
  for (const part of text) length += part.length;
  return length;
}

/**
 * An array whose items are made as {@link prettyJson} writes them, and dropped once written: a Postman
 * collection's requests for 129,000 cases never exist as objects all at once.
 */
export class LazyArray<T> {
  constructor(
    readonly length: number,
    readonly item: (index: number) => T,
  ) {}

  /** The items, made now (for code that needs the whole array). */
  toJSON(): T[] {
    return Array.from({ length: this.length }, (_, index) => this.item(index));
  }
}

/** Containers nested less deep than this are written member by member (a plan's cases, one by one). */
const SPLIT_DEPTH = 2;

/** Deeper down, arrays longer than this (and objects holding one) are too: a Postman folder's requests. */
const LONG_ARRAY = 256;

function isLongArray(value: unknown): boolean {
  return value instanceof LazyArray || (Array.isArray(value) && value.length > LONG_ARRAY);
}

/** Whether a container is written member by member; anything else is one native `JSON.stringify`. */
function splits(value: object, depth: number): boolean {
  if (depth < SPLIT_DEPTH || isLongArray(value)) return true;
  if (Array.isArray(value)) return false;
  for (const key in value) if (isLongArray((value as Record<string, unknown>)[key])) return true;
  return false;
}

/**
 * `JSON.stringify(value, null, 2)` plus a newline: one string of at most `maxWhole` characters (less than
 * {@link LARGE_TEXT} unless asked otherwise), or the parts it was written in. Values must be JSON data (plain
 * objects and arrays, no `toJSON`), which plans and Postman collections are, or {@link LazyArray}s, written as
 * arrays.
 */
export function prettyJson(value: unknown, maxWhole = LARGE_TEXT - 1): FileText {
  const parts: string[] = [];
  writeValue(value, '', 0, parts);
  parts.push('\n');
  return wholeOrParts(parts, maxWhole);
}

/**
 * `JSON.stringify(value, null, 2)` as it reads nested `depth` levels deep (every line after the first
 * indented by `2 × depth` spaces). The native serialiser does the indenting: the value is wrapped in
 * `depth` arrays and the wrappers' own text cut off again, which is several times faster than re-indenting
 * the text with a replace.
 */
function indentedJson(value: unknown, depth: number): string {
  let wrapped = value;
  for (let i = 0; i < depth; i++) wrapped = [wrapped];
  const text = JSON.stringify(wrapped, null, 2) ?? 'null';
  if (depth === 0) return text;
  // Each wrapper opens with "[\n" plus its indent and closes with "\n" plus its indent and "]".
  return text.slice(depth * depth + 3 * depth, text.length - (depth * depth + depth));
}

function writeItems(
  length: number,
  itemAt: (index: number) => unknown,
  pad: string,
  depth: number,
  out: string[],
): void {
  if (length === 0) {
    out.push('[]');
    return;
  }
  const inner = `${pad}  `;
  for (let i = 0; i < length; i++) {
    out.push(i === 0 ? `[\n${inner}` : `,\n${inner}`);
    const item = itemAt(i);
    if (omitted(item)) out.push('null');
    else writeValue(item, inner, depth + 1, out);
  }
  out.push(`\n${pad}]`);
}

/** Whether JSON.stringify leaves an object member out (and writes an array item as null). */
function omitted(value: unknown): boolean {
  return value === undefined || typeof value === 'function' || typeof value === 'symbol';
}

function writeValue(value: unknown, pad: string, depth: number, out: string[]): void {
  if (value instanceof LazyArray) {
    writeItems(value.length, (index) => value.item(index), pad, depth, out);
    return;
  }
  if (value === null || typeof value !== 'object' || !splits(value, depth)) {
    out.push(indentedJson(value, depth));
    return;
  }
  if (Array.isArray(value)) {
    writeItems(value.length, (index) => value[index], pad, depth, out);
    return;
  }
  const inner = `${pad}  `;
  const record = value as Record<string, unknown>;
  let first = true;
  for (const key of Object.keys(record)) {
    const item = record[key];
    if (omitted(item)) continue;
    out.push(`${first ? '{\n' : ',\n'}${inner}${JSON.stringify(key)}: `);
    first = false;
    writeValue(item, inner, depth + 1, out);
  }
  out.push(first ? '{}' : `\n${pad}}`);
}

/** The text as one string (throws RangeError when it is too large for one: use {@link textParts} then). */
export function joinText(text: FileText): string {
  return typeof text === 'string' ? text : textParts(text).join('');
}
