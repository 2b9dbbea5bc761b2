/**
 * The `k6` format: `load-test.js`, a k6 script with one scenario per operation that repeats the plan's contract
 * cases (tables of cases as data arrays), runs the named checks of docs/checks.md that apply to them on every
 * response, and ends with SpecMint's summary and, under CI, reports/junit.xml and reports/coverage.json
 * (handleSummary); thresholds from env vars; the runtime module and the user's hooks.js beside it.
 * @see https://grafana.com/docs/k6/latest/using-k6/scenarios/
 */

import type { PlanOperation, TestCase, TestPlan, TestStep } from '../../plan/types.ts';
import {
  type CaseSkip,
  commentLines,
  credentialEnvVars,
  groupBy,
  headerText,
  partitionCases,
  uniqueNamer,
  unsupportedCaseCheck,
} from '../common/case-support.ts';
import { type CaseGroup, groupCaseTables, type RowRequest } from '../common/case-tables.ts';
import { layoutJson } from '../common/json-layout.ts';
import type { FormatModule } from '../format-module.ts';
import { stepChecks } from '../postman/step-checks.ts';
import type { RenderOptions, RenderResult } from '../types.ts';
import { k6Format } from './format.ts';
import { k6Readme } from './readme.ts';
import { K6_HOOKS, K6_RUNTIME_FILES } from './script-runtime.ts';

/** Names a scenario function cannot take: JavaScript's reserved words and the script's own exports. */
const RESERVED = new Set(
  (
    'break case catch class const continue debugger default delete do else enum export extends false finally for ' +
    'function if import in instanceof new null return super switch this throw true try typeof var void while with ' +
    'yield let static implements interface package private protected public await arguments eval ' +
    'options setup teardown handleSummary suite CASES'
  ).split(' '),
);

/** Data as laid-out JSON (short records on one line), starting `column` characters into its line. */
function json(value: unknown, column: number): string {
  return layoutJson(value, { column });
}

function requestOf(request: RowRequest): Record<string, unknown> {
  return {
    path: request.path,
    query: request.query,
    headers: request.headers,
    cookies: request.cookies,
    ...(request.body ? { body: request.body } : {}),
  };
}

function stepData(operations: ReadonlyMap<string, PlanOperation>, step: TestStep): Record<string, unknown> {
  const operation = operations.get(step.operationId)!;
  return {
    operation: step.operationId,
    method: step.method,
    ...requestOf(step),
    auth: step.auth,
    checks: stepChecks(operation, step),
    ...(step.capture ? { capture: step.capture } : {}),
    ...(step.snapshot ? { snapshot: step.snapshot } : {}),
    ...(step.note ? { note: step.note } : {}),
    ...(step.unique && step.unique.length > 0
      ? { unique: step.unique.map((made) => [made.text, made.shape]) }
      : {}),
  };
}

/** A single case as `{id, title, steps}`; a table as its first case's steps and one row per case. */
function groupData(
  operations: ReadonlyMap<string, PlanOperation>,
  group: CaseGroup,
): Record<string, unknown> {
  const first = group.kind === 'single' ? group.case : group.template;
  const data: Record<string, unknown> = {
    id: first.id,
    title: first.title,
    steps: first.steps.map((step) => stepData(operations, step)),
  };
  // Rows of a table share the AI origin of their first case (case-tables.ts groups only cases that do).
  if (first.ai) data.ai = `AI-generated (${first.ai.provider} ${first.ai.model}), validated by SpecMint`;
  if (group.kind === 'table') {
    data.rows = group.rows.map((row) => ({
      id: row.case.id,
      title: row.case.title,
      request: requestOf(row.request),
    }));
  }
  return data;
}

