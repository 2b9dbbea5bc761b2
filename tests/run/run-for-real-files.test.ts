/** The run-for-real suite covers every runnable format, and its list of blind spots stays true. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { BLIND_TO, FAULTS, RUNNABLE } from './run-for-real.ts';

test('every format that declares a runner has its run-for-real test file', () => {
  const missing = RUNNABLE.map((module) => `${module.format}.run-for-real.test.ts`).filter(
    (file) => !existsSync(join(import.meta.dirname, file)),
  );
  expect(missing, 'add a file that calls describeRunForReal(<format>)').toEqual([]);
});

test('every blind spot names a real fault and a runner that exists', () => {
  for (const [kind, faults] of Object.entries(BLIND_TO)) {
    expect(RUNNABLE.map((m) => m.runner)).toContain(kind);
    for (const fault of Object.keys(faults ?? {})) expect(FAULTS).toContain(fault);
  }
});
