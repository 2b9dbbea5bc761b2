/**
 * stripTypes (scripts/runtimes/strip-types.ts) cuts exactly the types out of a TypeScript runtime: what remains
 * is the same program esbuild's own type stripping gives, statement for statement, with comments and layout
 * kept; CommonJS output requires and exports the same names.
 */
import { transform } from 'esbuild';
import { describe, expect, test } from 'vitest';
import { typeScriptRuntime } from '../../cli/engine/render/js-common/runtime-text.ts';
import { stripTypes } from '../../scripts/runtimes/strip-types.ts';

/** The program without types or comments, as esbuild prints it (imports kept as written). */
async function program(source: string, loader: 'ts' | 'js'): Promise<string> {
  const options = { loader, tsconfigRaw: { compilerOptions: { verbatimModuleSyntax: true } } } as const;
  return (await transform(source, options)).code;
}

const SAMPLE = `/** File comment. */
import type { Schema } from 'ajv';
import { type Helper, helper as help, other } from './helper.ts';
import fallback from 'fallback';

/** A shape. */
export interface Shape {
  /** Its name. @default 'x' */
  name: string;
  size?: number;
  area(scale: number): Schema;
}

export type Id = string | Helper;

// Kept.
export function measure<T extends Shape>(shape: T, scale?: number): number {
  const cache = new Map<string, number>();
  const value = (shape as Shape).area(scale ?? 1) as unknown as number;
  const parts: Array<[string, number]> = [[shape.name, value]];
  const pick = (item: [string, number]): number => item[1];
  return cache.get(shape.name)! + parts.map(pick)[0]! + help() + other + fallback;
}

export const DEFAULT: Id = 'id';
`;

describe('stripTypes', () => {
  test.each([
    ['a sample of every construct it supports', SAMPLE],
    ['the fetch runtime', typeScriptRuntime('fetch')],
    ['the Playwright runtime', typeScriptRuntime('playwright')],
  ])('leaves the same program as esbuild for %s', async (_name, source) => {
    const stripped = stripTypes(source, { commonJs: false });
    expect(await program(stripped, 'js')).toBe(await program(source, 'ts'));
  });

  test('keeps comments and layout, writes interfaces and type aliases as JSDoc typedefs', () => {
    const out = stripTypes(SAMPLE, { commonJs: false });
    expect(out).toContain(
      "import { helper as help, other } from './helper.ts';\nimport fallback from 'fallback';",
    );
    expect(out).toContain(
      [
        '/**',
        ' * A shape.',
        ' * @typedef {object} Shape',
        " * @property {string} name Its name. (default 'x')",
        ' * @property {number} [size]',
        " * @property {(scale: number) => import('ajv').Schema} area",
        ' */',
        '',
        '/**',
        " * @typedef {string | import('./helper.ts').Helper} Id",
        ' */',
        '',
        '// Kept.',
        'export function measure(shape, scale) {',
        '  const cache = new Map();',
        '  const value = (shape).area(scale ?? 1);',
      ].join('\n'),
    );
    expect(out).not.toContain('Schema }');
  });

  test('writes CommonJS: use strict after the file comment, requires, one module.exports', () => {
    const out = stripTypes(SAMPLE, { commonJs: true });
    expect(
      out.startsWith(
        "/** File comment. */\n'use strict';\n\nconst { helper: help, other } = require('./helper.js');\n",
      ),
    ).toBe(true);
    expect(out).toContain("const fallback = require('fallback');");
    expect(out).toContain('\nfunction measure(shape, scale) {');
    expect(out).toContain("\nconst DEFAULT = 'id';");
    expect(out.endsWith('\nmodule.exports = { measure, DEFAULT };\n')).toBe(true);
    expect(out).not.toMatch(/^(export|import) /m);
  });

  test.each([
    ['enum E { A }', /TSEnumDeclaration/],
    ['namespace N { export const a = 1; }', /TSModuleDeclaration/],
    ['const a = 1;\nexport { a };', /export \{ … \}/],
    ['const a = <number>(1 as unknown);', /TSTypeAssertion/],
    ['class C { constructor(private x: number) {} }', /TSParameterProperty/],
    ['export default 1;', /this export/],
  ])('refuses TypeScript it cannot strip faithfully: %s', (source, error) => {
    expect(() => stripTypes(source, { commonJs: true })).toThrow(error);
  });
});
