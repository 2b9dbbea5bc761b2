/**
 * Coverage benchmark: how much of a server's code the generated vitest suite reaches, per depth.
 *
 *   npm run bench:coverage                               # every subject, every depth
 *   npm run bench:coverage -- --subjects triangle,dates --depths quick,standard
 *   npm run bench:coverage -- --json                     # rows as JSON on stdout
 *
 * For each subject of tests/coverage-subjects and each depth: the engine plans the subject's spec
 * (`prepareSpec` + `planTests` with that depth) and renders the vitest suite into tests/.tmp; the subject is
 * started on a free loopback port with `NODE_V8_COVERAGE`; the suite runs against it (`BASE_URL`); the subject
 * is stopped, and c8 reports line and branch coverage of the subject's own code (the shared HTTP shell is not
 * counted). Prints one table: cases, tests passed/failed, lines and branches covered.
 *
 * The subject runs as JavaScript that esbuild builds from its folder (one file, `server.mjs`, with the shell
 * kept in a file of its own), not through a TypeScript loader: V8 coverage mapped back through a loader's
 * source maps counted every line of a function as run once any of it ran (100 % of lines beside 66 % of
 * branches on the triangle). Lines are therefore lines of the built JavaScript, which keeps the source's
 * statements one to a line.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { Report } from 'c8';
import { build, type Plugin } from 'esbuild';
import { DEPTHS, type Depth } from '../cli/engine/data/depth.ts';
import { prepareSpec } from '../cli/engine/pipeline.ts';
import { type PlanOptions, planTests } from '../cli/engine/plan/plan-tests.ts';
import { isSubjectName, SUBJECTS, type SubjectName } from '../tests/coverage-subjects/subjects.ts';
import { REPO, runSuite, writeSuite } from '../tests/render/js/suite-runner.ts';

/** One subject at one depth. */
export interface CoverageRow {
  subject: SubjectName;
  depth: Depth;
  /** Test cases in the plan. */
  cases: number;
  passed: number;
  failed: number;
  /** First lines of the failed tests (a correct subject should have none). */
  failures: string[];
  lines: { covered: number; total: number; pct: number };
  branches: { covered: number; total: number; pct: number };
}

const WORK = join(REPO, 'tests/.tmp/bench-coverage');
const SUBJECTS_DIR = join(REPO, 'tests/coverage-subjects');

/** Imports of the shared shell (`../common/x.ts`) stay imports, of the shell's own built file. */
const sharedShell: Plugin = {
  name: 'shared-shell',
  setup(b) {
    b.onResolve({ filter: /\/common\/[\w-]+\.ts$/ }, (args) => ({
      path: `../common/${args.path.replace(/^.*\/common\//, '').replace(/\.ts$/, '.mjs')}`,
      external: true,
    }));
  },
};

/** Builds a subject (and the shared shell) to JavaScript; returns the file to run and the file to measure. */
async function buildSubject(name: SubjectName): Promise<{ main: string; code: string }> {
  const out = join(WORK, 'build');
  const common = {
    bundle: true,
    platform: 'node' as const,
    format: 'esm' as const,
    packages: 'external' as const,
    logLevel: 'warning' as const,
  };
  await build({
    ...common,
    entryPoints: [join(SUBJECTS_DIR, 'common/subject-server.ts'), join(SUBJECTS_DIR, 'common/serve.ts')],
    outdir: join(out, 'common'),
    outExtension: { '.js': '.mjs' },
  });
  const dir = join(out, name);
  await build({
    ...common,
    entryPoints: [join(SUBJECTS[name].dir, 'server.ts')],
    outfile: join(dir, 'server.mjs'),
    plugins: [sharedShell],
  });
  copyFileSync(SUBJECTS[name].spec, join(dir, 'openapi.yaml'));
  const main = join(dir, 'main.mjs');
  writeFileSync(
    main,
    "import { serveUntilStopped } from '../common/serve.mjs';\nimport { createSubject } from './server.mjs';\nserveUntilStopped(createSubject());\n",
  );
  return { main, code: join(dir, 'server.mjs') };
}

/** Starts a built subject under V8 coverage; resolves with its base URL once it listens. */
function startSubject(
  name: SubjectName,
  main: string,
  coverageDir: string,
): Promise<{ url: string; child: ChildProcess }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [main], {
      cwd: REPO,
      env: { ...process.env, NODE_V8_COVERAGE: coverageDir },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`subject ${name} did not start within 60 s:\n${err}`));
    }, 60_000);
    child.stderr?.on('data', (chunk: Buffer) => {
      err += chunk.toString();
    });
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const line = out.split('\n')[0];
      if (out.includes('\n') && line) {
        clearTimeout(timer);
        resolve({ url: line.trim(), child });
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`subject ${name} exited (${code}) before listening:\n${err}`));
    });
  });
}

