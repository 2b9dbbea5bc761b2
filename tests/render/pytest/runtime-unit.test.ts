/**
 * The pytest runtime (cli/engine/render/pytest/runtime/specmint_*.py) as the Python it is: it compiles
 * (`py_compile`; ruff, the linter we would use, has no Debian package here), and its unit tests
 * (runtime/test_specmint_runtime.py, with the stand-in contract module in runtime/stand-in/) pass under each
 * usable interpreter. Skips visibly without python3 + pytest, requests and jsonschema, except in CI.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, test } from 'vitest';
import { findPythons, pythonSkipReason } from './python-env.ts';
import { parseJunit } from './run-pytest.ts';
import { TMP_ROOT } from './write-files.ts';

const run = promisify(execFile);
const pythons = findPythons();
mkdirSync(TMP_ROOT, { recursive: true });
const skip = pythonSkipReason(pythons);

const RUNTIME_DIR = resolve(import.meta.dirname, '../../../cli/engine/render/pytest/runtime');
const TESTS_DIR = resolve(import.meta.dirname, 'runtime');
const ENV = {
  ...process.env,
  PYTHONPATH: [RUNTIME_DIR, join(TESTS_DIR, 'stand-in')].join(':'),
  PYTHONDONTWRITEBYTECODE: '1',
};

describe.skipIf(skip)('specmint_runtime.py', () => {
  test.each(pythons.map((p) => [p.command, p]))('compiles under %s', async (_name, env) => {
    const code = 'import py_compile, sys; py_compile.compile(sys.argv[1], doraise=True, cfile=sys.argv[2])';
    for (const file of ['specmint_runtime.py', 'specmint_values.py', 'specmint_report.py']) {
      const cfile = join(mkdtempSync(join(TMP_ROOT, 'py-compile-')), 'runtime.pyc');
      await run(env.command, ['-c', code, join(RUNTIME_DIR, file), cfile]);
    }
  });

  test.each(
    pythons.map((p) => [
      `${p.command} (pytest ${p.versions.pytest}, jsonschema ${p.versions.jsonschema})`,
      p,
    ]),
  )(
    'passes its unit tests under %s',
    async (_name, env) => {
      const junit = join(mkdtempSync(join(TMP_ROOT, 'py-runtime-')), 'junit.xml');
      const args = ['-m', 'pytest', '-q', '-p', 'no:cacheprovider', `--junitxml=${junit}`, TESTS_DIR];
      let output = '';
      try {
        output = (await run(env.command, args, { env: ENV, cwd: TESTS_DIR })).stdout;
      } catch (error) {
        output = String((error as { stdout?: string }).stdout ?? error);
      }
      const report = parseJunit(readFileSync(junit, 'utf8'));
      expect(report.failures, output.slice(-3000)).toEqual([]);
      expect(report.failed).toBe(0);
      expect(report.tests).toBeGreaterThanOrEqual(50);
    },
    120_000,
  );
});
