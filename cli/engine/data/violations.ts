/**
 * Negative values: variants of a valid value with exactly one violation each — per property of an object
 * (top level and one nested level), or on a scalar/array value itself. Each value fails validation, at the
 * stated location, and where possible for the stated reason only.
 */
import type { JsonSchema, JsonSchemaObject } from '../ir/types.ts';
import { conforms } from './check.ts';
import type { GenState } from './context.ts';
import { deriveState, initialState, type SynthContext } from './context.ts';
import { generate } from './generate.ts';
import { appendPointer, cloneJson, compilePattern, isPlainObject } from './json.ts';
import { type LeafViolation, leafViolations, type ViolationKind } from './leaf-violations.ts';
import { isHiddenInView } from './resolve.ts';
import { primaryType, scalarView } from './scalar-view.ts';

export type { ViolationKind } from './leaf-violations.ts';

/** One invalid variant of a value. */
export interface Violation {
  kind: ViolationKind;
  /** JSON pointer of the violated location inside the value ('' = the value itself). */
  pointer: string;
  /** Human text: 'name longer than maxLength 40', 'missing required property "species"'. */
  label: string;
  /** The COMPLETE value (e.g. the whole body) with exactly this one violation. */
  value: unknown;
}

/**
 * A violation not made yet. Making one copies the whole value and validates it, which for a large body
 * (DocuSign's envelope definitions) times hundreds of candidates dominated planning; callers that keep a
 * few (the per-operation case limit) make only those.
 */
export interface ViolationCandidate {
  kind: ViolationKind;
  pointer: string;
  label: string;
  /** The complete value with this one violation, or `undefined` when it would still validate (made once). */
  make(): { value: unknown } | undefined;
}

interface Walk {
  root: JsonSchema;
  rootValue: unknown;
  wire: 'json' | 'string';
  st: GenState;
  out: ViolationCandidate[];
}

const UNEXPECTED_KEY = 'unexpectedProperty';

/** A copy of `root` with the value at `path` replaced (or removed when `value` is undefined). */
function replaceAt(root: unknown, path: readonly string[], value: unknown): unknown {
  if (path.length === 0) return value;
  const copy = cloneJson(root) as Record<string, unknown>;
  let node = copy;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string, unknown>;
  const last = path[path.length - 1] as string;
  if (value === undefined) delete node[last];
  else node[last] = value;
  return copy;
}

/**
 * `root` with the value at `path` set, copying only the objects on the path: the rest is shared with
 * `root`, so the result must only be read (or deep-copied by {@link replaceAt} before it leaves).
 */
function sharedWith(root: unknown, path: readonly string[], value: unknown): unknown {
  if (path.length === 0) return value;
  const [key, ...rest] = path as [string, ...string[]];
  const node = root as Record<string, unknown>;
  const copy: Record<string, unknown> = { ...node };
  const item = sharedWith(node[key], rest, value);
  // Plain assignment of `__proto__` would set the prototype instead.
  if (key === '__proto__') {
    Object.defineProperty(copy, key, { value: item, enumerable: true, writable: true, configurable: true });
  } else copy[key] = item;
  return copy;
}

function pointerOf(path: readonly string[]): string {
  return path.reduce((pointer, key) => appendPointer(pointer, key), '');
}

function subjectOf(path: readonly string[]): string {
  return path.join('.');
}

/** Adds a candidate whose value is `rootValue` with `path` set to `value` (removed when undefined). */
function push(
  walk: Walk,
  v: { kind: ViolationKind; pointer: string; label: string },
  path: readonly string[],
  value: unknown,
): void {
  const { root, rootValue, st } = walk;
  let made: { value: unknown } | undefined | null = null;
  walk.out.push({
    ...v,
    make() {
      if (made === null) {
        const complete = replaceAt(rootValue, path, value);
        made = conforms(root, complete, st.env) ? undefined : { value: complete };
      }
      return made;
    },
  });
}

function pushLeaf(walk: Walk, path: readonly string[], leaf: LeafViolation): void {
  const subject = subjectOf(path);
  push(
    walk,
    { kind: leaf.kind, pointer: pointerOf(path), label: subject ? `${subject} ${leaf.text}` : leaf.text },
    path,
    leaf.value,
  );
}