/** Stops a subject with SIGTERM and waits until it has exited (and so written its coverage). */
function stopSubject(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) {
      resolve();
      return;
    }
    child.removeAllListeners('exit');
    child.on('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

interface Summary {
  total: Record<'lines' | 'branches', { total: number; covered: number; pct: number }>;
}

/** Line and branch coverage of the built subject file `code` from the V8 data in `coverageDir`. */
async function report(code: string, coverageDir: string, reportDir: string): Promise<Summary['total']> {
  await new Report({
    tempDirectory: coverageDir,
    reportsDirectory: reportDir,
    // The text report (uncovered lines) goes to report/coverage.txt, beside the JSON summary read below.
    reporter: ['json-summary', 'text'],
    reporterOptions: { text: { file: 'coverage.txt' } },
    include: [relative(REPO, code)],
    // c8's default excludes drop everything under tests/; only `include` decides here.
    exclude: [],
    excludeNodeModules: true,
  }).run();
  const summary = JSON.parse(readFileSync(join(reportDir, 'coverage-summary.json'), 'utf8')) as Summary;
  return summary.total;
}

/**
 * Generates the vitest suite for one subject at one depth, runs it against the subject under coverage, and
 * returns the figures. `depth` is passed to the planner as `depth` (a planner that does not know it yet
 * plans its single-input cases, i.e. `quick`).
 */
export async function measureCoverage(input: {
  subject: SubjectName;
  depth: Depth;
  seed?: number;
}): Promise<CoverageRow> {
  const { subject, depth } = input;
  const slug = `${subject}-${depth}`;
  const coverageDir = join(WORK, slug, 'v8');
  const reportDir = join(WORK, slug, 'report');
  rmSync(join(WORK, slug), { recursive: true, force: true });
  mkdirSync(coverageDir, { recursive: true });
  const { ir } = await prepareSpec(SUBJECTS[subject].spec);
  const options: PlanOptions & { depth: Depth } = { seed: input.seed ?? 1, depth };
  const plan = planTests(ir, options);
  const { dir } = writeSuite({ format: 'vitest', plan, name: `bench-coverage-${slug}` });
  const built = await buildSubject(subject);
  const { url, child } = await startSubject(subject, built.main, coverageDir);
  let suite: Awaited<ReturnType<typeof runSuite>>;
  try {
    suite = await runSuite({ format: 'vitest', dir, env: { BASE_URL: url }, runId: `coverage-${slug}` });
  } finally {
    await stopSubject(child);
  }
  const total = await report(built.code, coverageDir, reportDir);
  return {
    subject,
    depth,
    cases: plan.cases.length,
    passed: suite.passed,
    failed: suite.failed,
    failures: suite.failures,
    lines: total.lines,
    branches: total.branches,
  };
}

function table(rows: readonly CoverageRow[]): string {
  const head = ['subject', 'depth', 'cases', 'passed', 'failed', 'lines', 'branches'];
  const body = rows.map((r) => [
    r.subject,
    r.depth,
    String(r.cases),
    String(r.passed),
    String(r.failed),
    `${r.lines.pct.toFixed(1)} % (${r.lines.covered}/${r.lines.total})`,
    `${r.branches.pct.toFixed(1)} % (${r.branches.covered}/${r.branches.total})`,
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((row) => (row[i] as string).length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i] as number)).join(' | ')} |`;
  return [line(head), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)].join('\n');
}

function list<T extends string>(
  text: string | undefined,
  all: readonly T[],
  valid: (s: string) => s is T,
  what: string,
): T[] {
  if (!text) return [...all];
  const items = text.split(',').map((s) => s.trim());
  const bad = items.filter((s) => !valid(s));
  if (bad.length > 0) throw new Error(`unknown ${what}: ${bad.join(', ')} (choose from ${all.join(', ')})`);
  return items as T[];
}

async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: { subjects: { type: 'string' }, depths: { type: 'string' }, json: { type: 'boolean' } },
  });
  const subjects = list(values.subjects, Object.keys(SUBJECTS) as SubjectName[], isSubjectName, 'subject');
  const depths = list(
    values.depths,
    DEPTHS,
    (s): s is Depth => (DEPTHS as readonly string[]).includes(s),
    'depth',
  );
  const rows: CoverageRow[] = [];
  for (const subject of subjects) {
    for (const depth of depths) {
      process.stderr.write(`coverage: ${subject} at ${depth}…\n`);
      const row = await measureCoverage({ subject, depth });
      for (const failure of row.failures.slice(0, 5)) process.stderr.write(`  failed: ${failure}\n`);
      rows.push(row);
    }
  }
  process.stdout.write(values.json ? `${JSON.stringify(rows, null, 2)}\n` : `${table(rows)}\n`);
  return rows.some((r) => r.failed > 0) ? 1 : 0;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  try {
    process.exitCode = await main(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`bench:coverage: ${(error as Error).message}\n`);
    process.exitCode = 1;
  }
}
