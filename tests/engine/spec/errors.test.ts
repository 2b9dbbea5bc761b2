import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadSpec } from '../../../cli/engine/spec/load-spec.ts';
import { SpecError } from '../../../cli/engine/spec/spec-error.ts';
import { InputError } from '../../../cli/errors.ts';
import { FEATURES, specErrorOf, TMP } from './helpers.ts';

const INVALID = join(FEATURES, 'invalid');

interface ErrorCase {
  name: string;
  /** Path relative to features/invalid/, or an absolute path. */
  file: string;
  code: string;
  /** Substrings the message must contain (file, pointer, line, problem). */
  contains: string[];
  /** Diagnostic codes that must be present. */
  diagnostics?: string[];
}

const cases: ErrorCase[] = [
  {
    name: 'file not found',
    file: 'nope.yaml',
    code: 'SPEC_NOT_FOUND',
    contains: ['nope.yaml', 'file not found'],
  },
  {
    name: 'YAML syntax error',
    file: 'syntax-error-yaml.txt',
    code: 'SPEC_SYNTAX',
    contains: ['syntax-error-yaml.txt:11:', 'not valid YAML'],
    diagnostics: ['YAML_BAD_INDENT'],
  },
  {
    name: 'JSON syntax error',
    file: 'syntax-error-json.txt',
    code: 'SPEC_SYNTAX',
    contains: ['syntax-error-json.txt:4:3', 'not valid JSON', "Expected ',' or '}'"],
    diagnostics: ['JSON_SYNTAX'],
  },
  {
    name: 'not an OpenAPI document',
    file: 'not-openapi.yaml',
    code: 'SPEC_NOT_OPENAPI',
    contains: ['not-openapi.yaml:2:1', 'no `openapi` (3.x) or `swagger` (2.0) key'],
  },
  {
    name: 'empty file',
    file: 'empty.yaml',
    code: 'SPEC_NOT_OPENAPI',
    contains: ['empty.yaml', 'empty document'],
  },
  {
    name: 'unsupported OpenAPI version',
    file: 'unsupported-version.yaml',
    code: 'SPEC_UNSUPPORTED_VERSION',
    contains: ['unsupported-version.yaml:1:1', 'at /openapi', '"4.0.0" is not supported'],
  },
  {
    name: 'unsupported Swagger version',
    file: 'swagger-1.2.json',
    code: 'SPEC_UNSUPPORTED_VERSION',
    contains: ['swagger-1.2.json:1:3', 'at /swagger', '"1.2"'],
  },
  {
    name: 'schema-invalid document (every problem listed)',
    file: 'schema-invalid.yaml',
    code: 'SPEC_INVALID',
    contains: [
      '2 problems',
      'schema-invalid.yaml:21:7 at /paths/~1pets/post/requestBody: `requestBody` must be an object, found a string ("a pet")',
      'schema-invalid.yaml:22:7 at /paths/~1pets/post/responses: `responses` must be an object, found a list',
    ],
    diagnostics: ['WRONG_TYPE', 'PARAMETER_INVALID', 'RESPONSE_WITHOUT_DESCRIPTION'],
  },
  {
    name: '$ref to a missing target',
    file: 'broken-ref.yaml',
    code: 'SPEC_REF_UNRESOLVED',
    contains: [
      'broken-ref.yaml:14:15',
      'at /paths/~1pets/get/responses/200/content/application~1json/schema',
      "$ref '#/components/schemas/Pets' points to nothing: there is no 'Pets'",
    ],
    diagnostics: ['REF_NOT_FOUND'],
  },
  {
    name: 'missing external file',
    file: 'missing-external-file.yaml',
    code: 'SPEC_REF_UNRESOLVED',
    contains: [
      'missing-external-file.yaml:14:15',
      "$ref './does-not-exist.yaml#/Pet' cannot be resolved",
      'does-not-exist.yaml: file not found',
    ],
    diagnostics: ['EXTERNAL_REF_UNREADABLE'],
  },
];

/** A line of a V8 stack trace. */
const STACK_LINE = /^\s+at .+(:\d+:\d+\)?|<anonymous>\)?)$/m;

