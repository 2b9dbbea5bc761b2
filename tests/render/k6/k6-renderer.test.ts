/**
 * The k6 renderer: body shapes, the renderer contract, a script that parses as an ES module, and a real run
 * of its scenarios under Node shims of `k6`/`k6/http` (synchronous requests to the pet store SUT): all checks
 * pass on the conforming server and some fail against faults a contract case can see. k6 itself is not
 * installable here, so thresholds and executors are checked structurally, not executed.
 */
import { join } from 'node:path';
import { transform } from 'esbuild';
import { describe, expect, test } from 'vitest';
import { joinText } from '../../../cli/engine/render/common/file-text.ts';
import { bodyShape, k6Renderer } from '../../../cli/engine/render/k6/index.ts';
import { OTHER_ODD_PLAN, OTHER_PETSTORE_PLAN } from '../../fixtures/plans/other-odd-plan.ts';
import { type SutFault, startSut } from '../../sut/petstore-server.ts';
import { plannerPlan, SUT_CREDENTIALS } from '../pytest/e2e-plans.ts';
import { TMP_ROOT, writeFiles } from '../pytest/write-files.ts';
import { runK6Shim } from './run-k6-shim.ts';

const OPTIONS = { generatorVersion: '9.9.9' };

describe('bodyShape', () => {
  test.each([
    [
      'component ref',
      { $ref: '#/components/schemas/Pet' },
      { types: ['object'], required: ['id', 'name', 'species', 'createdAt'] },
    ],
    ['array', { type: 'array', items: {} }, { types: ['array'], required: [] }],
    ['nullable', { type: ['string', 'null'] }, { types: ['string', 'null'], required: [] }],
    [
      'allOf merges required',
      { allOf: [{ $ref: '#/components/schemas/Error' }, { type: 'object', required: ['extra'] }] },
      { types: ['object'], required: ['code', 'message', 'extra'] },
    ],
    ['untyped', {}, undefined],
  ])('%s', (_name, schema, expected) => {
    expect(bodyShape(OTHER_PETSTORE_PLAN, schema)).toEqual(expected);
  });
});

describe('k6Renderer', () => {
  const result = k6Renderer.render(OTHER_ODD_PLAN, OPTIONS);
  const script = joinText(result.files.find((f) => f.path === 'load-test.js')!.contents);

  test('is deterministic and renders contract cases only, reporting the others', () => {
    expect(k6Renderer.render(structuredClone(OTHER_ODD_PLAN), OPTIONS)).toEqual(result);
    for (const testCase of OTHER_ODD_PLAN.cases) {
      const done = result.renderedCaseIds.includes(testCase.id);
      const told = result.diagnostics.some((d) => d.message.startsWith(`${testCase.id} `));
      expect(done !== told, testCase.id).toBe(true);
      if (done) expect(testCase.category).toBe('contract');
    }
  });

  test('parses as an ES module with k6 imports, scenarios per operation and env-driven thresholds', async () => {
    const out = await transform(script, { format: 'esm', loader: 'js' });
    expect(out.code.length).toBeGreaterThan(0);
    expect(script).toContain("import http from 'k6/http';");
    expect(script).toContain("import { check } from 'k6';");
    expect(script).toContain("import encoding from 'k6/encoding';");
    expect(script).toContain("http_req_failed: ['rate<' + MAX_ERROR_RATE]");
    expect(script).toContain("http_req_duration: ['p(95)<' + P95_MS]");
    for (const fn of ['echo', 'getHealth', 'createPet', 'listPets', 'createOwner']) {
      expect(script).toContain(
        `    ${fn}: { executor: 'constant-vus', vus: VUS, duration: DURATION, exec: '${fn}' },`,
      );
      expect(script).toContain(`export function ${fn}() {`);
    }
    const readme = joinText(result.files.find((f) => f.path === 'README.md')!.contents);
    expect(readme).toContain('k6 run -e BASE_URL=$BASE_URL');
    for (const name of ['VUS', 'DURATION', 'MAX_ERROR_RATE', 'P95_MS', 'BASIC_AUTH_USERNAME'])
      expect(readme).toContain(name);
  });

  // Passing on the correct server and failing on the seeded faults it can see: tests/run/run-for-real.test.ts.
  describe('run under the Node shims (planner plan)', () => {
    async function run(fault: SutFault | undefined, slug: string) {
      const files = k6Renderer.render(await plannerPlan(), OPTIONS).files;
      const dir = writeFiles(join(TMP_ROOT, `k6-${slug}`), files);
      const sut = await startSut({ fault });
      try {
        return await runK6Shim({
          script: join(dir, 'load-test.js'),
          workDir: join(dir, '.run'),
          env: { BASE_URL: `${sut.url}/`, ...SUT_CREDENTIALS },
        });
      } finally {
        await sut.close();
      }
    }

    test('every scenario runs and checks the body shape against the conforming server', async () => {
      const outcome = await run(undefined, 'ok');
      expect(outcome.scenarios.length).toBeGreaterThanOrEqual(4);
      expect(outcome.sent.length).toBeGreaterThanOrEqual(outcome.scenarios.length);
      const failed = Object.entries(outcome.results).filter(([, r]) => r.fails > 0);
      expect(failed).toEqual([]);
      expect(Object.keys(outcome.results).some((name) => name.endsWith('body shape'))).toBe(true);
    }, 120_000);
  });
});
