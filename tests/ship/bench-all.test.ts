/**
 * scripts/bench-all.ts: runs real benchmark processes (small stand-in scripts in a temp project) and turns
 * their output into one table; missing scripts are skipped with a note and failing ones are reported.
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BENCH_SCRIPTS,
  type BenchOutcome,
  formatBenchTable,
  parseJsonOutput,
  rowsFromJson,
  runBenchScript,
} from '../../scripts/bench-all.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

const ENGINE_STANDIN = `
// Stand-in for scripts/bench-engine.ts: prints rows as JSON with --json, a table otherwise.
const rows = [
  { spec: 'github', operations: 1100, cases: 9000, totalMs: 8123, peakRssMb: 612, gc: typeof globalThis.gc === 'function' },
  { spec: 'graph-beta', operations: 14000, cases: 90000, totalMs: 61000, peakRssMb: 2100, gc: typeof globalThis.gc === 'function' },
];
console.error('measuring…');
console.log('progress line that is not JSON');
if (process.argv.includes('--json')) console.log(JSON.stringify(rows));
else console.log('spec  total ms');
`;

const CLI_STANDIN = `
console.log('cold start  182 ms');
console.log('warm start   95 ms');
`;

describe('bench-all', () => {
  let root = '';
  const stderr: string[] = [];
  const run = (name: string, file: string) =>
    runBenchScript({ name, file }, { root, timeoutMs: 60_000, onStderr: (chunk) => stderr.push(chunk) });

  beforeAll(async () => {
    await mkdir(join(ROOT, 'tests/.tmp/ship'), { recursive: true });
    root = await mkdtemp(join(ROOT, 'tests/.tmp/ship/bench-'));
    await mkdir(join(root, 'scripts'));
    await writeFile(join(root, 'scripts/bench-engine.ts'), ENGINE_STANDIN);
    await writeFile(join(root, 'scripts/bench-cli.ts'), CLI_STANDIN);
    await writeFile(join(root, 'scripts/bench-boom.ts'), "console.log('half a table');\nprocess.exit(3);\n");
  });

  afterAll(async () => {
    if (root) await rm(root, { recursive: true, force: true });
  });

  it('knows the three benchmarks of `npm run bench`', () => {
    expect(BENCH_SCRIPTS.map((script) => script.file)).toEqual([
      'scripts/bench-engine.ts',
      'scripts/bench-cli.ts',
      'scripts/bench-server.ts',
    ]);
  });

  it('reads JSON rows from a script that supports --json, running it with --expose-gc', async () => {
    const outcome = await run('engine', 'scripts/bench-engine.ts');
    expect(outcome.status).toBe('ok');
    expect(outcome.rows).toContainEqual({
      bench: 'engine',
      subject: 'github',
      metric: 'totalMs',
      value: 8123,
    });
    expect(outcome.rows).toContainEqual({
      bench: 'engine',
      subject: 'graph-beta',
      metric: 'peakRssMb',
      value: 2100,
    });
    expect(outcome.rows).toContainEqual({ bench: 'engine', subject: 'github', metric: 'gc', value: true });
    expect(outcome.rows).toHaveLength(10);
    expect(stderr.join('')).toContain('measuring…');
  });

  it('keeps the output of a script without JSON, skips a missing one and reports a failing one', async () => {
    const outcomes: BenchOutcome[] = [
      await run('engine', 'scripts/bench-engine.ts'),
      await run('cli', 'scripts/bench-cli.ts'),
      await run('server', 'scripts/bench-server.ts'),
      await run('boom', 'scripts/bench-boom.ts'),
    ];
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['ok', 'text', 'missing', 'failed']);
    expect(outcomes[3]!.note).toBe('exited with code 3');

    const table = formatBenchTable(outcomes);
    const lines = table.split('\n');
    expect(lines[0]).toMatch(/^bench\s+subject\s+metric\s+value$/);
    expect(lines.find((line) => line.includes('graph-beta') && line.includes('totalMs'))).toMatch(/61000$/);
    expect(table).toMatch(/server\s+-\s+skipped\s+scripts\/bench-server\.ts does not exist yet/);
    expect(table).toMatch(/boom\s+-\s+FAILED\s+exited with code 3/);
    expect(table).toContain('## cli (scripts/bench-cli.ts)\ncold start  182 ms\nwarm start   95 ms');
    expect(table).toContain('## boom (scripts/bench-boom.ts)\nhalf a table');
  });

  it('accepts the usual JSON shapes', () => {
    expect(
      rowsFromJson('server', { rows: [{ scenario: 'POST /v1/generations', rps: 850, p99Ms: 41 }] }),
    ).toEqual([
      { bench: 'server', subject: 'POST /v1/generations', metric: 'rps', value: 850 },
      { bench: 'server', subject: 'POST /v1/generations', metric: 'p99Ms', value: 41 },
    ]);
    expect(rowsFromJson('cli', { coldStartMs: 180, runs: [1, 2] })).toEqual([
      { bench: 'cli', subject: '-', metric: 'coldStartMs', value: 180 },
      { bench: 'cli', subject: '-', metric: 'runs', value: '[1,2]' },
    ]);
    expect(rowsFromJson('x', [3])).toEqual([{ bench: 'x', subject: '1', metric: 'value', value: '3' }]);
    // scripts/bench-cli.ts --json, pretty-printed over several lines.
    const cli = JSON.stringify(
      { targetMs: 150, rows: [{ name: 'specmint --help', medianMs: 120, runs: 15 }] },
      null,
      2,
    );
    expect(rowsFromJson('cli', parseJsonOutput(`${cli}\n`))).toEqual([
      { bench: 'cli', subject: '-', metric: 'targetMs', value: 150 },
      { bench: 'cli', subject: 'specmint --help', metric: 'medianMs', value: 120 },
      { bench: 'cli', subject: 'specmint --help', metric: 'runs', value: 15 },
    ]);
    expect(parseJsonOutput('warming up\n[{"a":1}]\n')).toEqual([{ a: 1 }]);
    expect(parseJsonOutput('{\n  "a": 1\n}\n')).toEqual({ a: 1 });
    expect(parseJsonOutput('no json here')).toBeUndefined();
  });

  it('exits 2 on an unknown --only name', async () => {
    const failure = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', 'scripts/bench-all.ts', '--only', 'nope'],
      {
        cwd: ROOT,
      },
    ).catch((error: { code: number; stderr: string }) => error);
    expect(failure).toMatchObject({ code: 2 });
    expect((failure as { stderr: string }).stderr).toContain('unknown bench nope');
  });
});
