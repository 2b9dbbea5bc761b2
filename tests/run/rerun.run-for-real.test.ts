/**
 * A suite run twice against one server that keeps what the first run made (tests/run/references-server.ts: a
 * venue's code is unique, a second venue with it is a 409). The setup steps' made-up codes and names are sent
 * renamed in each run (plan types.ts `UniqueText`), so the second run makes venues of its own and passes, in
 * every format that runs setup steps; with SPECMINT_RUN_ID fixed, a run sends the same values again and its
 * setup steps meet the server's 409, which the failure explains.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunnerKind } from '../../cli/engine/render/format-module.ts';
import type { RenderedFile } from '../../cli/engine/render/types.ts';
import { formatFiles } from '../helpers/format-files.ts';
import { PythonServers } from '../helpers/python-server.ts';
import { findPythons, pythonSkipReason } from '../render/pytest/python-env.ts';
import { runPytest } from '../render/pytest/run-pytest.ts';
import { writeFiles } from '../render/pytest/write-files.ts';
import { REFERENCES_SERVER } from './references-server.ts';
import { RUN_ROOT, RUNNERS } from './runners.ts';

const pythons = findPythons();
const skip = pythonSkipReason(pythons);
const DIR = join(RUN_ROOT, 'rerun');
const SPEC = join(import.meta.dirname, '../fixtures/specs/features/references.yaml');
const servers = new PythonServers(pythons[0]?.command ?? 'python3', join(DIR, 'server.py'), '/organizers');

const FORMATS: Array<[format: 'pytest' | 'vitest' | 'postman' | 'k6', runner: RunnerKind]> = [
  ['pytest', 'pytest'],
  ['vitest', 'vitest'],
  ['postman', 'newman'],
  ['k6', 'k6'],
];
const files = new Map<string, RenderedFile[]>();

beforeAll(async () => {
  if (skip) return;
  mkdirSync(DIR, { recursive: true });
  writeFileSync(join(DIR, 'server.py'), REFERENCES_SERVER);
  for (const [format] of FORMATS) {
    // Quick depth: every setup step is there, and newman, the slowest runner, runs it twice in time.
    files.set(format, await formatFiles(SPEC, format, { depth: 'quick' }));
  }
}, 120_000);

afterAll(() => {
  servers.stopAll();
});

describe.skipIf(skip !== undefined)('a suite run twice against a server that keeps its data', () => {
  it.each(FORMATS)(
    '%s: the second run makes resources of its own and passes',
    async (format, runner) => {
      const env = { BASE_URL: await servers.start('none') };
      const run = (n: number) =>
        RUNNERS[runner].run({
          files: files.get(format) ?? [],
          env,
          runId: `rerun-${format}-${n}`,
          bail: false,
        });
      const first = await run(1);
      expect(first.failures, first.output).toEqual([]);
      const second = await run(2);
      expect(second.executed).toBeGreaterThan(0);
      expect(second.failures, second.output).toEqual([]);
    },
    480_000,
  );

  it('with SPECMINT_RUN_ID fixed, a run sends the same values again and says why its setup failed', async () => {
    const env = { BASE_URL: await servers.start('none'), SPECMINT_RUN_ID: 'same-run' };
    const dir = writeFiles(join(DIR, 'pytest-fixed'), files.get('pytest') ?? []);
    const run = () => runPytest({ python: pythons[0]?.command ?? 'python3', dir, env });
    expect((await run()).failures).toEqual([]);
    const second = await run();
    expect(second.failed).toBeGreaterThan(0);
    expect(second.output).toMatch(/answered 409, so nothing was created/);
  }, 480_000);
});
