/**
 * json: `test-plan.json` parses, has the shape of a `TestPlan` (cli/engine/plan/types.ts; the format has no
 * published schema, so {@link PLAN_SHAPE} restates the type's required fields), its case ids are unique,
 * and every named and response schema compiles with Ajv 2020 the way the generated JS runtimes compile them
 * (js-common/runtime/specmint.runtime.ts: `strict: false`, ajv-formats, a `pattern` compiled with the `u` flag or,
 * when only valid without it, without it — as the engine reads patterns, cli/engine/data/json.ts) with
 * `#/components/schemas/X` resolving to the plan's `schemas`.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { DEPTHS } from '../../cli/engine/data/depth.ts';
import { CHECK_NAMES, type TestPlan } from '../../cli/engine/plan/types.ts';
import { type CheckResult, failed, PASSED } from './checks.ts';

const STRING = { type: 'string' } as const;
const STRINGS = { type: 'array', items: STRING } as const;
const VALUE = { anyOf: [STRING, { type: 'object', required: ['$var'], properties: { $var: STRING } }] };

const STEP = {
  type: 'object',
  required: ['operationId', 'method', 'path', 'query', 'headers', 'cookies', 'auth', 'expect'],
  properties: {
    operationId: STRING,
    method: { type: 'string', pattern: '^[A-Z]+$' },
    path: { type: 'array', items: VALUE },
    query: {
      type: 'array',
      items: { type: 'array', prefixItems: [STRING, VALUE], minItems: 2, maxItems: 2 },
    },
    headers: { type: 'object', additionalProperties: STRING },
    cookies: { type: 'object', additionalProperties: STRING },
    body: {
      type: 'object',
      required: ['mediaType', 'kind'],
      properties: { mediaType: STRING, kind: { enum: ['json', 'form', 'multipart', 'text'] } },
    },
    auth: {
      type: 'object',
      required: ['mode', 'schemes'],
      properties: { mode: { enum: ['valid', 'none', 'invalid'] }, schemes: STRINGS },
    },
    expect: {
      type: 'object',
      required: ['status', 'check', 'validateBody'],
      properties: {
        status: {
          type: 'array',
          minItems: 1,
          items: { type: 'string', pattern: '^([1-5][0-9X]{2}|default)$' },
        },
        check: { enum: CHECK_NAMES },
        validateBody: { type: 'boolean' },
      },
    },
    capture: { type: 'object', additionalProperties: STRING },
  },
};

/** The required structure of a `TestPlan` (planVersion 2). */
export const PLAN_SHAPE = {
  type: 'object',
  required: [
    'planVersion',
    'api',
    'seed',
    'depth',
    'securitySchemes',
    'schemas',
    'operations',
    'cases',
    'sampleData',
    'diagnostics',
  ],
  properties: {
    planVersion: { const: 2 },
    depth: { enum: DEPTHS },
    api: { type: 'object', required: ['title', 'version'], properties: { title: STRING, version: STRING } },
    seed: { type: 'integer' },
    securitySchemes: { type: 'object' },
    schemas: { type: 'object' },
    operations: {
      type: 'array',
      items: {
        type: 'object',
        required: ['id', 'method', 'path', 'tags', 'responses'],
        properties: {
          id: STRING,
          path: STRING,
          tags: STRINGS,
          responses: {
            type: 'array',
            items: {
              type: 'object',
              required: ['status', 'contents'],
              properties: { contents: { type: 'array' } },
            },
          },
        },
      },
    },
    cases: {
      type: 'array',
      items: {
        type: 'object',
        required: ['id', 'category', 'operationId', 'title', 'tags', 'steps'],
        properties: {
          id: { type: 'string', pattern: '^[A-Za-z_$][A-Za-z0-9_$]*$' },
          category: { enum: ['contract', 'negative', 'boundary', 'auth', 'stateful'] },
          title: STRING,
          steps: { type: 'array', minItems: 1, items: STEP },
        },
      },
    },
    sampleData: {
      type: 'array',
      items: {
        type: 'object',
        required: ['schema', 'rows'],
        properties: { schema: STRING, rows: { type: 'array' } },
      },
    },
    diagnostics: { type: 'array' },
  },
};

const shapeAjv = new Ajv2020({ strict: false, allErrors: false });
const validateShape = shapeAjv.compile(PLAN_SHAPE);

/** The runtimes' pattern compiler (see the file comment). */
function patternRegExp(pattern: string, flags: string): RegExp {
  try {
    return new RegExp(pattern, flags);
  } catch {
    return new RegExp(pattern, flags.replace('u', ''));
  }
}
patternRegExp.code = 'patternRegExp';

function pointerToken(name: string): string {
  return encodeURIComponent(name.replace(/~/g, '~0').replace(/\//g, '~1'));
}

/** Compiles every named schema and every response schema; the first failure's message. */
function schemaError(plan: TestPlan): string | undefined {
  const ajv = new Ajv2020({ strict: false, allErrors: true, logger: false, code: { regExp: patternRegExp } });
  addFormats.default(ajv);
  const base = 'specmint:plan';
  ajv.addSchema({ $id: base, components: { schemas: plan.schemas }, operations: plan.operations });
  const refs = Object.keys(plan.schemas).map((name) => `#/components/schemas/${pointerToken(name)}`);
  plan.operations.forEach((operation, i) => {
    operation.responses.forEach((response, j) => {
      response.contents.forEach((content, k) => {
        if (content.schema !== undefined) refs.push(`#/operations/${i}/responses/${j}/contents/${k}/schema`);
      });
    });
  });
  for (const ref of refs) {
    try {
      if (!ajv.getSchema(`${base}${ref}`)) return `${ref} does not resolve`;
    } catch (error) {
      return `${ref} does not compile: ${(error as Error).message}`;
    }
  }
  return undefined;
}

/** Validates the `json` output in `dir`. */
export function checkJsonPlan(dir: string): CheckResult {
  const file = 'test-plan.json';
  let plan: TestPlan;
  try {
    plan = JSON.parse(readFileSync(join(dir, file), 'utf8')) as TestPlan;
  } catch (error) {
    return failed((error as Error).message, file);
  }
  if (!validateShape(plan))
    return failed(`not a test plan: ${shapeAjv.errorsText(validateShape.errors)}`, file);
  const ids = new Set<string>();
  for (const testCase of plan.cases) {
    if (ids.has(testCase.id)) return failed(`duplicate case id ${testCase.id}`, file);
    ids.add(testCase.id);
  }
  const error = schemaError(plan);
  return error ? failed(error, file) : PASSED;
}
