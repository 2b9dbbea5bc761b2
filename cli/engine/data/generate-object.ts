/**
 * Object values. Property streams are forked by name, so adding a property to a schema does not change
 * the values of the others.
 * @see https://json-schema.org/draft/2020-12/json-schema-core#section-10.3.2 (object applicators)
 */
import type { JsonSchema, JsonSchemaObject } from '../ir/types.ts';
import { deriveState, type GenState, MAX_NESTING } from './context.ts';
import { generateString } from './generate-string.ts';
import { compilePattern, isPlainObject } from './json.ts';
import { isHiddenInView } from './resolve.ts';
import type { Rng } from './rng.ts';

/** The value generator for subschemas (passed in to keep the module graph acyclic). */
export type Generate = (schema: JsonSchema, st: GenState) => unknown;

/**
 * An object: required properties, a seeded half of the optional ones (none past `maxDepth` or the node
 * budget), properties hidden in the view left out, then `dependentRequired`, `minProperties`/`maxProperties` and map entries.
 */
export function generateObject(
  flat: JsonSchemaObject,
  st: GenState,
  generate: Generate,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const props = flat.properties ?? {};
  const required = new Set(flat.required ?? []);
  const shallow = st.depth >= st.maxDepth || st.nesting >= MAX_NESTING / 2 || st.budget.nodes <= 0;
  const visible = (name: string): boolean => {
    const prop = props[name];
    return prop !== false && (prop === undefined || !isHiddenInView(prop, st.view, st.schemas));
  };
  const addProperty = (name: string, rng: Rng = st.rng.fork(`prop:${name}`)): void => {
    out[name] = generate(propertySchema(flat, name), deriveState(st, name, { rng }));
  };
  for (const name of Object.keys(props)) {
    // Past maxDepth optional properties are left out without drawing: forking is pure, so skipping the
    // stream of a property that is never generated changes nothing.
    if ((shallow && !required.has(name)) || !visible(name)) continue;
    // One stream per property: its first number decides whether an optional property is included.
    const rng = st.rng.fork(`prop:${name}`);
    if (required.has(name) || rng.next() < 0.5) addProperty(name, rng);
  }
  for (const name of required) if (!(name in out) && visible(name)) addProperty(name);
  addDependencies(flat, out, (name) => addProperty(name));
  const minProps = flat.minProperties ?? 0;
  // Without minProperties the loop would stop at once (any count is at least 0).
  for (const name of minProps > 0 ? Object.keys(props) : []) {
    if (Object.keys(out).length >= minProps) break;
    if (!(name in out) && visible(name)) addProperty(name);
  }
  addExtraProperties(flat, out, { minProps, shallow, add: addProperty, st, generate });
  const maxProps = flat.maxProperties;
  if (maxProps !== undefined) {
    for (const name of Object.keys(out).reverse()) {
      if (Object.keys(out).length <= maxProps) break;
      if (!required.has(name)) delete out[name];
    }
  }
  return out;
}

/**
 * Properties beyond the declared ones: up to `minProperties`, and one entry for map-like objects
 * (only `additionalProperties`/`patternProperties`). Keys follow `propertyNames`/`patternProperties`.
 */
function addExtraProperties(
  flat: JsonSchemaObject,
  out: Record<string, unknown>,
  opts: { minProps: number; shallow: boolean; add: (name: string) => void; st: GenState; generate: Generate },
): void {
  const declared = Object.keys(flat.properties ?? {}).length;
  const patterned = isPlainObject(flat.patternProperties) && Object.keys(flat.patternProperties).length > 0;
  const mapLike = declared === 0 && (isPlainObject(flat.additionalProperties) || patterned) && !opts.shallow;
  if (flat.additionalProperties === false && !patterned) return;
  for (let extra = 0; extra <= opts.minProps + 2; extra++) {
    if (Object.keys(out).length >= opts.minProps && !(mapLike && extra === 0)) return;
    const key = extraKey(flat, extra, opts);
    if (!(key in out)) opts.add(key);
  }
}

/** The schema a property's value must satisfy: its declaration, matching patternProperties, or additional. */
function propertySchema(flat: JsonSchemaObject, name: string): JsonSchema {
  const own = flat.properties?.[name];
  if (own !== undefined) return own;
  if (isPlainObject(flat.patternProperties)) {
    for (const [pattern, sub] of Object.entries(flat.patternProperties)) {
      if (compilePattern(pattern)?.test(name)) return sub as JsonSchema;
    }
  }
  return flat.additionalProperties ?? true;
}

function extraKey(flat: JsonSchemaObject, index: number, opts: { st: GenState; generate: Generate }): string {
  const { st, generate } = opts;
  const names = flat.propertyNames;
  if (isPlainObject(names)) {
    const key = generate(names as JsonSchema, deriveState(st, 'key', { rng: st.rng.fork(`key:${index}`) }));
    if (typeof key === 'string' && !(key in (flat.properties ?? {}))) return key;
  }
  const patterns = isPlainObject(flat.patternProperties) ? Object.keys(flat.patternProperties) : [];
  if ((flat.additionalProperties === false || index === 0) && patterns[0] !== undefined) {
    const key = generateString({ type: 'string', pattern: patterns[0] }, st.rng.fork(`key:${index}`), 'key');
    if (!(key in (flat.properties ?? {}))) return key;
  }
  return ['alpha', 'bravo', 'charlie', 'delta', 'echo'][index] ?? `key${index}`;
}

function addDependencies(
  flat: JsonSchemaObject,
  out: Record<string, unknown>,
  add: (n: string) => void,
): void {
  const deps = flat.dependentRequired;
  if (!isPlainObject(deps)) return;
  for (let changed = true; changed; ) {
    changed = false;
    for (const [key, needs] of Object.entries(deps)) {
      if (!(key in out) || !Array.isArray(needs)) continue;
      for (const need of needs) {
        if (typeof need === 'string' && !(need in out)) {
          add(need);
          changed = true;
        }
      }
    }
  }
}
