/**
 * Resources that refer to each other, for real: a generated pytest suite (`--depth standard`, every category)
 * runs against a small server for tests/fixtures/specs/features/references.yaml that keeps its promises the
 * way real servers do: a venue's code is unique (a second one is a 409), an event must name a venue that
 * exists and end after it starts (else the declared 422), a booking is made under its event and read on its
 * own, a ticket is found only under the event it was issued for. Every test passes (before, a venue's code sent
 * again by every setup step, made-up venue ids, reversed dates and tickets looked up under another event failed
 * most of them), and a server that loses its bookings is caught (before, the booking read accepted its 404).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatFiles } from '../helpers/format-files.ts';
import { PythonServers } from '../helpers/python-server.ts';
import { findPythons, pythonSkipReason } from '../render/pytest/python-env.ts';
import { runPytest } from '../render/pytest/run-pytest.ts';
import { writeFiles } from '../render/pytest/write-files.ts';
import { REFERENCES_SERVER } from './references-server.ts';
import { RUN_ROOT } from './runners.ts';

const pythons = findPythons();
const skip = pythonSkipReason(pythons);
const python = pythons[0]?.command ?? 'python3';
const DIR = join(RUN_ROOT, 'references');

const SPEC = join(import.meta.dirname, '../fixtures/specs/features/references.yaml');

const servers = new PythonServers(python, join(DIR, 'server.py'), '/organizers');

let suite = '';

beforeAll(async () => {
  if (skip) return;
  mkdirSync(DIR, { recursive: true });
  writeFileSync(join(DIR, 'server.py'), REFERENCES_SERVER);
  suite = writeFiles(join(DIR, 'pytest'), await formatFiles(SPEC, 'pytest', { depth: 'standard' }));
}, 60_000);

afterAll(() => {
  servers.stopAll();
});

describe.skipIf(skip !== undefined)(
  'resources that refer to each other, against a server that checks',
  () => {
    it('pass everywhere on a server that keeps the spec', async () => {
      const report = await runPytest({ python, dir: suite, env: { BASE_URL: await servers.start('none') } });
      expect(report.tests).toBeGreaterThan(50);
      expect(report.failures, report.output.slice(-3000)).toEqual([]);
      expect(report.exitCode).toBe(0);
    }, 180_000);

    it('fail where the server loses the bookings it made', async () => {
      const report = await runPytest({
        python,
        dir: suite,
        env: { BASE_URL: await servers.start('bookings-lost') },
      });
      expect(report.failed, report.output.slice(-3000)).toBeGreaterThan(0);
      expect(report.failures.join('\n')).toMatch(/getBooking/);
    }, 180_000);
  },
);