/** Renders a plan's contract cases as a k6 load test. Pure: same plan and options → same files. */
export function renderK6(plan: TestPlan, options: RenderOptions): RenderResult {
  const header = headerText(options);
  const unsupported = unsupportedCaseCheck(plan);
  const { rendered, diagnostics } = partitionCases(plan.cases, (testCase): CaseSkip | undefined => {
    if (testCase.category !== 'contract') {
      const article = /^[aeiou]/.test(testCase.category) ? 'an' : 'a';
      const reason = `k6 load tests use contract cases only (this is ${article} ${testCase.category} case)`;
      return { reason, severity: 'info' };
    }
    const reason = unsupported(testCase);
    return reason ? { reason, severity: 'warning' } : undefined;
  });
  const byOperation = groupBy(rendered, (testCase: TestCase) => testCase.operationId);
  const exportName = uniqueNamer();
  for (const name of ['options', 'setup', 'teardown', 'handleSummary', 'suite']) exportName(name);
  const scenarios = [...byOperation.keys()].map((operationId) => {
    const safe = operationId.replace(/[^A-Za-z0-9_$]/g, '_').replace(/^(?=[0-9])/, '_');
    return { operationId, fn: exportName(RESERVED.has(safe) ? `${safe}_` : safe) };
  });
  const usedOperations = new Set(
    rendered.flatMap((testCase) => testCase.steps.map((step) => step.operationId)),
  );
  const credentials = new Map<string, Set<string>>();
  for (const testCase of rendered) {
    for (const step of testCase.steps) {
      if (step.auth.mode !== 'valid') continue;
      const names = credentials.get(step.operationId) ?? new Set<string>();
      for (const key of step.auth.schemes) {
        const env = plan.securitySchemes[key]?.env ?? {};
        for (const name of [env.token, env.username, env.password]) if (name) names.add(name);
      }
      credentials.set(step.operationId, names);
    }
  }
  const operations = Object.fromEntries(
    plan.operations
      .filter((operation) => usedOperations.has(operation.id))
      .map((operation) => [
        operation.id,
        {
          method: operation.method,
          path: operation.path,
          credentials: [...(credentials.get(operation.id) ?? [])].sort(),
          responses: operation.responses,
        },
      ]),
  );
  const security = Object.fromEntries(
    Object.keys(plan.securitySchemes)
      .sort()
      .map((key) => {
        const { type, scheme, in: where, name, env } = plan.securitySchemes[key]!;
        return [key, { type, scheme, in: where, name: name ?? key, env }];
      }),
  );
  const tables = {
    api: plan.api,
    security,
    schemas: plan.schemas,
    operations,
  };
  const byId = new Map(plan.operations.map((operation) => [operation.id, operation]));
  const cases = Object.fromEntries(
    [...byOperation].map(([operationId, list]) => [
      operationId,
      groupCaseTables(list).map((group) => groupData(byId, group)),
    ]),
  );
  const script = [
    commentLines(header, '//'),
    `// Load test for ${plan.api.title.replace(/[\r\n]+/g, ' ')} ${plan.api.version.replace(/[\r\n]+/g, ' ')}. Run: see README.md`,
    "import * as hooks from './hooks.js';",
    "import { createSuite, settings } from './specmint-runtime.js';",
    '',
    '/** What the API declares: security schemes, schemas, and the responses of each operation. */',
    `const suite = createSuite(${json(tables, 26)}, hooks);`,
    '',
    '/**',
    ' * Contract cases per operation: single cases, and tables whose rows send their own request in the last step.',
    ' * Each step lists its checks by name (docs/checks.md) with what they need.',
    ' */',
    `const CASES = ${json(cases, 14)};`,
    '',
    'export const options = {',
    '  scenarios: {',
    ...scenarios.map(
      ({ fn }) =>
        `    ${fn}: { executor: 'constant-vus', vus: settings.vus, duration: settings.duration, exec: '${fn}' },`,
    ),
    '  },',
    '  thresholds: {',
    "    http_req_failed: ['rate<' + settings.maxErrorRate],",
    "    http_req_duration: ['p(95)<' + settings.p95Ms],",
    "    specmint_checks: ['rate>' + settings.minCheckRate],",
    '  },',
    '};',
    '',
    '/** k6 setup: the beforeRun hook (hooks.js). */',
    'export function setup() {',
    '  return suite.setup();',
    '}',
    '',
    '/** k6 teardown: the afterRun hook (hooks.js). */',
    'export function teardown(data) {',
    '  suite.teardown(data);',
    '}',
    '',
    '/** The summary on stdout; with CI or SPECMINT_REPORTS=1, reports/junit.xml and reports/coverage.json. */',
    'export function handleSummary(data) {',
    '  return suite.handleSummary(data);',
    '}',
    ...scenarios.flatMap(({ operationId, fn }) => [
      '',
      `/** Scenario ${operationId}: its contract cases, in order. */`,
      `export function ${fn}() {`,
      `  suite.run(CASES[${JSON.stringify(operationId)}]);`,
      '}',
    ]),
    '',
  ].join('\n');
  return {
    files: [
      { path: '.gitignore', contents: 'reports/\n' },
      {
        path: 'README.md',
        contents: k6Readme({
          plan,
          header,
          vars: credentialEnvVars(plan, Object.keys(plan.securitySchemes).sort()),
          scenarios: scenarios.map((s) => s.operationId),
        }),
      },
      // The user's file from the first run on: no generated-by header.
      { path: 'hooks.js', contents: K6_HOOKS, once: true },
      { path: 'load-test.js', contents: script },
      ...K6_RUNTIME_FILES.map(({ path, text }) => ({
        path,
        contents: `${commentLines(header, '//')}\n${text}`,
      })),
    ],
    renderedCaseIds: rendered.map((testCase) => testCase.id),
    diagnostics,
  };
}

/** The `k6` format (registered in ../registry.ts). */
export const k6Renderer: FormatModule = { ...k6Format, render: renderK6 };
