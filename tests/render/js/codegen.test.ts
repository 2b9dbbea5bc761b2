/**
 * Unit tests of the shared code-generation pieces: literals, joining the runtime's source modules, case
 * selection, grouping, and the json renderer's canonical output.
 */
import { describe, expect, test } from 'vitest';
import type { TestPlan } from '../../../cli/engine/plan/types.ts';
import { joinText } from '../../../cli/engine/render/common/file-text.ts';
import { selectCases } from '../../../cli/engine/render/js-common/case-support.ts';
import { rewriteRefs } from '../../../cli/engine/render/js-common/contract.ts';
import { jsString, toJsLiteral } from '../../../cli/engine/render/js-common/js-literal.ts';
import { uniqueSlugs } from '../../../cli/engine/render/js-common/naming.ts';
import { joinModules } from '../../../cli/engine/render/js-common/runtime-modules.ts';
import { runtimeText } from '../../../cli/engine/render/js-common/runtime-text.ts';
import { groupByTag } from '../../../cli/engine/render/js-common/test-files.ts';
import { canonicalJson } from '../../../cli/engine/render/json/canonical-json.ts';
import { renderJson } from '../../../cli/engine/render/json/json-renderer.ts';
import { JS_ODD_PLAN, ODD_TEXTS } from '../../fixtures/plans/js-odd-plan.ts';
import { PETSTORE_PLAN } from '../../fixtures/plans/petstore-plan.ts';

const evaluate = (source: string): unknown => new Function(`return (${source});`)();

describe('jsString / toJsLiteral', () => {
  test.each([...ODD_TEXTS, '', "'", '"', '\0\x01\x7f', '\\\\', '\ud83d', '\udc00x'])(
    'round-trips %j',
    (text) => {
      expect(evaluate(jsString(text))).toBe(text);
      expect(jsString(text)).not.toMatch(/[\n\r\u2028\u2029]/);
    },
  );

  test('prefers the quote that needs no escaping', () => {
    expect(jsString("it's")).toBe(`"it's"`);
    expect(jsString('say "hi"')).toBe(`'say "hi"'`);
    expect(jsString(`'"`)).toBe(`'\\'"'`);
  });

  test('writes nested values that evaluate back to the same data, __proto__ included', () => {
    const value = JSON.parse('{"__proto__":{"a":1},"b c":[1,"x",null,true,{"d":[]}],"e":{}}');
    const literal = toJsLiteral(value);
    expect(literal).toContain("['__proto__']");
    const back = evaluate(literal) as Record<string, unknown>;
    expect(Object.keys(back)).toEqual(['__proto__', 'b c', 'e']);
    expect(JSON.stringify(back)).toBe(JSON.stringify(value));
  });

  test('keeps short values inline and breaks long ones, one entry per line', () => {
    expect(toJsLiteral({ a: 1, b: ['x'] })).toBe("{ a: 1, b: ['x'] }");
    const long = toJsLiteral({ text: 'x'.repeat(120), n: 1 }, { indent: 2 });
    expect(long).toBe(`{\n    text: '${'x'.repeat(120)}',\n    n: 1,\n  }`);
  });

  test('writes VarRefs through the hook', () => {
    expect(toJsLiteral(['/pets/', { $var: 'id' }], { varRef: (n) => `v(${jsString(n)})` })).toBe(
      "['/pets/', v('id')]",
    );
  });
});

describe('joinModules (runtime sources → one runtime file)', () => {
  const core = {
    name: 'core.ts',
    text: "/** The core. */\nimport { a } from 'a';\nimport type { T } from 't';\n\nexport function f(): T {\n  return a;\n}\n",
  };
  const transport = {
    name: 'transport.ts',
    text: "import { a } from 'a';\nimport {\n  f,\n  type T,\n} from './core.ts';\nimport { b } from 'b';\n\nexport const g = (): T => f() + b;\n",
  };

  test('keeps the first file comment, each outside import once, then the code in order', () => {
    expect(joinModules([core, transport])).toBe(
      [
        '/** The core. */',
        '',
        "import { a } from 'a';",
        "import type { T } from 't';",
        "import { b } from 'b';",
        '',
        'export function f(): T {',
        '  return a;',
        '}',
        '',
        'export const g = (): T => f() + b;',
        '',
      ].join('\n'),
    );
  });

  test.each([
    [
      { name: 'late.ts', text: "/** Late. */\nimport { x } from 'x';\nx;\n" },
      /only the first may start with a comment/,
    ],
    [{ name: 'late.ts', text: "const y = 1;\nimport { x } from 'x';\n" }, /imports must come first/],
  ])('refuses a module it would join wrongly: %j', (module, error) => {
    expect(() => joinModules([core, module])).toThrow(error);
  });

  test.each([
    ['ts', 'fetch'],
    ['ts', 'playwright'],
    ['js', 'fetch'],
  ] as const)(
    'the %s runtime for %s defines apiCase once and imports only packages, hooks and schemas',
    (language, transport) => {
      const text = runtimeText({ language, transport });
      expect(text.match(/^(export )?function apiCase\(/gm)).toHaveLength(1);
      const specifiers = [...text.matchAll(/(?:from |require\()'([^']+)'/g)].map((match) => match[1]);
      expect(specifiers.filter((specifier) => specifier?.startsWith('.'))).toEqual([
        `./hooks.${language}`,
        `./schemas.${language}`,
      ]);
      if (language === 'js') {
        expect(text).not.toMatch(/^(export|import) /m);
        expect(text).toMatch(/^module\.exports = \{[^}]*\bapiCase,[^}]*\};$/m);
      }
    },
  );

  test('has no CommonJS runtime for the Playwright transport (Playwright suites are TypeScript)', () => {
    expect(() => runtimeText({ language: 'js', transport: 'playwright' })).toThrow(/no js runtime/);
  });
});

