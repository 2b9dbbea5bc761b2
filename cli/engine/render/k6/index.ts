/**
 * The `k6` format: `load-test.js`, a k6 script with one scenario per operation built from the plan's
 * contract cases, checks on status and body shape, and thresholds (error rate, p95 latency) from env vars.
 * @see https://grafana.com/docs/k6/latest/using-k6/scenarios/
 */
import type { JsonSchema, JsonSchemaObject } from '../../ir/types.ts';
import type { TestCase, TestPlan } from '../../plan/types.ts';
import {
  type CaseSkip,
  commentLines,
  credentialEnvVars,
  groupBy,
  headerText,
  partitionCases,
  uniqueNamer,
  unsupportedCaseCheck,
  usedSchemes,
} from '../common/case-support.ts';
import type { FormatModule } from '../format-module.ts';
import type { RenderOptions, RenderResult } from '../types.ts';
import { k6Format } from './format.ts';
import { HELPERS, SETTINGS } from './script-runtime.ts';

/** The top-level shape a response body must have: JSON types and required properties. */
export interface BodyShape {
  types: string[];
  required: string[];
}

const COMPONENT_PREFIX = '#/components/schemas/';

function deref(plan: TestPlan, schema: JsonSchema | undefined, depth = 0): JsonSchemaObject | undefined {
  if (schema === undefined || typeof schema === 'boolean' || depth > 20) return undefined;
  if (typeof schema.$ref === 'string' && schema.$ref.startsWith(COMPONENT_PREFIX)) {
    return deref(
      plan,
      plan.schemas[decodeURIComponent(schema.$ref.slice(COMPONENT_PREFIX.length))],
      depth + 1,
    );
  }
  return schema;
}

/** The shape of a schema, looking through `$ref` and `allOf`; `undefined` when nothing can be said. */
export function bodyShape(plan: TestPlan, schema: JsonSchema | undefined, depth = 0): BodyShape | undefined {
  const node = deref(plan, schema);
  if (!node || depth > 20) return undefined;
  let types: string[] =
    typeof node.type === 'string' ? [node.type] : Array.isArray(node.type) ? node.type : [];
  if (types.length === 0 && node.properties) types = ['object'];
  const required = new Set(Array.isArray(node.required) ? node.required : []);
  for (const member of node.allOf ?? []) {
    const inner = bodyShape(plan, member, depth + 1);
    if (!inner) continue;
    for (const name of inner.required) required.add(name);
    if (types.length === 0) types = inner.types;
    else if (inner.types.length > 0) types = types.filter((type) => inner.types.includes(type));
  }
  if (types.length === 0 && required.size === 0) return undefined;
  return { types, required: [...required] };
}

function json(value: unknown): string {
  return JSON.stringify(value, null, 2);
}

function caseData(testCase: TestCase): Record<string, unknown> {
  return {
    id: testCase.id,
    title: testCase.title,
    steps: testCase.steps.map((step) => ({
      operation: step.operationId,
      method: step.method,
      path: step.path,
      query: step.query,
      headers: step.headers,
      cookies: step.cookies,
      ...(step.body ? { body: step.body } : {}),
      auth: step.auth,
      expect: step.expect.status,
      ...(step.capture ? { capture: step.capture } : {}),
    })),
  };
}

function readme(plan: TestPlan, header: string, vars: Array<[string, string]>, scenarios: string[]): string {
  const rows: Array<[string, string]> = [
    ['BASE_URL', 'base URL of the API under test'],
    ...vars,
    ['VUS', 'virtual users per scenario (default 5)'],
    ['DURATION', 'duration of each scenario, e.g. `1m` (default `30s`)'],
    ['MAX_ERROR_RATE', 'threshold on `http_req_failed` (default 0.01)'],
    ['P95_MS', 'threshold on the 95th percentile of `http_req_duration` in ms (default 500)'],
    ['MIN_CHECK_RATE', 'threshold on the rate of passed checks (default 0.99)'],
  ];
  const flags = vars.map(([name]) => ` -e ${name}=$${name}`).join('');
  return `<!-- ${header.replace(/--/g, '- -')} -->
# ${plan.api.title} ${plan.api.version} — k6 load test

\`load-test.js\` runs one scenario per operation (${scenarios.map((name) => `\`${name}\``).join(', ') || 'none'}),
each repeating the operation's contract cases: every response is checked (no 5xx, expected and declared status,
declared Content-Type, top-level body shape), and the run fails when a threshold is crossed.

## Environment