function objectViolations(
  walk: Walk,
  flat: JsonSchemaObject,
  obj: Record<string, unknown>,
  path: string[],
): void {
  const { st } = walk;
  const props = flat.properties ?? {};
  const where = path.length > 0 ? ` in ${subjectOf(path)}` : '';
  for (const name of flat.required ?? []) {
    const prop = props[name];
    if (!Object.hasOwn(obj, name) || (prop !== undefined && isHiddenInView(prop, st.view, st.schemas)))
      continue;
    push(
      walk,
      {
        kind: 'missing-required',
        pointer: pointerOf(path),
        label: `missing required property "${name}"${where}`,
      },
      [...path, name],
      undefined,
    );
  }
  for (const [name, propSchema] of Object.entries(props)) {
    if (propSchema === false || isHiddenInView(propSchema, st.view, st.schemas)) continue;
    const propPath = [...path, name];
    let current = obj[name];
    let base = walk.rootValue;
    if (current === undefined) {
      // Absent optional property: add a valid value first, so its constraints can be violated too.
      current = generate(
        propSchema,
        deriveState(st, name, { rng: st.rng.fork(`add:${pointerOf(propPath)}`) }),
      );
      // Only validated here, and copied whole by replaceAt before any candidate value leaves.
      base = sharedWith(walk.rootValue, propPath, current);
      if (!conforms(walk.root, base, st.env)) continue;
    }
    const propFlat = scalarView(propSchema, st.schemas);
    if (!propFlat) continue;
    const sub: Walk = { ...walk, rootValue: base };
    const leafState = deriveState(st, name, { rng: st.rng.fork(`leaf:${pointerOf(propPath)}`) });
    for (const leaf of leafViolations({ flat: propFlat, value: current, wire: walk.wire, st: leafState })) {
      pushLeaf(sub, propPath, leaf);
    }
    if (path.length === 0 && isPlainObject(current) && primaryType(propFlat) === 'object') {
      objectViolations(sub, propFlat, current, propPath);
    }
  }
  if (flat.additionalProperties === false && !Object.hasOwn(props, UNEXPECTED_KEY)) {
    const patterns = isPlainObject(flat.patternProperties) ? Object.keys(flat.patternProperties) : [];
    if (patterns.every((p) => !compilePattern(p)?.test(UNEXPECTED_KEY))) {
      push(
        walk,
        {
          kind: 'additional-property',
          pointer: pointerOf(path),
          label: `unexpected additional property "${UNEXPECTED_KEY}"${where}`,
        },
        [...path, UNEXPECTED_KEY],
        'unexpected',
      );
    }
  }
}

/**
 * Variants of `validValue` with exactly one violation each, most telling first: missing required
 * properties, an additional property, constraint violations (enum, pattern, format, bounds, lengths,
 * item counts, multipleOf, const), then wrong types and nulls. When `validValue` does not validate, a fresh
 * valid value is synthesised first. `wire: 'string'` keeps only violations that survive `String(value)`
 * (no null, no wrong type for strings). Composed schemas (other than a nullable wrapper) yield none.
 */
export function synthesizeViolations(
  schema: JsonSchema,
  validValue: unknown,
  ctx: SynthContext & { wire: 'json' | 'string' },
): Violation[] {
  const out: Violation[] = [];
  for (const candidate of violationCandidates(schema, validValue, ctx)) {
    const made = candidate.make();
    if (made)
      out.push({
        kind: candidate.kind,
        pointer: candidate.pointer,
        label: candidate.label,
        value: made.value,
      });
  }
  return out;
}

/**
 * The candidates {@link synthesizeViolations} makes, in the same order, not made yet: making all of them and
 * keeping those that are made gives its result.
 */
export function violationCandidates(
  schema: JsonSchema,
  validValue: unknown,
  ctx: SynthContext & { wire: 'json' | 'string' },
): ViolationCandidate[] {
  const st = initialState(ctx);
  let base = validValue;
  if (!conforms(schema, base, st.env)) {
    base = generate(schema, deriveState(st, st.hint, { rng: st.rng.fork('base') }));
    if (!conforms(schema, base, st.env)) return [];
  }
  const flat = scalarView(schema, ctx.schemas);
  if (!flat) return [];
  const walk: Walk = { root: schema, rootValue: base, wire: ctx.wire, st, out: [] };
  if (isPlainObject(base) && primaryType(flat) === 'object') objectViolations(walk, flat, base, []);
  else for (const leaf of leafViolations({ flat, value: base, wire: ctx.wire, st })) pushLeaf(walk, [], leaf);
  return orderViolations(walk.out);
}

/** Sort tiers: most telling first, so callers that keep only the first few keep the interesting ones. */
const TIER: Partial<Record<ViolationKind, number>> = {
  'missing-required': 0,
  'additional-property': 1,
  'wrong-type': 3,
  'null-not-allowed': 4,
};

/** Violations ordered by tier (constraint violations in the middle), document order within a tier. */
function orderViolations<T extends { kind: ViolationKind }>(list: T[]): T[] {
  return list
    .map((v, i) => ({ v, i, tier: TIER[v.kind] ?? 2 }))
    .sort((a, b) => a.tier - b.tier || a.i - b.i)
    .map(({ v }) => v);
}