describe('case selection and grouping', () => {
  test('reports each case a JS suite cannot run, naming it and the reason', () => {
    const { cases, diagnostics } = selectCases(JS_ODD_PLAN, 'vitest');
    expect(cases.map((c) => c.id)).toContain('odd_op_stateful_ok');
    expect(diagnostics.map((d) => [d.code, d.message])).toEqual([
      [
        'CASE_NOT_RENDERED',
        'vitest: case odd_op_auth_mtls not rendered: step 1: mutualTLS needs client certificates',
      ],
      [
        'CASE_NOT_RENDERED',
        'vitest: case odd_op_stateful_uncaptured not rendered: step 1: variable "nope" is not captured by an earlier step',
      ],
      [
        'CASE_NOT_RENDERED',
        "vitest: case missing_op_negative_1 not rendered: step 1: operation missing_op is not in the plan's operations",
      ],
    ]);
  });

  test('reports duplicate ids, unknown schemes and two Authorization credentials', () => {
    const base = PETSTORE_PLAN.cases[1]!;
    const plan: TestPlan = {
      ...PETSTORE_PLAN,
      securitySchemes: {
        ...PETSTORE_PLAN.securitySchemes,
        basic: { key: 'basic', type: 'http', scheme: 'basic', env: { username: 'U', password: 'P' } },
      },
      cases: [
        base,
        base,
        { ...base, id: 'x_1', steps: [{ ...base.steps[0]!, auth: { mode: 'valid', schemes: ['nope'] } }] },
        {
          ...base,
          id: 'x_2',
          steps: [{ ...base.steps[0]!, auth: { mode: 'invalid', schemes: ['bearerAuth', 'basic'] } }],
        },
      ],
    };
    const messages = selectCases(plan, 'jest').diagnostics.map((d) => d.message);
    expect(messages).toEqual([
      `jest: case ${base.id} not rendered: a case with the same id was already rendered`,
      'jest: case x_1 not rendered: step 1: security scheme "nope" is not in the plan',
      'jest: case x_2 not rendered: step 1: it needs two credentials in one Authorization header',
    ]);
  });

  test('groups by first tag with unique file names, untagged cases together', () => {
    const groups = groupByTag(JS_ODD_PLAN.cases, '.test.ts');
    expect(groups.map((g) => g.path)).toContain('tests/pets.test.ts');
    expect(groups.map((g) => g.path)).toContain('tests/pets-2.test.ts');
    expect(groups.map((g) => g.path)).toContain('tests/untagged.test.ts');
    expect(new Set(groups.map((g) => g.path)).size).toBe(groups.length);
    expect([...uniqueSlugs(['日本', 'Ä b', 'a-b', '日本'], 'tag')]).toEqual([
      ['日本', 'tag'],
      ['Ä b', 'a-b'],
      ['a-b', 'a-b-2'],
    ]);
  });

  test('rewrites component $refs, but not inside enum/example data or property names', () => {
    const schema = JS_ODD_PLAN.schemas.Odd!;
    expect(rewriteRefs(schema)).toEqual({
      type: 'object',
      properties: {
        ...JSON.parse('{"__proto__":{"type":"string"}}'),
        enum: { $ref: 'specmint:components#/components/schemas/Other' },
        'we\'ird "key"': { type: 'string', enum: [{ $ref: '#/components/schemas/NotARef' }] },
      },
    });
  });
});

describe('json renderer', () => {
  test('writes the plan itself as canonical JSON: same bytes whatever the key order', () => {
    const { files, renderedCaseIds, diagnostics } = renderJson(PETSTORE_PLAN, { generatorVersion: '1' });
    const planFile = files.find((f) => f.path === 'test-plan.json')!;
    expect(JSON.parse(joinText(planFile.contents))).toEqual(PETSTORE_PLAN);
    expect(joinText(planFile.contents).endsWith('}\n')).toBe(true);
    expect(joinText(planFile.contents).split('\n')[1]).toBe('  "planVersion": 2,');
    expect(renderedCaseIds).toEqual(PETSTORE_PLAN.cases.map((c) => c.id));
    expect(diagnostics).toEqual([]);
    const reversed = JSON.parse(JSON.stringify(PETSTORE_PLAN), function (this: unknown, _key, value) {
      return value && typeof value === 'object' && !Array.isArray(value)
        ? Object.fromEntries(Object.entries(value).reverse())
        : value;
    });
    expect(canonicalJson(reversed)).toBe(planFile.contents);
  });
});
