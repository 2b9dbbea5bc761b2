/**
 * pytest: every `.py` file compiles, in one Python process per suite. Uses `compile()`, the step
 * `py_compile` runs before writing a `.pyc`, so nothing is written next to the sources.
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
  if (result.code === 0 && result.stdout.trim() === 'ok') return PASSED;
  return failed(firstErrorLine({ ...result, stderr: result.stdout || result.stderr, stdout: '' }));
}
