/**
 * Sample data: valid records for the named object schemas the planned operations use, shown by the sql
 * (seed data) and json formats. Depends on the schemas, their names, the seed and the row count only, never
 * on the planned cases.
 */
import { createRng } from '../data/rng.ts';
import { synthesizeValid } from '../data/synthesize.ts';
import type { JsonSchema } from '../ir/types.ts';
import { objectProperties, resolveSchema } from './resources.ts';
import type { TestPlan } from './types.ts';

/**
 * `rows` valid records for each of the object schemas `names` (all of `schemas` when omitted).
 * Deterministic for the same schemas, names, seed and rows.
 */
export function planSampleData(
  schemas: Record<string, JsonSchema>,
  seed: number,
  rows: number,
  names: readonly string[] = Object.keys(schemas),
): TestPlan['sampleData'] {
  const ir = { schemas };
  const rng = createRng(seed);
  const sorted = [...names].sort();
  // Row i of every schema is generated once, on first use: a nested bare `$ref` to another named schema
  // takes that schema's row i (as a foreign key would point at it) instead of synthesising a new object, so
  // GitHub's deeply required schemas cost one generation per row rather than one per nesting path.
  const generated = new Map<string, unknown[]>();
  const inProgress = new Set<string>();
  const verified = new WeakMap<object, WeakSet<object>>();
  const rowOf = (name: string, i: number): unknown => {
    let list = generated.get(name);
    if (!list) {
      list = [];
      generated.set(name, list);
    }
    if (i in list) return list[i];
    const schema = schemas[name];
    if (schema === undefined || inProgress.has(name)) return undefined;
    inProgress.add(name);
    const value = synthesizeValid(schema, {
      schemas,
      rng: rng.fork(`sample:${name}`).fork(String(i)),
      view: 'response',
      // Seed rows are flat records: nested objects become JSON columns, so deep nesting only costs time.
      maxDepth: 2,
      refValue: (ref) => rowOf(ref, i),
      verified,
    });
    inProgress.delete(name);
    list[i] = value;
    return value;
  };
  const out: TestPlan['sampleData'] = [];
  for (const name of sorted) {
    const schema = resolveSchema(ir, schemas[name]);
    if (!schema || Object.keys(objectProperties(ir, schema)).length === 0) continue;
    const records: Array<Record<string, unknown>> = [];
    for (let i = 0; i < rows; i += 1) {
      const value = rowOf(name, i);
      if (value && typeof value === 'object' && !Array.isArray(value))
        records.push(value as Record<string, unknown>);
    }
    if (records.length > 0) out.push({ schema: name, rows: records });
  }
  return out;
}
