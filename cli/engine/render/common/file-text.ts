/**
 * File text that need not be one JavaScript string. V8 caps a string at about 512 M characters, and the JSON
 * plan or Postman collection of an API with tens of thousands of operations (Microsoft Graph beta) passes
 * that; and a large text copied into one string costs a copy of tens of megabytes, which the writer does not
 * need. So pretty JSON of {@link LARGE_TEXT} characters or more stays in the parts {@link prettyJson} writes it
 * in (byte for byte what `JSON.stringify(value, null, 2)` gives), written one after another; every other text
 * is one string. Past {@link SPILL_CHARS} characters the parts leave the JavaScript heap as UTF-8 (see there).
 */
import { createHash } from 'node:crypto';

/**
 * A file's text: one string, parts to be concatenated (large pretty JSON: see above), or text already encoded
 * ({@link EncodedText}: by the render helper thread, or pretty JSON too large for the heap).
 */
export type FileText = string | readonly string[] | EncodedText;

/**
 * A file's text as UTF-8 bytes with their sha256: how the render helper thread (render/render-thread.ts) hands
 * its files over, and how {@link prettyJson} keeps a text too large for the JavaScript heap. Bytes move between
 * threads without a copy, where strings are copied twice (out of one heap, into the other); and encoding and
 * hashing them there leaves the main thread only the write.
 */
export interface EncodedText {
  /**
   * The bytes, in chunks written one after another. Each chunk is whole characters (the encoding of whole
   * parts), so each decodes on its own.
   */
  readonly chunks: readonly Uint8Array[];
  /** Hex sha256 of the chunks' bytes, in order. */
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

/**
 * The parts of a file's text (one for a string; encoded text is decoded, all of it: {@link textLength} and the
 * writer read encoded text a chunk at a time instead).
 */
export function textParts(text: FileText): readonly string[] {
  if (typeof text === 'string') return [text];
  return isEncoded(text) ? text.chunks.map(decodeChunk) : text;
}

/**
 * The number of UTF-16 code units of a file's text. Encoded text is decoded a chunk at a time (all of Microsoft
 * Graph beta's Postman collection decoded at once would not fit in the heap).
 */
export function textLength(text: FileText): number {
  if (typeof text === 'string') return text.length;
  let length = 0;
  if (isEncoded(text)) for (const chunk of text.chunks) length += decodeChunk(chunk).length;
  else for (const part of text) length += part.length;
  return length;
}

function decodeChunk(chunk: Uint8Array): string {
  return Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength).toString('utf8');
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
export function prettyJson(value: unknown, maxWhole = LARGE_TEXT - 1, spillChars = SPILL_CHARS): FileText {
  const out = new PartSink(spillChars);
  writeValue(value, '', 0, out);
  out.push('\n');
  return out.finish(maxWhole);
}

/**
 * From this many characters written, {@link prettyJson} encodes what it has written so far as UTF-8 and lets go
 * of the strings, and so on for every further this many: its text ends as {@link EncodedText}. The bytes live
 * outside the JavaScript heap, whose limit (about 4 GB by default) is what a very large API reaches first:
 * Microsoft Graph beta's Postman collection is 1.7 G characters at `--depth quick`, which with the plan and
 * the other formats' leftovers ran the heap out. The writer would encode the text anyway, so this moves work
 * rather than adding it. Far above any description but the largest (GitHub's collection is 23 M characters).
 */
export const SPILL_CHARS = 2 ** 26;

/** Where {@link prettyJson} writes its parts: kept as strings, or spilled as UTF-8 past the spill size. */
class PartSink {
  private parts: string[] = [];
  private chars = 0;
  private readonly chunks: Buffer[] = [];
  private readonly hash = createHash('sha256');

  constructor(private readonly spillChars: number) {}

  push(part: string): void {
    this.parts.push(part);
    this.chars += part.length;
  }

  /** Encodes the parts so far once there are {@link spillChars} characters of them (between items only). */
  spillIfFull(): void {
    if (this.chars >= this.spillChars) this.spill();
  }

  finish(maxWhole: number): FileText {
    if (this.chunks.length === 0) return wholeOrParts(this.parts, maxWhole);
    this.spill();
    return { chunks: this.chunks, sha256: this.hash.digest('hex') };
  }

  private spill(): void {
    if (this.chars === 0) return;
    // Part by part, as the writer encodes them (JSON text has no lone surrogate to split between parts).
    let bytes = 0;
    for (const part of this.parts) bytes += Buffer.byteLength(part, 'utf8');
    // Its own allocation (never the shared pool), so it can be transferred to another thread.
    const chunk = Buffer.allocUnsafeSlow(bytes);
    let offset = 0;
    for (const part of this.parts) offset += chunk.write(part, offset, 'utf8');
    this.hash.update(chunk);
    this.chunks.push(chunk);
    this.parts = [];
    this.chars = 0;
  }
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
  out: PartSink,
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
    out.spillIfFull();
  }
  out.push(`\n${pad}]`);
}

/** Whether JSON.stringify leaves an object member out (and writes an array item as null). */
function omitted(value: unknown): boolean {
  return value === undefined || typeof value === 'function' || typeof value === 'symbol';
}

function writeValue(value: unknown, pad: string, depth: number, out: PartSink): void {
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
    out.spillIfFull();
  }
  out.push(first ? '{}' : `\n${pad}}`);
}

/** The text as one string (throws RangeError when it is too large for one: use {@link textParts} then). */
export function joinText(text: FileText): string {
  return typeof text === 'string' ? text : textParts(text).join('');
}
