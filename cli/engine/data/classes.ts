/**
 * Input classes: for one parameter or body property, the valid values that stand for the kinds of input a
 * server treats differently — range edges and landmarks of numbers, lengths and kinds of text, each enum
 * value, format examples, the spec's own literals, domain values chosen by name, empty and full arrays,
 * objects with and without their optional properties. Every class validates against the schema; duplicates
 * are merged; keys describe the class, never its position or the seed.
 */
import type { JsonSchema, JsonSchemaObject } from '../ir/types.ts';
import { conforms } from './check.ts';
import { type InputClass, mergeClasses, show, slug, TYPICAL_KEY } from './class-keys.ts';
import { numberClasses } from './classes-number.ts';
import { type StringKind, stringKinds } from './classes-string.ts';
import type { GenState } from './context.ts';
import { deriveState, initialState, type SynthContext } from './context.ts';
import { DEPTH_LIMITS, type Depth } from './depth.ts';
import { closedVocabulary, domainCandidates } from './domain-values.ts';
import { arrayMax, generateItems } from './generate.ts';
import { deepEqual, sendableExample } from './json.ts';
import { flattenSchema, isHiddenInView, mergeSchemas, refName, schemaTypes } from './resolve.ts';
import { primaryType, scalarView } from './scalar-view.ts';
import { specLiterals } from './spec-literals.ts';
import { synthesizeValid } from './synthesize.ts';

export type { InputClass } from './class-keys.ts';

/** What {@link inputClasses} needs besides the schema. */
export interface InputClassOptions {
  /** The parameter or property name: picks domain values and realistic strings. */
  name: string;
  /** The parameter's or property's description (quoted words become classes). */
  description?: string;
  /** Examples the operation gives for this input; the first is the typical value, as in a single-input plan. */
  examples?: readonly unknown[];
  /**
   * The value a single-input plan sends (e.g. this property's value in the synthesised body). When absent:
   * the first example the schema accepts, else a value synthesised from `ctx` exactly as the planner does.
   */
  typical?: { value: unknown };
  /** Synthesis context; its stream should be the input's own (forked by the input's name). */
  ctx: SynthContext;
  depth: Depth;
}

/** Items in the `several` array class. */
const SEVERAL_ITEMS = 3;
/** Largest array made for the `max_items` class. */
const MAX_CLASS_ITEMS = 20;
/** Branches of a oneOf/anyOf tried as classes. */
const MAX_VARIANTS = 8;

/** A class that tries candidate values in order and keeps the first valid one. */
interface Kinded {
  key: string;
  label: (value: unknown) => string;
  candidates: unknown[];
}

function typicalOf(
  schema: JsonSchema,
  opts: InputClassOptions,
  accepts: (value: unknown) => boolean,
): InputClass {
  let value: unknown;
  const example = sendableExample(opts.examples, accepts);
  if (opts.typical) value = opts.typical.value;
  else if (example !== undefined) value = example.value;
  else value = synthesizeValid(schema, opts.ctx);
  return { key: TYPICAL_KEY, label: `typical value ${show(value)}`, value };
}

function enumClasses(flat: JsonSchemaObject): InputClass[] {
  const out: InputClass[] = [];
  if (flat.const !== undefined)
    out.push({ key: 'const', label: `the constant ${show(flat.const)}`, value: flat.const });
  for (const value of Array.isArray(flat.enum) ? flat.enum : []) {
    out.push(
      value === null
        ? { key: 'null', label: 'null', value }
        : { key: `enum_${slug(value)}`, label: `enum value ${show(value)}`, value },
    );
  }
  return out;
}