describe('loadSpec errors', () => {
  it.each(cases)('$name', async ({ file, code, contains, diagnostics }) => {
    const path = file === 'nope.yaml' ? join(INVALID, file) : join(INVALID, file);
    const error = await specErrorOf(loadSpec(path));
    expect(error).toBeInstanceOf(InputError);
    expect(error.exitCode).toBe(1);
    expect(error.code).toBe(code);
    for (const part of contains) expect(error.message).toContain(part);
    expect(error.message).not.toMatch(STACK_LINE);
    expect(error.message).not.toContain('node_modules');
    expect(error.hint?.length ?? 0).toBeGreaterThan(10);
    expect(error.diagnostics.length).toBeGreaterThan(0);
    expect(error.diagnostics.some((d) => d.severity === 'error')).toBe(true);
    for (const d of diagnostics ?? []) expect(error.diagnostics.map((x) => x.code)).toContain(d);
  });

  it('gives lines for every located diagnostic of a schema-invalid document', async () => {
    const error = await specErrorOf(loadSpec(join(INVALID, 'schema-invalid.yaml')));
    const located = error.diagnostics.map(({ severity, code, line, column, pointer }) => ({
      severity,
      code,
      line,
      column,
      pointer,
    }));
    expect(located).toEqual([
      {
        severity: 'error',
        code: 'WRONG_TYPE',
        line: 21,
        column: 7,
        pointer: '/paths/~1pets/post/requestBody',
      },
      { severity: 'error', code: 'WRONG_TYPE', line: 22, column: 7, pointer: '/paths/~1pets/post/responses' },
      // Not fatal on their own, but reported with the errors, located too.
      {
        severity: 'warning',
        code: 'PARAMETER_INVALID',
        line: 10,
        column: 11,
        pointer: '/paths/~1pets/get/parameters/0/in',
      },
      {
        severity: 'warning',
        code: 'RESPONSE_WITHOUT_DESCRIPTION',
        line: 14,
        column: 9,
        pointer: '/paths/~1pets/get/responses/200',
      },
    ]);
  });

  it('locates problems in JSON input too', async () => {
    const dir = join(TMP, 'errors');
    await mkdir(dir, { recursive: true });
    const doc = parse(
      await (await import('node:fs/promises')).readFile(join(INVALID, 'schema-invalid.yaml'), 'utf8'),
    );
    const path = join(dir, 'schema-invalid.json');
    await writeFile(path, JSON.stringify(doc, null, 2));
    const error = await specErrorOf(loadSpec(path));
    const wrongType = error.diagnostics.find(
      (d) => d.code === 'WRONG_TYPE' && d.pointer?.endsWith('/responses'),
    );
    const lines = JSON.stringify(doc, null, 2).split('\n');
    expect(wrongType?.line).toBeDefined();
    expect(lines[wrongType!.line! - 1]).toContain('"responses": [');
    expect(error.message).toContain(`schema-invalid.json:${wrongType!.line}:`);
  });

  const inline: Array<{ name: string; text: string; code: string; contains: string }> = [
    {
      name: 'numeric openapi version',
      text: 'openapi: 3.0\ninfo: {title: t, version: "1"}\npaths: {}\n',
      code: 'SPEC_UNSUPPORTED_VERSION',
      contains: 'must be a string like "3.0.3"',
    },
    {
      name: 'paths is a list',
      text: 'openapi: 3.0.3\ninfo: {title: t, version: "1"}\npaths: []\n',
      code: 'SPEC_INVALID',
      contains: ':3:1 at /paths: `paths` must be an object, found a list',
    },
    {
      name: 'no paths in 3.0',
      text: 'openapi: 3.0.3\ninfo: {title: t, version: "1"}\n',
      code: 'SPEC_INVALID',
      contains: 'no `paths`',
    },
    {
      name: 'recursive YAML alias',
      text: 'openapi: 3.0.3\ninfo: {title: t, version: "1"}\npaths:\n  /a: &a\n    get:\n      responses:\n        "200":\n          description: ok\n          x-self: *a\n',
      code: 'SPEC_SYNTAX',
      contains: ':9:11: a YAML alias refers to one of its own ancestors',
    },
    {
      name: 'broken ref inside a Swagger 2.0 document',
      text: 'swagger: "2.0"\ninfo: {title: t, version: "1"}\npaths:\n  /a:\n    get:\n      responses:\n        "200":\n          description: ok\n          schema: {$ref: "#/definitions/Nope"}\n',
      code: 'SPEC_REF_UNRESOLVED',
      contains: ":9:11 at /paths/~1a/get/responses/200/schema: $ref '#/definitions/Nope' points to nothing",
    },
  ];
  it.each(inline)('$name', async ({ name, text, code, contains }) => {
    const dir = join(TMP, 'errors');
    await mkdir(dir, { recursive: true });
    const path = join(dir, `${name.replace(/\W+/g, '-')}.yaml`);
    await writeFile(path, text);
    const error = await specErrorOf(loadSpec(path));
    expect(error.code).toBe(code);
    expect(error.message).toContain(contains);
    expect(error.message).not.toMatch(STACK_LINE);
  });

  it('is a SpecError subclass usable by the CLI (name, hint, diagnostics)', async () => {
    const error = await specErrorOf(loadSpec(join(INVALID, 'broken-ref.yaml')));
    expect(error).toBeInstanceOf(SpecError);
    expect(error.name).toBe('SpecError');
    expect(error.diagnostics[0]).toMatchObject({
      file: join(INVALID, 'broken-ref.yaml'),
      line: 14,
      column: 15,
    });
  });
});
