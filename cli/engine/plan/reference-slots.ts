/**
 * Ids of other resources below a JSON body's top level: the `productId` of each line of an order
 * (`items[].productId`), the `warehouseId` of its `shipping`. Such a place is a slot: the property names that
 * lead to it, with `*` for every item of an array. The typical body holds a captured id in each slot a
 * setup step can fill (operation-context.ts `bindBodyReferences`: a variable, `{ $var }`); a body that holds a made-up id there (a
 * boundary of the whole array, a combination of input classes) names a product that may not exist, and a
 * server that checks may refuse it with the declared 4xx (cases-basic.ts `expectedForValid`).
 */
import type { ApiIr, IrOperation, JsonSchema } from '../ir/types.ts';
import { objectProperties, type ProducerIndex, resolveSchema } from './resources.ts';
import { isVarRef } from './serialize-params.ts';

/** One nested place that holds a reference, and whether the object that holds it must have it. */
export interface ReferenceSlot {
  /** Property names from the body's top level, `*` for each item of an array: `['items', '*', 'productId']`. */
  path: readonly string[];
  /** Whether the object holding the reference requires it (an optional one may be left out). */
  required: boolean;
  /** The `minItems` of each array on the way (0 when not declared), in the order of the `*`s in `path`. */
  minItems: readonly number[];
}

/** How deep below the top level slots are looked for (a line of an order is two levels down). */
const MAX_DEPTH = 4;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * The slots below the top level of `op`'s JSON body schema `schema`, in schema order. A property that holds a
 * reference is a slot and not looked into; `$ref` cycles end the walk.
 */
export function nestedReferenceSlots(
  ir: Pick<ApiIr, 'schemas'>,
  producers: ProducerIndex,
  op: IrOperation,
  schema: JsonSchema | undefined,
): ReferenceSlot[] {
  const slots: ReferenceSlot[] = [];
  const walk = (node: JsonSchema | undefined, path: string[], seen: ReadonlySet<string>, mins: number[]) => {
    if (path.length > MAX_DEPTH || typeof node !== 'object' || node === null) return;
    const ref = typeof node.$ref === 'string' ? node.$ref : undefined;
    if (ref !== undefined && seen.has(ref)) return;
    const within = ref === undefined ? seen : new Set([...seen, ref]);
    const resolved = resolveSchema(ir, node);
    if (!resolved) return;
    if (resolved.items !== undefined && !Array.isArray(resolved.items)) {
      const min = typeof resolved.minItems === 'number' ? resolved.minItems : 0;
      walk(resolved.items as JsonSchema, [...path, '*'], within, [...mins, min]);
      return;
    }
    const required = new Set(resolved.required ?? []);
    for (const [name, property] of Object.entries(objectProperties(ir, resolved))) {
      if (producers.reference(op, name, property))
        slots.push({ path: [...path, name], required: required.has(name), minItems: mins });
      else walk(property, [...path, name], within, mins);
    }
  };
  for (const [name, property] of Object.entries(objectProperties(ir, schema)))
    walk(property, [name], new Set(), []);
  return slots;
}

/**
 * `value` with `replace` applied to each value found at `path` (own properties only; every item for `*`),
 * copying only the containers on the way to a changed value. `replace` answers the new value, `undefined` to
 * leave the property out, or the value itself to keep it.
 */
export function mapSlot(
  value: unknown,
  path: readonly string[],
  replace: (found: unknown) => unknown,
): unknown {
  const [head, ...rest] = path;
  if (head === undefined) return replace(value);
  if (head === '*') {
    if (!Array.isArray(value)) return value;
    let out: unknown[] | undefined;
    value.forEach((item, index) => {
      const made = mapSlot(item, rest, replace);
      if (made === item) return;
      out ??= [...value];
      out[index] = made;
    });
    return out ?? value;
  }
  if (!isPlainObject(value) || !Object.hasOwn(value, head)) return value;
  const item = value[head];
  const made = rest.length === 0 ? replace(item) : mapSlot(item, rest, replace);
  if (made === item) return value;
  const out = { ...value };
  if (made === undefined) delete out[head];
  else out[head] = made;
  return out;
}

/**
 * `value` with each array on the way to `slot` cut to the fewest items its schema allows (one at least): every
 * line of an order would otherwise name the same product, which a server may refuse as a duplicate.
 */