function arrayClasses(flat: JsonSchemaObject, st: GenState, name: string): InputClass[] {
  const max = arrayMax(flat);
  const min = flat.minItems ?? 0;
  const make = (key: string, count: number): unknown[] | undefined => {
    if (count > max || count > MAX_CLASS_ITEMS) return undefined;
    const items = generateItems(flat, deriveState(st, name, { rng: st.rng.fork(key) }), {
      count,
      min: count,
    });
    return items.length === count ? items : undefined;
  };
  const out: InputClass[] = [{ key: 'empty', label: 'empty array', value: [] }];
  const add = (key: string, count: number, label: string): void => {
    const value = make(key, count);
    if (value !== undefined) out.push({ key, label, value });
  };
  add('one_item', 1, 'one item');
  add('several', Math.max(SEVERAL_ITEMS, min), `${Math.max(SEVERAL_ITEMS, min)} items`);
  if (min > 1) add('min_items', min, `at minItems ${min}`);
  if (Number.isFinite(max)) add('max_items', max, `at maxItems ${max}`);
  const items = flattenSchema(flat.items ?? true, st.schemas);
  if (items !== false && Array.isArray(items.enum) && items.enum.length > 1)
    out.push({ key: 'every_enum_value', label: 'every enum value of the items', value: [...items.enum] });
  return out;
}

function objectClasses(flat: JsonSchemaObject, typical: unknown, st: GenState): InputClass[] {
  if (typeof typical !== 'object' || typical === null || Array.isArray(typical)) return [];
  const props = flat.properties ?? {};
  const required = new Set(flat.required ?? []);
  const current = typical as Record<string, unknown>;
  const requiredOnly: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(current)) if (required.has(key)) requiredOnly[key] = value;
  const all: Record<string, unknown> = { ...current };
  for (const [key, prop] of Object.entries(props)) {
    if (key in all || prop === false || isHiddenInView(prop, st.view, st.schemas)) continue;
    all[key] = synthesizeValid(prop, {
      schemas: st.schemas,
      rng: st.rng.fork(`prop:${key}`),
      view: st.view,
      verified: st.env.verified,
    });
  }
  return [
    { key: 'required_only', label: 'only the required properties', value: requiredOnly },
    { key: 'all_properties', label: 'every optional property present', value: all },
  ];
}

function variantClasses(schema: JsonSchema, opts: InputClassOptions): InputClass[] {
  const flat = flattenSchema(schema, opts.ctx.schemas);
  if (flat === false) return [];
  const kind = Array.isArray(flat.oneOf) ? 'oneOf' : Array.isArray(flat.anyOf) ? 'anyOf' : undefined;
  if (!kind) return [];
  const { [kind]: branches, example: _e, examples: _x, default: _d, ...rest } = flat;
  return (branches as JsonSchema[]).slice(0, MAX_VARIANTS).flatMap((branch, i) => {
    const branchFlat = flattenSchema(branch, opts.ctx.schemas);
    if (branchFlat === false) return [];
    const ref =
      typeof branch === 'object' && typeof branch.$ref === 'string' ? refName(branch.$ref) : undefined;
    const value = synthesizeValid(mergeSchemas(branchFlat, rest), {
      ...opts.ctx,
      rng: opts.ctx.rng.fork(`variant:${i}`),
    });
    return [
      { key: `variant_${ref ? slug(ref) : i + 1}`, label: `variant ${ref ?? i + 1} of ${kind}`, value },
    ];
  });
}

/** Type-specific classes, most telling first. */
function typeClasses(flat: JsonSchemaObject, typical: InputClass, st: GenState, name: string): Kinded[] {
  const type = primaryType(flat);
  const single = (c: InputClass): Kinded => ({ key: c.key, label: () => c.label, candidates: [c.value] });
  if (Array.isArray(flat.enum) || flat.const !== undefined) return [];
  if (type === 'integer' || type === 'number') return numberClasses(flat, type === 'integer').map(single);
  if (type === 'boolean')
    return [
      single({ key: 'true', label: 'true', value: true }),
      single({ key: 'false', label: 'false', value: false }),
    ];
  if (type === 'string') {
    const typicalText = typeof typical.value === 'string' && typical.value !== '' ? typical.value : 'alpha';
    return stringKinds(flat, { typical: typicalText, rng: st.rng, hint: name }).map(
      (k: StringKind): Kinded => ({ ...k, label: (v) => k.label(v as string) }),
    );
  }
  if (type === 'array') return arrayClasses(flat, st, name).map(single);
  if (type === 'object') return objectClasses(flat, typical.value, st).map(single);
  return [];
}

