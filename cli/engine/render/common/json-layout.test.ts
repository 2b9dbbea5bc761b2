import { describe, expect, it } from 'vitest';
import { createRng } from '../../data/rng.ts';
import { layoutJson } from './json-layout.ts';

/** A random JSON value: nested records and lists of short and long texts, numbers, booleans and nulls. */
function randomValue(rng: ReturnType<typeof createRng>, depth: number): unknown {
  const kind = rng.int(0, depth > 3 ? 3 : 6);
  if (kind === 0) return rng.int(-1000, 1000) / (rng.bool() ? 1 : 7);
  if (kind === 1) return rng.bool() ? rng.bool() : null;
  if (kind <= 3) return 'x"\\é→\n'.repeat(rng.int(0, 12)).slice(0, rng.int(0, 60));
  if (kind <= 4) return Array.from({ length: rng.int(0, 5) }, () => randomValue(rng, depth + 1));
  return Object.fromEntries(
    Array.from({ length: rng.int(0, 5) }, (_, i) => [
      `key_${i}_${'k'.repeat(rng.int(0, 20))}`,
      randomValue(rng, depth + 1),
    ]),
  );
}

/**
 * The only lines allowed past the width: `"key": <leaf>,` (key and comma optional), or a key too
 * long for the line before a container that opens there and breaks.
 */
const LONG_LEAF_LINE =
  /^("(?:[^"\\]|\\.)*": )?("(?:[^"\\]|\\.)*"|-?[\d.e+-]+|null|true|false|\[\]|\{\}|[[{]),?$/;

describe('layoutJson', () => {
  it('lays out small records on one line and breaks the rest, one member per line', () => {
    const text = layoutJson(
      {
        case: 'listPets_contract_typical',
        auth: { mode: 'valid', schemes: [] },
        checks: {
          not_a_server_error: true,
          positive_data_acceptance: { expect: ['200', '403', '404'] },
          response_schema_conformance: true,
          empty: {},
          long: 'a'.repeat(120),
        },
      },
      { width: 80 },
    );
    expect(text).toBe(
      [
        '{',
        '  "case": "listPets_contract_typical",',
        '  "auth": { "mode": "valid", "schemes": [] },',
        '  "checks": {',
        '    "not_a_server_error": true,',
        '    "positive_data_acceptance": { "expect": ["200", "403", "404"] },',
        '    "response_schema_conformance": true,',
        '    "empty": {},',
        `    "long": "${'a'.repeat(120)}"`,
        '  }',
        '}',
      ].join('\n'),
    );
  });

  it('is JSON that reads back as the value, within the width wherever a single leaf allows', () => {
    const rng = createRng(7);
    for (let run = 0; run < 300; run++) {
      const value = randomValue(rng, 0);
      const width = rng.int(20, 100);
      const text = layoutJson(value, { width });
      expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(value)));
      for (const line of text.split('\n')) {
        // A line over the width holds one leaf too long for any line (and the key or bracket before it).
        if (line.length > width) expect(line.trimStart()).toMatch(LONG_LEAF_LINE);
      }
      expect(layoutJson(value, { width })).toBe(text);
    }
  });

  it("leaves out what JSON.stringify leaves out, and takes the first line's column into account", () => {
    expect(layoutJson({ a: undefined, b: [undefined, 1], c: () => 1 })).toBe('{ "b": [null, 1] }');
    expect(layoutJson({ mode: 'valid' }, { width: 20, column: 0 })).toBe('{ "mode": "valid" }');
    expect(layoutJson({ mode: 'valid' }, { width: 20, column: 10 })).toBe('{\n  "mode": "valid"\n}');
  });
});