| Variable | Meaning |
|---|---|
${rows.map(([name, text]) => `| \`${name}\` | ${text} |`).join('\n')}

## Run

\`\`\`sh
k6 run -e BASE_URL=$BASE_URL${flags} load-test.js
\`\`\`
`;
}

/** Renders a plan's contract cases as a k6 load test. Pure: same plan and options → same files. */
export function renderK6(plan: TestPlan, options: RenderOptions): RenderResult {
  const header = headerText(options);
  const unsupported = unsupportedCaseCheck(plan);
  const { rendered, diagnostics } = partitionCases(plan.cases, (testCase): CaseSkip | undefined => {
    if (testCase.category !== 'contract') {
      const reason = `k6 load tests use contract cases only (this is a ${testCase.category} case)`;
      return { reason, severity: 'info' };
    }
    const reason = unsupported(testCase);
    return reason ? { reason, severity: 'warning' } : undefined;
  });
  const byOperation = groupBy(rendered, (testCase) => testCase.operationId);
  const exportName = uniqueNamer();
  const scenarios = [...byOperation.keys()].map((operationId) => ({
    operationId,
    fn: exportName(operationId.replace(/[^A-Za-z0-9_$]/g, '_').replace(/^(?=[0-9])/, '_')),
  }));
  const usedOperations = new Set(
    rendered.flatMap((testCase) => testCase.steps.map((step) => step.operationId)),
  );
  const operations = Object.fromEntries(
    plan.operations
      .filter((operation) => usedOperations.has(operation.id))
      .map((operation) => [
        operation.id,
        {
          path: operation.path,
          responses: operation.responses.map((response) => ({
            status: response.status,
            contents: response.contents.map((content) => {
              const shape = bodyShape(plan, content.schema);
              return shape ? { mediaType: content.mediaType, shape } : { mediaType: content.mediaType };
            }),
          })),
        },
      ]),
  );
  const schemeKeys = usedSchemes(rendered);
  const schemes = Object.fromEntries(schemeKeys.map((key) => [key, plan.securitySchemes[key]]));
  const usesBasic = schemeKeys.some((key) => plan.securitySchemes[key]?.scheme?.toLowerCase() === 'basic');
  const cases = Object.fromEntries(
    [...byOperation].map(([operationId, list]) => [operationId, list.map(caseData)]),
  );
  const scenarioLines = scenarios.map(
    ({ fn }) => `    ${fn}: { executor: 'constant-vus', vus: VUS, duration: DURATION, exec: '${fn}' },`,
  );
  const imports = ["import http from 'k6/http';", "import { check } from 'k6';"];
  if (usesBasic) imports.push("import encoding from 'k6/encoding';");
  const functions = scenarios.map(
    ({ operationId, fn }) =>
      `/** Scenario ${operationId}: its contract cases, in order. */\nexport function ${fn}() {\n  for (const testCase of CASES[${JSON.stringify(operationId)}]) runCase(testCase);\n}`,
  );
  const script = [
    commentLines(header, '//'),
    `// Load test for ${plan.api.title.replace(/[\r\n]+/g, ' ')} ${plan.api.version.replace(/[\r\n]+/g, ' ')}. Run: see README.md`,
    ...imports,
    '',
    SETTINGS,
    '',
    `const SECURITY_SCHEMES = ${json(schemes)};`,
    '',
    '/** Declared responses per operation, with the top-level body shape of JSON contents. */',
    `const OPERATIONS = ${json(operations)};`,
    '',
    '/** Contract cases per operation. */',
    `const CASES = ${json(cases)};`,
    '',
    'export const options = {',
    '  scenarios: {',
    ...scenarioLines,
    '  },',
    '  thresholds: {',
    "    http_req_failed: ['rate<' + MAX_ERROR_RATE],",
    "    http_req_duration: ['p(95)<' + P95_MS],",
    "    checks: ['rate>' + MIN_CHECK_RATE],",
    '  },',
    '};',
    '',
    HELPERS,
    '',
    functions.join('\n\n'),
    '',
  ].join('\n');
  return {
    files: [
      {
        path: 'README.md',
        contents: readme(
          plan,
          header,
          credentialEnvVars(plan, Object.keys(plan.securitySchemes).sort()),
          scenarios.map((s) => s.operationId),
        ),
      },
      { path: 'load-test.js', contents: script },
    ],
    renderedCaseIds: rendered.map((testCase) => testCase.id),
    diagnostics,
  };
}

/** The `k6` format (registered in ../registry.ts). */
export const k6Renderer: FormatModule = { ...k6Format, render: renderK6 };
