import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildIr } from '../../../cli/engine/ir/build-ir.ts';
import { schemaNameFromRef } from '../../../cli/engine/ir/schema-refs.ts';
import { loadSpec } from '../../../cli/engine/spec/load-spec.ts';
import { FEATURES, REAL, refsIn } from './helpers.ts';

const files = [
  ...(await readdir(FEATURES)).filter((f) => /\.(ya?ml|json)$/.test(f)).map((f) => join(FEATURES, f)),
  join(FEATURES, 'multi-file/openapi.yaml'),
  ...(await readdir(REAL)).filter((f) => f.endsWith('.json')).map((f) => join(REAL, f)),
];

describe('IR determinism and shape', () => {
  it.each(files)('%s', async (file) => {
    const first = buildIr(await loadSpec(file));
    const second = buildIr(await loadSpec(file));
    // Deterministic: deep-equal and byte-identical JSON, same diagnostics.
    expect(second.ir).toEqual(first.ir);
    expect(JSON.stringify(second.ir)).toBe(JSON.stringify(first.ir));
    expect(second.diagnostics).toEqual(first.diagnostics);
    // Plain JSON: no cycles, nothing lost in a round trip.
    const json = JSON.stringify(first.ir);
    expect(JSON.parse(json)).toEqual(first.ir);
    // Every $ref in the IR resolves in ir.schemas.
    for (const ref of refsIn(first.ir)) {
      const name = schemaNameFromRef(ref);
      expect(name, ref).toBeDefined();
      expect(Object.hasOwn(first.ir.schemas, name!), ref).toBe(true);
    }
    // Ids are unique identifiers; operations keep document order.
    const ids = first.ir.operations.map((o) => o.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^[A-Za-z_][A-Za-z0-9_]*$/);
  });
});
