/**
 * Inputs that name the two ends of a range (`startsAt`/`endsAt`, `from`/`to`, `minPrice`/`maxPrice`,
 * `price_min`/`price_max`). A schema cannot say that one end must come before the other, but servers commonly
 * refuse a range that ends before it starts (or, often, where it starts): a valid request whose ends are
 * reversed or equal may meet a rejection, and so may one that sends a single end (the server compares it with
 * the other, stored or defaulted). The inputs still send such combinations (code that compares the two is worth
 * reaching); the case then accepts the operation's declared validation errors too, or any 4xx
 * with a warning where the operation declares none (the spec is silent on the order).
 */
import type { IrOperation } from '../ir/types.ts';
import { usableParameters } from './request-builder.ts';
import type { StepExpectation } from './types.ts';

/** Words that name the start of a range, and the word that names its end in the same place. */
const RANGE_WORDS: ReadonlyArray<readonly [string, string]> = [
  ['start', 'end'],
  ['starts', 'ends'],
  ['started', 'ended'],
  ['begin', 'end'],
  ['begins', 'ends'],
  ['from', 'to'],
  ['from', 'until'],
  ['since', 'until'],
  ['after', 'before'],
  ['min', 'max'],
  ['minimum', 'maximum'],
  ['low', 'high'],
  ['lower', 'upper'],
  ['earliest', 'latest'],
  ['oldest', 'newest'],
  ['checkin', 'checkout'],
];

/** `startsAt` → `starts at`, `price_min` → `price min`, `check-in` stays one word pair (`check in`). */
function words(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

/** The words of a name with `check in`/`check out` joined, so that they pair like `from`/`to`. */
function rangeWords(name: string): string[] {
  return words(name)
    .join(' ')
    .replace(/\bcheck (in|out)\b/g, 'check$1')
    .split(' ');
}

/** Answers of {@link isRangePair} by `start\u0000end` (names repeat across the operations of a spec). */
const pairs = new Map<string, boolean>();

/** Whether `start` and `end` name the two ends of one range: the same words but one, which pair up. */
export function isRangePair(start: string, end: string): boolean {
  const key = `${start}\u0000${end}`;
  let answer = pairs.get(key);
  if (answer === undefined) {
    answer = pairsUp(start, end);
    if (pairs.size > 100_000) pairs.clear();
    pairs.set(key, answer);
  }
  return answer;
}

function pairsUp(start: string, end: string): boolean {
  const a = rangeWords(start);
  const b = rangeWords(end);
  if (a.length !== b.length || a.length === 0) return false;
  let paired = false;
  for (let i = 0; i < a.length; i++) {
    if (a[i] === b[i]) continue;
    if (paired || !RANGE_WORDS.some(([from, to]) => from === a[i] && to === b[i])) return false;
    paired = true;
  }
  return paired;
}

/** A comparable value: a finite number, or the instant of an ISO 8601 date or date-time. */
function ordinal(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}([Tt ]|$)/.test(value)) return undefined;
  const time = Date.parse(value);
  return Number.isNaN(time) ? undefined : time;
}

/**
 * Whether some range among `values` (name → value) ends before it starts or where it starts, or is sent by one
 * end only while the other is one of `names` (the inputs the request could have sent): the server then compares
 * it with a value it holds or chooses (a PATCH of `endsAt` against the stored `startsAt`), which the request
 * cannot know.
 */
export function hasReversedRange(
  values: ReadonlyMap<string, unknown>,
  names: Iterable<string> = [],
): boolean {
  const known = [...new Set([...values.keys(), ...names])];
  for (const [name, value] of values) {
    const here = ordinal(value);
    if (here === undefined) continue;
    for (const other of known) {
      if (other === name) continue;
      const starts = isRangePair(name, other);
      if (!starts && !isRangePair(other, name)) continue;
      if (!values.has(other) || values.get(other) === null) return true;
      const there = ordinal(values.get(other));
      if (there === undefined || typeof values.get(other) !== typeof value) continue;
      if (starts ? there <= here : here <= there) return true;
    }
  }
  return false;
}

/** The values of a request by input name: its parameters (by name) and its JSON body's top-level properties. */
function requestValues(
  op: IrOperation,
  params: Record<string, unknown>,
  body: unknown,
): Map<string, unknown> {
  const values = new Map<string, unknown>();
  for (const param of usableParameters(op)) {
    const key = `${param.in}:${param.name}`;
    if (Object.hasOwn(params, key)) values.set(param.name, params[key]);
  }
  if (body !== null && typeof body === 'object' && !Array.isArray(body)) {
    for (const [name, value] of Object.entries(body)) values.set(name, value);
  }
  return values;
}

/**
 * What a valid request whose range is reversed (or empty) may also get: the operation's declared validation
 * errors (400, 422, 4XX, or `default`); where it declares none, any 4xx, which then only warns. Undefined when
 * the request holds no such range.
 */
/** The ranges among `names`, as [start, end] pairs: each name's words looked up with one word swapped. */
function rangesAmong(names: readonly string[]): Array<[string, string]> {
  const byWords = new Map<string, string>();
  for (const name of names) byWords.set(rangeWords(name).join(' '), name);
  const ranges: Array<[string, string]> = [];
  for (const start of names) {
    const words = rangeWords(start);
    words.forEach((word, i) => {
      for (const [from, to] of RANGE_WORDS) {
        if (word !== from) continue;
        const end = byWords.get([...words.slice(0, i), to, ...words.slice(i + 1)].join(' '));
        if (end !== undefined && end !== start) ranges.push([start, end]);
      }
    });
  }
  return ranges;
}

/** The ranges among an operation's inputs, by operation (most have none). */
const rangesOf = new WeakMap<IrOperation, Array<[string, string]>>();

function rangeInputs(op: IrOperation, names: readonly string[]): Array<[string, string]> {
  let ranges = rangesOf.get(op);
  if (ranges === undefined) {
    ranges = rangesAmong(names);
    rangesOf.set(op, ranges);
  }
  return ranges;
}

export function reversedRangeAllowance(
  op: IrOperation,
  params: Record<string, unknown>,
  body: unknown,
  bodyProperties: readonly string[] = [],
): Pick<StepExpectation, 'status' | 'lenientStatuses'> | undefined {
  const names = [...usableParameters(op).map((param) => param.name), ...bodyProperties];
  if (rangeInputs(op, names).length === 0) return undefined;
  if (!hasReversedRange(requestValues(op, params, body), names)) return undefined;
  const declared = op.responses.map((response) => response.status);
  const rejections = declared.filter((status) => ['400', '422', '4XX'].includes(status));
  if (rejections.length > 0) return { status: rejections };
  if (declared.includes('default')) return { status: ['4XX'] };
  return { status: ['4XX'], lenientStatuses: ['4XX'] };
}

/**
 * A JSON object body with the ends of each range in order: where both are sent and the end comes before the
 * start, the two values change places. For the steps of a flow, whose requests must all be accepted.
 */
export function orderedRanges(value: unknown): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  const body = value as Record<string, unknown>;
  let out: Record<string, unknown> | undefined;
  for (const start of Object.keys(body)) {
    for (const end of Object.keys(body)) {
      if (start === end || !isRangePair(start, end)) continue;
      const current = out ?? body;
      const low = ordinal(current[start]);
      const high = ordinal(current[end]);
      if (low === undefined || high === undefined || typeof current[start] !== typeof current[end]) continue;
      if (high >= low) continue;
      out ??= { ...body };
      [out[start], out[end]] = [out[end], out[start]];
    }
  }
  return out ?? value;
}
