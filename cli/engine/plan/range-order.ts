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

/** Whether `start` and `end` name the two ends of one range: the same words but one, which pair up. */
export function isRangePair(start: string, end: string): boolean {
  return rangesAmong([start, end]).some(([from, to]) => from === start && to === end);
}

/** A comparable value: a finite number, or the instant of an ISO 8601 date or date-time. */
function ordinal(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}([Tt ]|$)/.test(value)) return undefined;
  const time = Date.parse(value);
  return Number.isNaN(time) ? undefined : time;
}

/**
 * Whether one of `ranges` ([start, end] input names) ends before it starts or where it starts among `values`
 * (name → value), or is sent by one end only: the server then compares that end with a value it holds or
 * chooses (a PATCH of `endsAt` against the stored `startsAt`), which the request cannot know.
 */
export function hasReversedRange(
  values: ReadonlyMap<string, unknown>,
  ranges: ReadonlyArray<readonly [string, string]>,
): boolean {
  return ranges.some(([start, end]) => {
    const low = ordinal(values.get(start));
    const high = ordinal(values.get(end));
    if (low === undefined && high === undefined) return false;
    const sent = (name: string) => values.has(name) && values.get(name) !== null;
    if (!sent(start) || !sent(end)) return true;
    if (low === undefined || high === undefined) return false;
    return typeof values.get(start) === typeof values.get(end) && high <= low;
  });
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

/** The ranges among `names`, as [start, end] pairs: each name's words looked up with one word swapped. */
export function rangesAmong(names: readonly string[]): Array<[string, string]> {
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

/**
 * What a valid request whose range is reversed (or empty, or sent by one end) may also get: the operation's
 * declared validation errors (400, 422, 4XX, or `default`); where it declares none, any 4xx, which then only
 * warns. Undefined when the request holds no such range.
 */
export function reversedRangeAllowance(
  op: IrOperation,
  params: Record<string, unknown>,
  body: unknown,
  bodyProperties: readonly string[] = [],
): Pick<StepExpectation, 'status' | 'lenientStatuses'> | undefined {
  const ranges = rangeInputs(op, [...usableParameters(op).map((param) => param.name), ...bodyProperties]);
  if (ranges.length === 0 || !hasReversedRange(requestValues(op, params, body), ranges)) return undefined;
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
  for (const [start, end] of rangesAmong(Object.keys(body))) {
    const current = out ?? body;
    const low = ordinal(current[start]);
    const high = ordinal(current[end]);
    if (low === undefined || high === undefined || typeof current[start] !== typeof current[end]) continue;
    if (high >= low) continue;
    out ??= { ...body };
    [out[start], out[end]] = [out[end], out[start]];
  }
  return out ?? value;
}
