/**
 * Generated code is valid: the TypeScript suites (vitest, playwright) type-check with tsc in strict mode,
 * the JavaScript suite (jest) parses, for every hand-made plan including the odd one.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, test } from 'vitest';
import type { TestPlan } from '../../../cli/engine/plan/types.ts';
import { JS_EMPTY_PLAN } from '../../fixtures/plans/js-empty-plan.ts';
import { JS_ODD_PLAN, ODD_TEXTS } from '../../fixtures/plans/js-odd-plan.ts';
import { PETSTORE_PLAN } from '../../fixtures/plans/petstore-plan.ts';
import { REPO, writeSuite } from './suite-runner.ts';

const run = promisify(execFile);

const PLANS: Array<[string, TestPlan]> = [
  ['petstore', PETSTORE_PLAN],
  ['empty', JS_EMPTY_PLAN],
  ['odd', JS_ODD_PLAN],
];

async function typeCheck(dir: string): Promise<string> {
  try {
    await run(join(REPO, 'node_modules/.bin/tsc'), ['--noEmit', '-p', dir], { cwd: REPO });
    return '';
  } catch (error) {
    const failed = error as { stdout?: string; stderr?: string; message: string };
    return `${failed.stdout ?? ''}${failed.stderr ?? ''}` || failed.message;
  }
}

describe.each(PLANS)('plan %s', (name, plan) => {
  test.each(['vitest', 'playwright'] as const)(
    'the %s suite type-checks (tsc --noEmit, strict)',
    async (format) => {
      const { dir, result } = writeSuite({ format, plan, name: `valid-${format}-${name}` });
      expect(result.files.some((f) => f.path === 'tsconfig.json')).toBe(true);
      expect(await typeCheck(dir)).toBe('');
    },
  );

  test('the jest suite parses as CommonJS', async () => {
    const { dir, result } = writeSuite({ format: 'jest', plan, name: `valid-jest-${name}` });
    const scripts = result.files.filter((f) => f.path.endsWith('.js'));
    expect(scripts.map((f) => f.path)).toEqual(
      expect.arrayContaining(['jest.config.js', 'specmint.runtime.js']),
    );
    for (const file of scripts) {
      await expect(run(process.execPath, ['--check', join(dir, file.path)])).resolves.toBeDefined();
    }
  });
});

test('a broken generated file is caught by the type check (the check can fail)', async () => {
  const { dir } = writeSuite({ format: 'vitest', plan: PETSTORE_PLAN, name: 'valid-broken' });
  const { writeFileSync } = await import('node:fs');
  writeFileSync(
    join(dir, 'tests/broken.test.ts'),
    "import { apiCase } from '../specmint.runtime.ts';\napiCase(42);\n",
  );
  expect(await typeCheck(dir)).toMatch(/broken\.test\.ts.*TS2345/);
});

test('odd titles survive as exact test names in every format', async () => {
  for (const format of ['vitest', 'jest', 'playwright'] as const) {
    const { result } = writeSuite({ format, plan: JS_ODD_PLAN, name: `valid-names-${format}` });
    const source = result.files
      .filter((f) => f.path.startsWith('tests/'))
      .map((f) => f.contents)
      .join('\n');
    // Evaluate every string literal that opens a test and compare with the plan's titles.
    const names = [...source.matchAll(/^\s*test\(('(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")/gm)].map(
      (m) => new Function(`return ${m[1]}`)() as string,
    );
    for (const text of ODD_TEXTS) {
      expect(
        names.some((n) => n.startsWith(`${text} [`)),
        `${format}: ${JSON.stringify(text)}`,
      ).toBe(true);
    }
  }
});
