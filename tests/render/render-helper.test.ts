/**
 * The groups in which the main thread and the render helper thread claim a run's formats: every format once,
 * vitest/jest/playwright (one code generator) in one group, the costliest group first, and each group's
 * formats in the order asked for. A helper that fails (reports an error, exits, throws) costs nothing but
 * time: the main thread renders what the helper did not send back, the same bytes. (The helper at work is
 * tested through the built CLI: tests/e2e/render-helper.test.ts.)
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { prepareSpec } from '../../cli/engine/pipeline.ts';
import { planTests, planTestsInSlices } from '../../cli/engine/plan/plan-tests.ts';
import type { TestPlan } from '../../cli/engine/plan/types.ts';
import { renderFormat } from '../../cli/engine/render/render-format.ts';
import {
  formatGroups,
  HELPER_MIN_OPERATIONS,
  RenderHelper,
  scavengesInParallel,
} from '../../cli/engine/render/render-helper.ts';
import { claimSampleData } from '../../cli/engine/render/render-protocol.ts';
import { FORMATS, type Format } from '../../shared/plans.ts';

describe('formatGroups', () => {
  test('all eight: the JS formats together first, then the others, costliest first', () => {
    expect(formatGroups(FORMATS)).toEqual([
      ['vitest', 'jest', 'playwright'],
      ['postman'],
      ['pytest'],
      ['json'],
      ['k6'],
      ['sql'],
    ]);
  });

  test.each([
    [['playwright', 'sql', 'jest']],
    [['jest', 'pytest', 'playwright', 'k6', 'sql']],
    [[...FORMATS].reverse()],
  ] as Format[][][])('%j: every format once, the JS ones in one group in the order given', (formats) => {
    const groups = formatGroups(formats);
    expect(groups.flat().sort()).toEqual([...formats].sort());
    const js = formats.filter((format) => ['vitest', 'jest', 'playwright'].includes(format));
    expect(groups).toContainEqual(js);
  });

  test('one format, or one group, leaves nothing to share', () => {
    expect(formatGroups(['pytest'])).toEqual([['pytest']]);
    expect(formatGroups(['jest', 'vitest'])).toEqual([['jest', 'vitest']]);
  });
});

describe('claimSampleData', () => {
  test('the first thread to ask works out the sample data, the other leaves it', () => {
    const planning = new Int32Array(new SharedArrayBuffer(8));
    expect(claimSampleData(planning, 'helper')).toBe(true);
    expect(claimSampleData(planning, 'main')).toBe(false);
    expect(claimSampleData(planning, 'helper')).toBe(false);
    const other = new Int32Array(new SharedArrayBuffer(8));
    expect(claimSampleData(other, 'main')).toBe(true);
    expect(claimSampleData(other, 'helper')).toBe(false);
    // The chunk counter beside it is untouched.
    expect(other[0]).toBe(0);
  });
});

describe('young-generation collection while helper threads run', () => {
  test('on one thread while the JavaScript threads take every core, in parallel once a core is free', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'specmint-helper-')), 'idle.mjs');
    writeFileSync(
      file,
      "import { parentPort } from 'node:worker_threads';\nparentPort.on('message', () => {});\n",
    );
    const cores = availableParallelism();
    expect(scavengesInParallel()).toBe(cores > 1);
    const helpers = Array.from({ length: cores }, () =>
      RenderHelper.start(FORMATS, HELPER_MIN_OPERATIONS, file),
    ).filter((helper) => helper !== undefined);
    if (helpers.length === 0) return expect(cores).toBeLessThan(2);
    // The main thread and `cores` helpers: more JavaScript threads than cores.
    expect(scavengesInParallel()).toBe(false);
    const last = helpers.pop() as RenderHelper;
    last.close();
    last.close(); // stopping twice counts once
    expect(scavengesInParallel()).toBe(false);
    for (const helper of helpers) helper.close();
    expect(scavengesInParallel()).toBe(true);
    rmSync(join(file, '..'), { recursive: true, force: true });
  });
});

describe('a render helper thread that fails', () => {
  let work: string;
  let plan: TestPlan;
  const options = { generatorVersion: '0.0.0-test' };

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'specmint-helper-'));
    plan = planTests((await prepareSpec('tests/fixtures/specs/sut/petstore.yaml')).ir, { seed: 1 });
  });
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  /** A stand-in for dist/render-thread.js that claims a group and then does `then`. */
  function thread(name: string, then: string): string {
    const file = join(work, `${name}.mjs`);
    writeFileSync(
      file,
      `import { parentPort } from 'node:worker_threads';
parentPort.once('message', (request) => {
  const next = new Int32Array(request.next);
  Atomics.add(next, 0, 1);
  ${then}
});
`,
    );
    return file;
  }

  test.each([
    [
      'posts an error',
      "parentPort.postMessage({ kind: 'error', error: { name: 'Error', message: 'boom' } });",
    ],
    ['exits', 'process.exit(3);'],
    ['throws', "throw new Error('uncaught');"],
  ])('%s: the main thread renders every format itself, the same bytes', async (_how, then) => {
    const helper = RenderHelper.start(FORMATS, HELPER_MIN_OPERATIONS, thread(_how.replace(/\W/g, '-'), then));
    if (!helper) return expect(availableParallelism()).toBeLessThan(2);
    const notes: string[] = [];
    const announced: string[] = [];
    const outputs = [];
    const context = {
      debug: (text: string) => notes.push(text),
      working: (formats: readonly string[]) => announced.push(...formats),
    };
    try {
      for await (const timed of helper.render(plan, FORMATS, options, context)) {
        // Named as in progress before it was rendered.
        expect(announced).toContain(timed.output.format);
        outputs.push(timed);
      }
    } finally {
      helper.close();
    }
    expect(outputs.map((o) => o.output.format).sort()).toEqual([...FORMATS].sort());
    expect(outputs.every((o) => o.thread === 'main')).toBe(true);
    expect(notes).toEqual([
      expect.stringMatching(/^the render helper thread failed \(.+\); rendering its formats here$/),
    ]);
    const alone = FORMATS.map((format) => renderFormat(format, plan, options));
    for (const output of alone) {
      expect(outputs.find((o) => o.output.format === output.format)?.output).toEqual(output);
    }
  });

  test.each([
    [
      'posts an error',
      "parentPort.postMessage({ kind: 'plan-error', error: { name: 'Error', message: 'boom' } });",
    ],
    ['exits', 'process.exit(3);'],
    ['throws', "throw new Error('uncaught');"],
  ])('%s while planning: the main thread plans what it claimed, the same plan', async (_how, then) => {
    const file = 'tests/fixtures/specs/sut/petstore.yaml';
    const helper = RenderHelper.start(
      FORMATS,
      HELPER_MIN_OPERATIONS,
      thread(`plan-${_how.replace(/\W/g, '-')}`, then),
    );
    if (!helper) return expect(availableParallelism()).toBeLessThan(2);
    try {
      const planOptions = { seed: 1 };
      const hash = helper.sharePlanning({
        source: file,
        bytes: readFileSync(file),
        hash: true,
        options: planOptions,
      });
      const { ir } = await prepareSpec(file);
      const share = helper.planShare(ir.operations.length);
      // The plan does not wait for the thread (this thread works out the sample data it did not claim).
      expect(await planTestsInSlices(ir, planOptions, { share })).toStrictEqual(plan);
      // The caller then hashes the spec itself; by then the thread's failure has arrived.
      await expect(hash).rejects.toThrow();
      expect(share?.planned()).toEqual({ parts: 0, failure: expect.any(String) });
    } finally {
      helper.close();
    }
  });
});
