/**
 * The k6 renderer: the renderer contract, a script that bundles as an ES module with k6's imports (the runtime
 * module and hooks.js beside it), scenarios per operation with env-driven thresholds, tables as data arrays, the
 * hooks file written once, and a README with the command. Running it (checks, failures, reports, hooks) is
 * k6-checks.test.ts; the runtime's JSON Schema validator is k6-runtime.test.ts.
 */
import { join } from 'node:path';
import { build } from 'esbuild';
import { describe, expect, test } from 'vitest';
import { joinText } from '../../../cli/engine/render/common/file-text.ts';
import { k6Renderer } from '../../../cli/engine/render/k6/index.ts';
import type { RenderResult } from '../../../cli/engine/render/types.ts';
import { OTHER_ODD_PLAN } from '../../fixtures/plans/other-odd-plan.ts';
import { ORACLE_PLAN } from '../postman/oracle-plan.ts';
import { TMP_ROOT, writeFiles } from '../pytest/write-files.ts';

const OPTIONS = { generatorVersion: '9.9.9' };

const text = (result: RenderResult, path: string) =>
  joinText(result.files.find((f) => f.path === path)!.contents);

describe('k6Renderer', () => {
  const result = k6Renderer.render(OTHER_ODD_PLAN, OPTIONS);
  const script = text(result, 'load-test.js');

  test('is deterministic and renders contract cases only, reporting the others', () => {
    expect(k6Renderer.render(structuredClone(OTHER_ODD_PLAN), OPTIONS)).toEqual(result);
    for (const testCase of OTHER_ODD_PLAN.cases) {
      const done = result.renderedCaseIds.includes(testCase.id);
      const told = result.diagnostics.some((d) => d.message.startsWith(`${testCase.id} `));
      expect(done !== told, testCase.id).toBe(true);
      if (done) expect(testCase.category).toBe('contract');
    }
  });

  test('writes the script, the runtime modules, hooks.js once, a README and .gitignore', () => {
    expect(result.files.map((f) => f.path)).toEqual([
      '.gitignore',
      'README.md',
      'hooks.js',
      'load-test.js',
      'specmint-compare.js',
      'specmint-failure.js',
      'specmint-runtime.js',
      'specmint-summary.js',
    ]);
    expect(result.files.filter((f) => f.once).map((f) => f.path)).toEqual(['hooks.js']);
    expect(text(result, '.gitignore')).toBe('reports/\n');
    const hooks = text(result, 'hooks.js');
    for (const name of ['beforeRun', 'beforeRequest', 'afterResponse', 'afterRun'])
      expect(hooks).toContain(`export function ${name}(`);
  });

  test('bundles as an ES module importing only k6 modules, with a scenario per operation and thresholds', async () => {
    const dir = writeFiles(join(TMP_ROOT, 'k6-bundle'), result.files);
    const bundled = await build({
      entryPoints: [join(dir, 'load-test.js')],
      bundle: true,
      write: false,
      format: 'esm',
      platform: 'neutral',
      external: ['k6', 'k6/*'],
      logLevel: 'silent',
    });
    expect(bundled.outputFiles[0]!.text).toContain('createSuite');
    expect(script).toContain("import * as hooks from './hooks.js';");
    expect(script).toContain("import { createSuite, settings } from './specmint-runtime.js';");
    expect(script).toContain("    http_req_failed: ['rate<' + settings.maxErrorRate],");
    expect(script).toContain("    specmint_checks: ['rate>' + settings.minCheckRate],");
    for (const fn of ['echo', 'getHealth', 'createPet', 'listPets', 'createOwner']) {
      expect(script).toContain(
        `    ${fn}: { executor: 'constant-vus', vus: settings.vus, duration: settings.duration, exec: '${fn}' },`,
      );
      expect(script).toContain(`export function ${fn}() {`);
    }
    for (const fn of ['setup', 'teardown', 'handleSummary'])
      expect(script).toContain(`export function ${fn}(`);
  });

  test('scenario functions never take a reserved word or one of the script’s own names', () => {
    const plan = {
      ...OTHER_ODD_PLAN,
      operations: OTHER_ODD_PLAN.operations.map((op) =>
        op.id === 'getHealth' ? { ...op, id: 'delete' } : op,
      ),
      cases: OTHER_ODD_PLAN.cases.map((c) =>
        c.operationId === 'getHealth'
          ? { ...c, operationId: 'delete', steps: c.steps.map((s) => ({ ...s, operationId: 'delete' })) }
          : c.operationId === 'echo'
            ? { ...c, operationId: 'setup', steps: c.steps.map((s) => ({ ...s, operationId: 'setup' })) }
            : c,
      ),
    };
    plan.operations = plan.operations.map((op) => (op.id === 'echo' ? { ...op, id: 'setup' } : op));
    const renamed = text(k6Renderer.render(plan, OPTIONS), 'load-test.js');
    expect(renamed).toContain('export function delete_() {');
    expect(renamed).toContain('export function setup_() {');
    expect(renamed.match(/export function setup\(/g)).toHaveLength(1);
  });

  test('cases that differ only in their inputs are one data array with a row per case', () => {
    const oracle = text(k6Renderer.render(ORACLE_PLAN, OPTIONS), 'load-test.js');
    const cases = JSON.parse(/const CASES = (\{[\s\S]*?\n\});\n/.exec(oracle)![1]!) as Record<
      string,
      Array<{ id: string; rows?: Array<{ id: string; request: { query: unknown } }> }>
    >;
    const table = cases.listItems!.find((group) => group.rows)!;
    expect(table.rows!.map((row) => [row.id, row.request.query])).toEqual([
      ['list_table_1', [['colour', 'green']]],
      ['list_table_2', [['colour', 'blue']]],
      ['list_table_3', [['colour', 'pink']]],
    ]);
    // A step lists its checks by name, and a note says why a GET sends no body.
    const search = cases.search![0] as unknown as { steps: Array<{ checks: object; note: string }> };
    expect(Object.keys(search.steps[0]!.checks)).toEqual([
      'not_a_server_error',
      'positive_data_acceptance',
      'status_code_conformance',
      'content_type_conformance',
      'response_schema_conformance',
    ]);
    expect(search.steps[0]!.note).toContain('it is not sent');
  });

  test('README has the command, every variable, the checks, reports and hooks', () => {
    const readme = text(result, 'README.md');
    expect(readme).toContain('mkdir -p reports && k6 run -e BASE_URL=$BASE_URL');
    for (const name of [
      'VUS',
      'DURATION',
      'MAX_ERROR_RATE',
      'P95_MS',
      'MIN_CHECK_RATE',
      'BASIC_AUTH_USERNAME',
      'SPECMINT_CHECKS',
      'SPECMINT_EXCLUDE_CHECKS',
      'SPECMINT_REPORTS',
      '`response_schema_conformance`',
      'reports/junit.xml',
      'reports/coverage.json',
      'beforeRun()',
      'afterResponse(request, response)',
    ])
      expect(readme, name).toContain(name);
  });
});