/** The first valid candidate of each kind, as a class. */
function firstValid(kinds: readonly Kinded[], accepts: (v: unknown) => boolean): InputClass[] {
  const out: InputClass[] = [];
  for (const kind of kinds) {
    const value = kind.candidates.find(accepts);
    if (value !== undefined) out.push({ key: kind.key, label: kind.label(value), value });
  }
  return out;
}

/**
 * The classes of one input, the typical value first, then the spec's literals and enum values, the type's
 * edges and landmarks, domain values, and the rest. At `quick` only the typical value (under the key of the
 * named class it equals, if any).
 */
export function inputClasses(schema: JsonSchema, opts: InputClassOptions): InputClass[] {
  const st = initialState(opts.ctx, opts.ctx.rng.fork('classes'));
  const accepts = (value: unknown): boolean => conforms(schema, value, st.env);
  const typical = typicalOf(schema, opts, accepts);
  const flat = scalarView(schema, opts.ctx.schemas);
  const type = flat ? primaryType(flat) : undefined;
  const named = flat
    ? [
        ...specLiterals(flat, type, { description: opts.description, examples: opts.examples }),
        ...enumClasses(flat),
      ].filter((c) => accepts(c.value))
    : [];
  if (opts.depth === 'quick') return mergeClasses([typical, ...named]).slice(0, 1);
  if (!flat) return mergeClasses([typical, ...variantClasses(schema, opts).filter((c) => accepts(c.value))]);
  const nullable = (schemaTypes(flat) ?? []).includes('null');
  const primary = firstValid(
    [
      ...typeClasses(flat, typical, st, opts.name),
      ...(nullable ? [{ key: 'null', label: () => 'null', candidates: [null] }] : []),
    ],
    accepts,
  );
  const edges = primary.filter((c) => EDGE_KEYS.has(c.key));
  const rest = primary.filter((c) => !EDGE_KEYS.has(c.key));
  const known = [typical, ...named, ...primary];
  const domain: InputClass[] = [];
  const limit = DEPTH_LIMITS[opts.depth].domainValues;
  for (const candidate of domainCandidates(opts.name, { description: opts.description, type })) {
    if (domain.length >= limit) break;
    const seen = (c: InputClass): boolean => deepEqual(c.value, candidate.value);
    if (accepts(candidate.value) && !known.some(seen) && !domain.some(seen)) domain.push(candidate);
  }
  // A closed set (a time zone, a country): only its values, not text that merely fits the schema.
  if (type === 'string' && domain.length > 0 && closedVocabulary(opts.name)) {
    // The typical value too, unless it is only text made for the schema (no example, nothing sent).
    const given = opts.typical !== undefined || (opts.examples ?? []).length > 0;
    // Of the spec's literals, its examples and enum values: a word quoted in prose (`date`) names no zone.
    const literals = [...specLiterals(flat, type, { examples: opts.examples }), ...enumClasses(flat)];
    return mergeClasses([
      ...(given ? [typical] : []),
      ...literals.filter((c) => accepts(c.value)),
      ...domain,
    ]);
  }
  // Domain values come right after the edges: a value chosen for the input's name says more than a landmark.
  return mergeClasses([typical, ...named, ...edges, ...domain, ...rest]);
}

/** Range and length edges: they decide most branches, so they come before generic classes. */
const EDGE_KEYS = new Set([
  'min',
  'max',
  'min_plus_1',
  'max_minus_1',
  'empty',
  'max_length',
  'min_length',
  'null',
]);
