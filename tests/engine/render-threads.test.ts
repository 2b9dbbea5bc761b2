/**
 * Rendering on threads (cli/engine/render-threads.ts) gives byte for byte what rendering format after format
 * gives, in the same order, with the bundled worker (dist/render-worker.js, built by `npm run build` before
 * the tests) and when a thread cannot start.
 */
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateInMemory } from '../../cli/engine/library.ts';
import { renderFormats } from '../../cli/engine/pipeline.ts';
import type { FormatOutput } from '../../cli/engine/ports.ts';
import { renderFormatsThreaded } from '../../cli/engine/render-threads.ts';
import { FORMATS } from '../../shared/plans.ts';

const WORKER = join(import.meta.dirname, '../../dist/render-worker.js');
const SPEC = join(import.meta.dirname, '../fixtures/specs/sut/petstore.yaml');
const render = { generatorVersion: 'threads' };

async function collect(outputs: AsyncIterable<FormatOutput>): Promise<FormatOutput[]> {
  const all: FormatOutput[] = [];
  for await (const output of outputs) all.push(output);
  return all;
}

describe.skipIf(!existsSync(WORKER) && !process.env.CI)('render threads (needs npm run build)', () => {
  it('give the same outputs, in the same order, as rendering on the main thread', async () => {
    const { plan } = (await generateInMemory(SPEC, { formats: ['json'], depth: 'standard' })).result;
    const expected = [...renderFormats(plan, { formats: FORMATS, render })];
    for (const threads of [1, 2]) {
      const where: string[] = [];
      const threaded = await collect(
        renderFormatsThreaded(plan, {
          formats: FORMATS,
          render,
          workerFile: WORKER,
          threads,
          minCases: 0,
          onRendered: (format, at) => where.push(`${format}:${at}`),
        }),
      );
      // The main thread takes every other format, or every third with two threads beside it.
      expect(where.filter((entry) => entry.endsWith(':thread')).length).toBeGreaterThanOrEqual(
        FORMATS.length / 2,
      );
      expect(threaded.map((output) => output.format)).toEqual([...FORMATS]);
      expect(JSON.stringify(threaded)).toBe(JSON.stringify(expected));
    }
  });

  it('render on the main thread what a thread that cannot start was given', async () => {
    const { plan } = (await generateInMemory(SPEC, { formats: ['json'] })).result;
    const broken = join(mkdtempSync(join(tmpdir(), 'specmint-threads-')), 'broken-worker.mjs');
    writeFileSync(broken, "throw new Error('this thread cannot start');\n");
    const formats = ['pytest', 'vitest', 'json'] as const;
    const where: string[] = [];
    const threaded = await collect(
      renderFormatsThreaded(plan, {
        formats,
        render,
        workerFile: broken,
        threads: 2,
        minCases: 0,
        onRendered: (_format, at) => where.push(at),
      }),
    );
    expect(where).toEqual(['main', 'main', 'main']);
    expect(JSON.stringify(threaded)).toBe(JSON.stringify([...renderFormats(plan, { formats, render })]));
  });
});
