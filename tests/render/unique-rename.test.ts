/**
 * The renaming of made-up texts in each run (plan types.ts `UniqueText`) is one algorithm written five times:
 * the planner's (unique-rename.ts, which judges a pattern's value renamable), and each runtime's (JS, Python in
 * runtime/test_specmint_runtime.py, Postman, k6). They must give the same answers: a run sends what the planner
 * checked, and SPECMINT_RUN_ID repeats a run in any format.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renamedText } from '../../cli/engine/plan/unique-rename.ts';
import { renamedStep } from '../../cli/engine/render/js-common/runtime/specmint.runtime.ts';
import {
  renamedText as jsRenamedText,
  renameValue,
} from '../../cli/engine/render/js-common/runtime/values.ts';

const RUNTIMES = join(import.meta.dirname, '../../cli/engine/render');

/** A function declared in a runtime's source, by name (its text up to the matching brace), as a function. */
function declared(file: string, name: string): (...args: unknown[]) => unknown {
  const source = readFileSync(join(RUNTIMES, file), 'utf8');
  const start = source.indexOf(`function ${name}(`);
  let depth = 0;
  let end = source.indexOf('{', start);
  for (; end < source.length; end++) {
    if (source[end] === '{') depth++;
    if (source[end] === '}' && --depth === 0) break;
  }
  return new Function(`${source.slice(start, end + 1)}\nreturn ${name};`)() as (
    ...args: unknown[]
  ) => unknown;
}

const CASES: Array<[text: string, shape: 'classes' | 'uuid', salt: string, expected: string]> = [
  ['Maple-abc123', 'classes', 'run-1', 'Qonux-ozl716'],
  ['QXT42', 'classes', 'a', 'NRK61'],
  ['123e4567-e89b-42d3-a456-426614174000', 'uuid', 'same-run:1:0', '849b9405-c05d-46e6-a061-809330223483'],
];

describe('renaming a made-up text', () => {
  const postman = declared('postman/runtime/collection-prerequest.js', 'renamedText');
  const k6 = declared('k6/runtime/specmint-runtime.js', 'renamedText');
  it.each(CASES)('%s (%s, salt %s) gives the same text everywhere', (text, shape, salt, expected) => {
    expect(renamedText({ text, shape }, salt)).toBe(expected);
    expect(jsRenamedText(text, shape, salt)).toBe(expected);
    expect(postman(text, shape, salt)).toBe(expected);
    expect(k6(text, shape, salt)).toBe(expected);
  });

  it('renames a long text wherever it occurs and a short one only as a whole string, never a variable', () => {
    const renames: Array<[string, string]> = [
      ['abc123', 'xyz789'],
      ['QXT42', 'NRK61'],
    ];
    const value = {
      name: 'Maple-abc123',
      code: 'QXT42',
      note: 'not QXT42',
      ref: { $var: 'QXT42' },
      list: ['QXT42'],
    };
    const expected = {
      name: 'Maple-xyz789',
      code: 'NRK61',
      note: 'not QXT42',
      ref: { $var: 'QXT42' },
      list: ['NRK61'],
    };
    expect(renameValue(value, renames)).toEqual(expected);
    expect(declared('k6/runtime/specmint-runtime.js', 'renameValue')(value, renames)).toEqual(expected);
  });

  it('renames what a JS step sends and compares, not its method, statuses or variable names', () => {
    const step = renamedStep(
      {
        operationId: 'listVenues',
        method: 'GET',
        path: ['/venues/', 'QXT42', { $var: 'QXT42' }],
        query: [['code', 'QXT42']],
        headers: { 'X-Name': 'Maple-abc123' },
        body: { kind: 'json', mediaType: 'application/json', value: { code: 'QXT42' } },
        expect: ['200'],
        bodyEquals: [['/code', 'QXT42']],
        itemsMatch: ['', 'code', 'QXT42'],
      },
      [
        ['QXT42', 'NRK61'],
        ['abc123', 'xyz789'],
      ],
    );
    expect(step.path).toEqual(['/venues/', 'NRK61', { $var: 'QXT42' }]);
    expect(step.query).toEqual([['code', 'NRK61']]);
    expect(step.headers).toEqual({ 'X-Name': 'Maple-xyz789' });
    expect(step.body?.value).toEqual({ code: 'NRK61' });
    expect(step.bodyEquals).toEqual([['/code', 'NRK61']]);
    expect(step.itemsMatch).toEqual(['', 'code', 'NRK61']);
    expect([step.method, step.expect]).toEqual(['GET', ['200']]);
  });
});
