/**
 * The built CLI renders a large run on two threads (cli/engine/render/render-helper.ts) and its files are the
 * same bytes as one thread's: GitHub's description written in-process on one thread (the tests run the engine
 * from source, which never starts a helper) is up to date for `specmint generate --check` of the built CLI,
 * whose `--debug` lines show formats rendered on each thread and operations planned on the helper.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { fileOutput } from '../../cli/engine/emit/file-output.ts';
import { librarySettings, SILENT_PROGRESS } from '../../cli/engine/library.ts';
import { prepareSpec } from '../../cli/engine/pipeline.ts';
import { planTests, planTestsInSlices } from '../../cli/engine/plan/plan-tests.ts';
import type { FormatOutput } from '../../cli/engine/ports.ts';
import { joinText } from '../../cli/engine/render/common/file-text.ts';
import { renderFormat } from '../../cli/engine/render/render-format.ts';
import { HELPER_MIN_OPERATIONS, RenderHelper } from '../../cli/engine/render/render-helper.ts';
import { runGeneration } from '../../cli/engine/run-generation.ts';
import { loadSpec } from '../../cli/engine/spec/load-spec.ts';
import { FORMATS } from '../../shared/plans.ts';
import { buildOnce } from './helpers/build-once.ts';
import { runCli } from './helpers/run-cli.ts';

const GITHUB = createRequire(import.meta.url).resolve('@octokit/openapi/generated/api.github.com.json');
let work: string;

beforeAll(async () => {
  await buildOnce();
  work = mkdtempSync(join(tmpdir(), 'specmint-helper-'));
}, 300_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

test('files rendered on the helper thread are the bytes one thread writes', async () => {
  const outDir = join(work, 'suites');
  const settings = librarySettings(GITHUB, { outDir, depth: 'quick', seed: 7 });
  const written = await runGeneration(settings, {
    progress: SILENT_PROGRESS,
    output: fileOutput({ outDir, force: false }),
  });
  expect(written.files.length).toBeGreaterThan(200);

  const check = await runCli(
    [
      'generate',
      GITHUB,
      '--check',
      '--out',
      outDir,
      '--format',
      FORMATS.join(','),
      '--depth',
      'quick',
      '--seed',
      '7',
      '--debug',
    ],
    { cwd: work, timeoutMs: 180_000 },
  );
  expect(check.code, check.stderr.slice(-3000)).toBe(0);
  expect(check.stdout + check.stderr).toContain(`Up to date: ${written.files.length} files`);
  const rendered = check.stderr.split('\n').filter((line) => / rendered in \d+ ms/.test(line));
  expect(rendered).toHaveLength(FORMATS.length);
  const onHelper = rendered.filter((line) => line.includes('on the helper thread'));
  if (availableParallelism() < 2) {
    // One core: no thread to spare, everything renders on the main one.
    expect(onHelper).toEqual([]);
    return;
  }
  expect(onHelper.length).toBeGreaterThan(0);
  expect(onHelper.length).toBeLessThan(FORMATS.length);
  // The helper loaded the spec too and planned some of the operations: the plan (the json format) and every
  // suite are still the bytes one thread wrote.
  const planned = /Planned (\d+) of 1223 operations on the helper thread\n/.exec(check.stderr);
  expect(planned, check.stderr.slice(-3000)).not.toBeNull();
  expect(Number(planned?.[1])).toBeGreaterThan(0);
}, 300_000);

test('the helper thread loads the bytes read here, answers their spec hash and plans a share', async () => {
  // YAML converted from Swagger 2.0, whose hash the thread could not work out from the bytes alone before.
  for (const file of [GITHUB, resolve('tests/fixtures/specs/features/swagger-2.0.yaml')]) {
    const helper = RenderHelper.start(FORMATS, HELPER_MIN_OPERATIONS, resolve('dist', 'render-thread.js'));
    if (!helper) {
      expect(availableParallelism()).toBeLessThan(2);
      return;
    }
    try {
      const options = { seed: 4, depth: 'quick' as const };
      const hash = helper.sharePlanning({ source: file, bytes: readFileSync(file), hash: true, options });
      const { spec, ir } = await prepareSpec(file);
      expect(await hash).toBe(spec.specHash);
      const share = helper.planShare(ir.operations.length);
      const shared = await planTestsInSlices(ir, options, { share });
      expect(shared).toStrictEqual(planTests(ir, options));
      if (file === GITHUB) expect(share?.planned().parts).toBeGreaterThan(0);
    } finally {
      helper.close();
    }
  }
}, 120_000);

test('the helper thread works out the spec hash from the file bytes as loading does', async () => {
  const spec = await loadSpec(GITHUB);
  const bytes = spec.sourceBytes as Uint8Array;
  const copy = Uint8Array.from(bytes);
  const helper = RenderHelper.start(FORMATS, HELPER_MIN_OPERATIONS, resolve('dist', 'render-thread.js'));
  if (!helper) {
    expect(availableParallelism()).toBeLessThan(2);
    return;
  }
  // A file is read into shared memory: the thread is handed the bytes without a copy, and they stay here too.
  expect(bytes.buffer).toBeInstanceOf(SharedArrayBuffer);
  try {
    expect(await helper.hashSpec(bytes, spec.origin)).toBe(spec.specHash);
    expect(bytes.byteLength).toBe(copy.byteLength);
  } finally {
    helper.close();
  }
  // A thread that cannot parse the bytes, or has been stopped, says so: the caller hashes on its own thread.
  const other = RenderHelper.start(FORMATS, HELPER_MIN_OPERATIONS, resolve('dist', 'render-thread.js'));
  try {
    await expect(other?.hashSpec(copy.subarray(0, 1000), spec.origin)).rejects.toThrow(/not valid JSON/);
  } finally {
    other?.close();
  }
  await expect(other?.hashSpec(copy, spec.origin)).rejects.toThrow(/not available/);
}, 120_000);

test('a rendering handed over before it is asked for (while the licence is awaited) gives every format once', async () => {
  const plan = planTests((await prepareSpec('tests/fixtures/specs/sut/petstore.yaml')).ir, { seed: 3 });
  const options = { generatorVersion: '0.0.0-test' };
  const helper = RenderHelper.start(FORMATS, HELPER_MIN_OPERATIONS, resolve('dist', 'render-thread.js'));
  if (!helper) {
    expect(availableParallelism()).toBeLessThan(2);
    return;
  }
  try {
    const job = helper.begin(plan, FORMATS, options);
    // The thread works on its groups meanwhile (it claims one once it has booted: waited for here, as a busy
    // machine boots it slowly); the rendering itself is that of the plan it was given.
    const since = Date.now();
    while (Atomics.load(job.next, 0) === 0 && Date.now() - since < 60_000)
      await new Promise((resolve) => setTimeout(resolve, 10));
    expect(Atomics.load(job.next, 0)).toBeGreaterThan(0);
    expect(() => helper.begin({ ...plan }, FORMATS, options)).toThrow(/another plan/);
    const outputs = [];
    for await (const timed of helper.render(plan, FORMATS, options)) outputs.push(timed);
    expect(outputs.map((o) => o.output.format).sort()).toEqual([...FORMATS].sort());
    expect(outputs.some((o) => o.thread === 'helper')).toBe(true);
    for (const format of FORMATS) {
      const output = outputs.find((o) => o.output.format === format)?.output;
      expect(output && asText(output)).toEqual(asText(renderFormat(format, plan, options)));
    }
    // Its work done, the thread was stopped at once rather than at exit.
    await expect(helper.hashSpec(new Uint8Array(1), 'x')).rejects.toThrow(/not available/);
  } finally {
    helper.close();
  }
}, 120_000);

/** A format's output with every file's text as one string (the helper's files come back encoded). */
function asText(output: FormatOutput): FormatOutput {
  return { ...output, files: output.files.map((file) => ({ ...file, contents: joinText(file.contents) })) };
}
