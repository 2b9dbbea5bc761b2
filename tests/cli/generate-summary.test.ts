/**
 * The summary of `specmint generate` counts what each format wrote: a line lists the tests per format when
 * one of them wrote fewer than were planned (or k6, which repeats only the contract cases), and none when all
 * wrote every test.
 */
import { PassThrough } from 'node:stream';
import { describe, expect, test } from 'vitest';
import { type GenerateResult, printSummary } from '../../cli/commands/generate/summary.ts';
import { createUi } from '../../cli/ui/ui.ts';

function summary(result: Partial<GenerateResult>): string {
  const stdout = new PassThrough();
  let out = '';
  stdout.on('data', (chunk: Buffer) => {
    out += chunk.toString();
  });
  const terminal = { stdoutIsTty: false, stdinIsTty: false, stderrIsTty: false, env: { NO_COLOR: '1' } };
  const ui = createUi({ terminal, stdout, stderr: new PassThrough() });
  printSummary(
    ui,
    {
      ok: true,
      outDir: '/tmp/out',
      files: ['pytest/README.md', 'vitest/README.md'],
      operations: 3,
      tests: 12,
      formats: ['pytest', 'vitest'],
      usage: null,
      mode: 'write',
      testsByCategory: { contract: 3, negative: 9 },
      testsByFormat: { pytest: 12, vitest: 12 },
      depth: 'quick',
      inputs: 3,
      warnings: [],
      ...result,
    },
    'Things 1',
  );
  return out;
}

describe('generate summary', () => {
  test('says nothing per format when every format wrote every test', () => {
    const out = summary({});
    expect(out).toContain('Things 1: 3 operations → 12 tests (contract 3, negative 9)');
    expect(out).not.toContain('Tests per format');
  });

  test('lists the tests per format when one wrote fewer', () => {
    expect(summary({ testsByFormat: { pytest: 12, vitest: 10 } })).toContain(
      'Tests per format: pytest 12, vitest 10 (the warnings name the cases a format cannot express).',
    );
  });

  test('says k6 repeats the contract cases', () => {
    const out = summary({ formats: ['pytest', 'k6'], testsByFormat: { pytest: 12, k6: 3 } });
    expect(out).toContain('Tests per format: pytest 12, k6 3; k6 repeats the contract cases under load.');
  });
});
