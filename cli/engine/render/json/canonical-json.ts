/**
 * Canonical JSON for the plan: the same plan always gives the same bytes, whatever order its objects'
 * keys were inserted in. Keys the plan format defines come first in declaration order (so the file reads
 * like the TestPlan type); every other key (schema keywords, property names, header names) is sorted.
 */
import { type FileText, prettyJson } from '../common/file-text.ts';

/** Plan field names in the order cli/engine/plan/types.ts declares them. */
const FIELD_ORDER = [
  // TestPlan
  'planVersion',
  'api',
  'seed',
  'depth',
  'pathParams',
  'defaultBaseUrl',
  'securitySchemes',
  'schemas',
  'operations',
  'cases',
  'sampleData',
  'diagnostics',
  // api, PlanSecurityScheme, PlanOperation, TestCase
  'title',
  'version',
  'key',
  'id',
  'type',
  'scheme',
  'in',
  'name',
  'env',
  'category',
  'operationId',
  'method',
  'path',
  'summary',
  'tags',
  'ai',
  'steps',
  'responses',
  // TestStep, PlanResponse, StepBody, StepAuth, StepExpectation, diagnostics
  'status',
  'contents',
  'mediaType',
  'schema',
  'query',
  'headers',
  'cookies',
  'body',
  'auth',
  'expect',
  'capture',
  'snapshot',
  'note',
  'kind',
  'value',
  'mode',
  'schemes',
  'check',
  'lenientStatuses',
  'validateBody',
  'bodyEquals',
  'itemsMatch',
  'sameAs',
  'severity',
  'code',
  'message',
  'pointer',
];

const RANK = new Map(FIELD_ORDER.map((name, index) => [name, index]));

function compareKeys(a: string, b: string): number {
  const ra = RANK.get(a) ?? Number.POSITIVE_INFINITY;
  const rb = RANK.get(b) ?? Number.POSITIVE_INFINITY;
  if (ra !== rb) return ra - rb;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Whether `key` is an array index, which JS objects enumerate first, in ascending numeric order. */
function isArrayIndex(key: string): boolean {
  const first = key.charCodeAt(0);
  if (!(first >= 0x30 && first <= 0x39)) return false;
  const n = Number(key);
  return Number.isInteger(n) && n >= 0 && n < 2 ** 32 - 1 && String(n) === key;
}

const sortedKeyCache = new Map<string, { keys: string[]; sorted: string[] }>();

function sortKeys(keys: readonly string[]): string[] {
  const sorted = [...keys].sort(compareKeys);
  const indices = sorted.filter(isArrayIndex);
  if (indices.length === 0) return sorted;
  indices.sort((a, b) => Number(a) - Number(b));
  return [...indices, ...sorted.filter((key) => !isArrayIndex(key))];
}

/** Whether keys are already in canonical order (the common case: plans are built in declaration order). */
function isCanonicalOrder(keys: readonly string[]): boolean {
  let previous = keys[0] as string;
  let previousRank = RANK.get(previous) ?? Number.POSITIVE_INFINITY;
  // Array-index keys enumerate first whatever the comparator says; leave those lists to sortKeys.
  if (isArrayIndex(previous)) return false;
  for (let i = 1; i < keys.length; i++) {
    const key = keys[i] as string;
    const rank = RANK.get(key) ?? Number.POSITIVE_INFINITY;
    if (rank < previousRank || (rank === previousRank && previous > key)) return false;
    if (isArrayIndex(key)) return false;
    previous = key;
    previousRank = rank;
  }
  return true;
}

function sameKeys(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((key, i) => key === b[i]);
}

/**
 * The keys of an object in canonical order: sorted by {@link compareKeys}, then (as re-creating the object
 * would enumerate them) array-index keys first in numeric order. Cached per key list: plans repeat shapes.
 */
function canonicalKeys(value: object, keys: string[] = Object.keys(value)): string[] {
  if (keys.length < 2 || isCanonicalOrder(keys)) return keys;
  const signature = keys.join('\u0000');
  const cached = sortedKeyCache.get(signature);
  // The signature is ambiguous only for keys containing NUL: the stored key list settles it.
  if (cached !== undefined && sameKeys(cached.keys, keys)) return cached.sorted;
  const sorted = sortKeys(keys);
  // A plan has few distinct key lists; keep the cache from growing without bound across plans.
  if (sortedKeyCache.size > 50_000) sortedKeyCache.clear();
  sortedKeyCache.set(signature, { keys, sorted });
  return sorted;
}

/** Sets an own enumerable property, also for `__proto__` (which plain assignment would treat as the prototype). */
function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') {
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  } else {
    target[key] = value;
  }
}

/**
 * `value` with every object's keys in canonical order. Objects and arrays that already are canonical (keys
 * in order, all members canonical) are returned as they are, so a mostly ordered plan is barely copied.
 */
function canonicalize(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const item = value[i];
      const canonical = canonicalize(item);
      if (canonical !== item && copy === undefined) copy = value.slice(0, i);
      if (copy !== undefined) copy.push(canonical);
    }
    return copy ?? value;
  }
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record);
  const sorted = canonicalKeys(record, keys);
  // Anything but a plain object is copied, as JSON.stringify would otherwise honour its prototype's toJSON.
  const reorder =
    Object.getPrototypeOf(record) !== Object.prototype || (sorted !== keys && !sameKeys(sorted, keys));
  // Canonical members, kept only once one differs from the original (most do not).
  let values: unknown[] | undefined;
  for (let i = 0; i < sorted.length; i++) {
    const item = record[sorted[i] as string];
    const canonical = canonicalize(item);
    if (canonical !== item && values === undefined) {
      values = new Array<unknown>(sorted.length);
      for (let j = 0; j < i; j++) values[j] = record[sorted[j] as string];
    }
    if (values !== undefined) values[i] = canonical;
  }
  if (!reorder && values === undefined) return value;
  const out: Record<string, unknown> = {};
  for (let i = 0; i < sorted.length; i++) {
    const key = sorted[i] as string;
    setOwn(out, key, values === undefined ? record[key] : values[i]);
  }
  return out;
}

/**
 * `value` as canonical JSON: stable key order, two-space indent, trailing newline; in parts when large (see
 * common/file-text.ts prettyJson).
 */
export function canonicalJson(value: unknown): FileText {
  return prettyJson(canonicalize(value));
}
