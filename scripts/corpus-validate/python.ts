/**
 * pytest: every `.py` file compiles, in one Python process per suite (`compile()`, the step `py_compile` runs
 * before writing a `.pyc`, so nothing is written next to the sources); then pytest collects the suite (`-B`:
 * no bytecode written), which imports every module and builds every parametrised table, as a run would.
 */
import { type CheckResult, failed, PASSED } from './checks.ts';
import { firstErrorLine, listFiles, runProcess } from './files.ts';

/** Reads the file list (JSON) from stdin; prints `ok` or `<file>:<line>: <error>` for the first failure. */
const COMPILE_ALL = `
import json, sys
for path in json.load(sys.stdin):
    try:
        with open(path, 'rb') as handle:
            compile(handle.read(), path, 'exec', dont_inherit=True)
    except SyntaxError as error:
        print(f'{path}:{error.lineno}: {type(error).__name__}: {error.msg}')
        sys.exit(1)
    except Exception as error:
        print(f'{path}: {type(error).__name__}: {error}')
        sys.exit(1)
print('ok')
`;

/** Compiles every Python file of the pytest suite in `dir`. */
export async function checkPytest(dir: string): Promise<CheckResult> {
  const files = listFiles(dir, ['.py']);
  if (files.length === 0) return failed('no .py files');
  const result = await runProcess('python3', ['-c', COMPILE_ALL], {
    cwd: dir,
    input: JSON.stringify(files),
  });
  if (result.code !== 0 || result.stdout.trim() !== 'ok') {
    return failed(firstErrorLine({ ...result, stderr: result.stdout || result.stderr, stdout: '' }));
  }
  const collected = await runProcess(
    'python3',
    ['-B', '-m', 'pytest', '--collect-only', '-q', '-p', 'no:cacheprovider'],
    { cwd: dir },
  );
  if (collected.code === 0) return PASSED;
  const output = `${collected.stdout}\n${collected.stderr}`.split('\n');
  const error = output.find((line) => /^E\s+\S/.test(line)) ?? output.find((line) => /error/i.test(line));
  return failed(error?.trim() ?? firstErrorLine(collected));
}