export function fewestItems(value: unknown, slot: ReferenceSlot): unknown {
  const cut = (node: unknown, at: number, arrays: number): unknown => {
    const head = slot.path[at];
    if (head === undefined) return node;
    if (head === '*') {
      if (!Array.isArray(node)) return node;
      const keep = Math.max(1, slot.minItems[arrays] ?? 0);
      const items = node.length > keep ? node.slice(0, keep) : node;
      let out: unknown[] | undefined = items === node ? undefined : items;
      items.forEach((item, index) => {
        const made = cut(item, at + 1, arrays + 1);
        if (made === item) return;
        out ??= [...items];
        out[index] = made;
      });
      return out ?? node;
    }
    if (!isPlainObject(node) || !Object.hasOwn(node, head)) return node;
    const made = cut(node[head], at + 1, arrays);
    return made === node[head] ? node : { ...node, [head]: made };
  };
  return cut(value, 0, 0);
}

/** Whether any value at `path` in `value` satisfies `test`. */
export function someAtSlot(
  value: unknown,
  path: readonly string[],
  test: (found: unknown) => boolean,
): boolean {
  const [head, ...rest] = path;
  if (head === undefined) return test(value);
  if (head === '*') return Array.isArray(value) && value.some((item) => someAtSlot(item, rest, test));
  return isPlainObject(value) && Object.hasOwn(value, head) && someAtSlot(value[head], rest, test);
}

/** Whether `value` holds, at one of `slots`, an id made up rather than captured (a literal, not a variable). */
export function holdsMadeUpReference(value: unknown, slots: readonly ReferenceSlot[]): boolean {
  return slots.some((slot) =>
    someAtSlot(value, slot.path, (found) => found !== undefined && found !== null && !isVarRef(found)),
  );
}

/**
 * `value`, a body made from `sample` (the typical body with made-up ids), with the variables of `bound` (the
 * same body with captured ids) put back wherever it still holds the made-up id they replace: an input class or
 * a violation elsewhere in the body keeps naming resources that exist.
 */
export function rebind(value: unknown, sample: unknown, bound: unknown): unknown {
  if (isVarRef(bound)) return value === sample ? bound : value;
  if (!containsVar(bound)) return value;
  if (Array.isArray(value) && Array.isArray(sample) && Array.isArray(bound)) {
    let out: unknown[] | undefined;
    value.forEach((item, index) => {
      const made = rebind(item, sample[index], bound[index]);
      if (made === item) return;
      out ??= [...value];
      out[index] = made;
    });
    return out ?? value;
  }
  if (isPlainObject(value) && isPlainObject(sample) && isPlainObject(bound)) {
    let out: Record<string, unknown> | undefined;
    for (const [key, item] of Object.entries(value)) {
      if (!Object.hasOwn(bound, key) || !Object.hasOwn(sample, key)) continue;
      const made = rebind(item, sample[key], bound[key]);
      if (made === item) continue;
      out ??= { ...value };
      out[key] = made;
    }
    return out ?? value;
  }
  return value;
}

/** `value` with each variable replaced by what `sample` holds in its place (to judge the body by its schema). */
export function unbind(value: unknown, sample: unknown): unknown {
  if (isVarRef(value)) return sample;
  if (Array.isArray(value)) {
    let out: unknown[] | undefined;
    value.forEach((item, index) => {
      const made = unbind(item, Array.isArray(sample) ? sample[index] : undefined);
      if (made === item) return;
      out ??= [...value];
      out[index] = made;
    });
    return out ?? value;
  }
  if (isPlainObject(value)) {
    let out: Record<string, unknown> | undefined;
    for (const [key, item] of Object.entries(value)) {
      const made = unbind(item, isPlainObject(sample) ? sample[key] : undefined);
      if (made === item) continue;
      out ??= { ...value };
      out[key] = made;
    }
    return out ?? value;
  }
  return value;
}

/** Whether `value` holds a {@link VarRef} anywhere. */
function containsVar(value: unknown): boolean {
  if (isVarRef(value)) return true;
  if (Array.isArray(value)) return value.some(containsVar);
  if (isPlainObject(value)) return Object.values(value).some(containsVar);
  return false;
}
