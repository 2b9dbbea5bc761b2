/**
 * The counts a generation reports are the tests it wrote: for real specs and subsets of the categories, each
 * test-running format's `testsByFormat` equals the tests found in its files (JS `test(` calls, pytest
 * functions and parametrize rows, Postman cases, k6 contract cases), and the READMEs that give a count give
 * the same one. Every non-empty subset of the categories runs on one of the specs (round robin, so the run
 * stays short), and every spec runs with all of them.
 */
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { generateInMemory } from '../../cli/engine/library.ts';
import { CATEGORIES, type Category } from '../../cli/engine/plan/types.ts';
import type { FormatOutput } from '../../cli/engine/ports.ts';
import { joinText } from '../../cli/engine/render/common/file-text.ts';
import { FORMAT_INFO } from '../../cli/engine/render/formats.ts';
import type { Format } from '../../shared/plans.ts';
import { CORPUS_API_DIR } from './corpus-sample-list.ts';

const SPECS = [
  // OAuth 2 twice in every requirement: the JS formats once wrote no test file for it.
  join(CORPUS_API_DIR, 'googleapis.com/artifactregistry.json'),
  // API key and bearer, flows and every category.
  'tests/fixtures/specs/sut/petstore.yaml',
  join(CORPUS_API_DIR, 'azure.com/network-ddosProtectionPlan.json'),
  join(CORPUS_API_DIR, 'apisetu.gov.in/issuer.json'),
  join(CORPUS_API_DIR, 'adyen.com/DisputeService-v30.json'),
  join(CORPUS_API_DIR, 'carbone.io.json'),
];

/** Every non-empty subset of the categories, in a fixed order. */
const SUBSETS: Category[][] = Array.from({ length: 2 ** CATEGORIES.length - 1 }, (_, i) =>
  CATEGORIES.filter((_, bit) => ((i + 1) >> bit) & 1),
);

const TESTING = (Object.keys(FORMAT_INFO) as Format[]).filter((format) => FORMAT_INFO[format].runner);

function text(output: FormatOutput, test: (path: string) => boolean): string[] {
  return output.files
    .filter((f) => test(f.path.slice(f.path.indexOf('/') + 1)))
    .map((f) => joinText(f.contents));
}

const count = (texts: string[], pattern: RegExp): number =>
  texts.reduce((sum, t) => sum + [...t.matchAll(pattern)].length, 0);

/** The tests a format's files hold, counted in the files themselves. */
function testsInFiles(output: FormatOutput): number {
  switch (output.format) {
    case 'vitest':
    case 'jest':
    case 'playwright':
      return count(
        text(output, (p) => p.startsWith('tests/')),
        /^ {2}test\(/gm,
      );
    case 'pytest': {
      const modules = text(output, (p) => /^tests\/test_.*\.py$/.test(p));
      const plain = count(modules, /^def test_\w+\(api\):/gm);
      const rows = modules
        .flatMap((t) => [...t.matchAll(/^ {4}ids=\[([\s\S]*?)\],?\n\)/gm)])
        .reduce((sum, m) => sum + [...m[1]!.matchAll(/"\w+"/g)].length, 0);
      return plain + rows;
    }
    case 'postman': {
      const [collection] = text(output, (p) => p.endsWith('.postman_collection.json'));
      const ids = new Set<string>();
      const walk = (items: Array<{ name: string; item?: unknown[]; request?: unknown }>): void => {
        for (const item of items) {
          if (item.item) walk(item.item as typeof items);
          else if (item.request) ids.add(item.name.split(' · ')[0]!);
        }
      };
      walk(JSON.parse(collection!).item);
      return ids.size;
    }
    case 'k6':
      return count(
        text(output, (p) => p === 'load-test.js'),
        /"id": "\w+",\n\s*"title": "/g,
      );
    default:
      throw new Error(`no count for ${output.format}`);
  }
}

/** The count a README gives, where it gives one. */
function readmeCount(output: FormatOutput): number | undefined {
  const [readme] = text(output, (p) => p === 'README.md');
  const match = /^(\d+) (?:tests \(|API test cases generated)/m.exec(readme ?? '');
  return match ? Number(match[1]) : undefined;
}

describe('tests written per format', () => {
  test.each(SPECS.map((spec, index) => [spec.replace(/^.*\/api\//, ''), index] as const))(
    '%s: the counts are the tests in the files',
    async (_name, index) => {
      const subsets = [CATEGORIES.slice(), ...SUBSETS.filter((_, i) => i % SPECS.length === index)];
      for (const categories of subsets) {
        const { result, outputs } = await generateInMemory(SPECS[index]!, { categories });
        const where = `${SPECS[index]} with ${categories.join(',')}`;
        expect(Object.keys(result.testsByFormat).sort(), where).toEqual([...TESTING].sort());
        for (const output of outputs) {
          const reported = result.testsByFormat[output.format];
          if (reported === undefined) continue;
          expect(testsInFiles(output), `${output.format}: ${where}`).toBe(reported);
          // Each of these specs gives every format something to write with every category.
          if (categories.length === CATEGORIES.length)
            expect(reported, `${output.format}: ${where}`).toBeGreaterThan(0);
          const readme = readmeCount(output);
          if (readme !== undefined) expect(readme, `${output.format} README: ${where}`).toBe(reported);
          if (output.format === 'k6') {
            expect(reported).toBe(result.testsByCategory.contract ?? 0);
          } else {
            // A format writes every case it can express; the rest are warnings naming them.
            const left = output.diagnostics.filter((d) => d.code === 'CASE_NOT_RENDERED').length;
            expect(reported + left, `${output.format}: ${where}`).toBe(result.tests);
          }
        }
      }
    },
  );

  test("Artifact Registry's contract and negative cases are written by every format", async () => {
    const { result } = await generateInMemory(SPECS[0]!, {
      formats: ['vitest', 'jest', 'playwright', 'pytest', 'postman'],
      categories: ['contract', 'negative'],
    });
    expect(result.tests).toBeGreaterThan(100);
    expect(result.testsByFormat).toEqual({
      vitest: result.tests,
      jest: result.tests,
      playwright: result.tests,
      pytest: result.tests,
      postman: result.tests,
    });
    expect(result.files.filter((f) => /^(vitest|jest|playwright)\/tests\//.test(f))).toHaveLength(3);
  });
});
