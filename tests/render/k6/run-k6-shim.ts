/**
 * Runs a generated k6 script under Node with the shims in this folder (k6 itself is not installable here): bundles
 * it with esbuild (k6 modules resolved to the shims), then, in a child process started in the suite's folder,
 * goes through k6's life cycle once: `setup`, every scenario function once, `teardown`, and `handleSummary` with
 * end-of-test data in k6's shape (root_group with groups and checks, metrics with their thresholds), writing the
 * files it returns as k6 does (`stdout` to stdout, other keys as paths from the working directory, which must
 * exist).
 */
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';

const SHIMS: Record<string, string> = {
  k6: resolve(import.meta.dirname, 'shim-k6.ts'),
  'k6/http': resolve(import.meta.dirname, 'shim-http.ts'),
  'k6/encoding': resolve(import.meta.dirname, 'shim-encoding.ts'),
  'k6/metrics': resolve(import.meta.dirname, 'shim-metrics.ts'),
};

/** Outcome of one shimmed run. */
export interface K6ShimRun {
  /** Check name (prefixed `<group> › ` inside a group) → passes/fails. */
  results: Record<string, { passes: number; fails: number }>;
  sent: Array<{
    method: string;
    url: string;
    status: number;
    headers: Record<string, string>;
    body: string | null;
  }>;
  /** Names of the scenarios in `options.scenarios`. */
  scenarios: string[];
  thresholds: Record<string, string[]>;
  /** Each threshold expression (`metric expression`) and whether it held. */
  thresholdResults: Record<string, boolean>;
  /** The files handleSummary returned, other than stdout (paths as returned). */
  files: string[];
  /** What the run printed (handleSummary's `stdout` included) and logged. */
  stdout: string;
  stderr: string;
}

/** Options of {@link runK6Shim}. */
export interface RunK6ShimOptions {
  /** Absolute path of the generated `load-test.js`. */
  script: string;
  /** Scratch directory for the bundle. */
  workDir: string;
  /** `__ENV` of the run (k6 also sees the process environment; here only this). */
  env: Record<string, string>;
  /** Where k6 is run from (the suite's folder): handleSummary's files land there. */
  cwd?: string;
}

const HARNESS = (script: string, resultFile: string) => `
import { writeFileSync, existsSync } from 'node:fs';
import { dirname } from 'node:path';
import * as script from ${JSON.stringify(script)};
import { results, rootGroup, checkTotals } from 'k6';
import { sent } from 'k6/http';
import { metrics } from 'k6/metrics';

const started = Date.now();
const data = script.setup ? script.setup() : undefined;
const scenarios = script.options.scenarios;
for (const scenario of Object.values(scenarios)) script[scenario.exec](data);
if (script.teardown) script.teardown(data);

const sorted = (values) => [...values].sort((a, b) => a - b);
const percentile = (values, p) => {
  const list = sorted(values);
  if (list.length === 0) return 0;
  return list[Math.min(list.length - 1, Math.ceil((p / 100) * list.length) - 1)];
};
const durations = sent.map((r) => r.durationMs);
const failedShare = sent.length ? sent.filter((r) => r.failed).length / sent.length : 0;
const summaryMetrics = {
  http_reqs: { type: 'counter', contains: 'default', values: { count: sent.length } },
  http_req_failed: { type: 'rate', contains: 'default', values: { rate: failedShare, passes: sent.filter((r) => r.failed).length, fails: sent.filter((r) => !r.failed).length } },
  http_req_duration: { type: 'trend', contains: 'time', values: { avg: durations.reduce((a, b) => a + b, 0) / (durations.length || 1), min: sorted(durations)[0] || 0, med: percentile(durations, 50), max: sorted(durations).at(-1) || 0, 'p(90)': percentile(durations, 90), 'p(95)': percentile(durations, 95) } },
  checks: { type: 'rate', contains: 'default', values: { rate: checkTotals.passes / ((checkTotals.passes + checkTotals.fails) || 1), passes: checkTotals.passes, fails: checkTotals.fails } },
};
for (const [name, metric] of Object.entries(metrics)) {
  const values = metric.values;
  if (metric.type === 'rate') {
    const passes = values.filter((v) => v !== 0).length;
    summaryMetrics[name] = { type: 'rate', contains: 'default', values: { rate: passes / (values.length || 1), passes, fails: values.length - passes } };
  } else {
    summaryMetrics[name] = { type: 'counter', contains: 'default', values: { count: values.reduce((a, b) => a + b, 0) } };
  }
}
const thresholdResults = {};
for (const [name, expressions] of Object.entries(script.options.thresholds || {})) {
  const metric = summaryMetrics[name];
  if (!metric) throw new Error('threshold on unknown metric ' + name);
  metric.thresholds = {};
  for (const expression of expressions) {
    const match = /^(rate|count|avg|min|max|med|p\\((\\d+)\\))\\s*(<=|>=|<|>)\\s*([0-9.]+)$/.exec(expression);
    if (!match) throw new Error('threshold expression the shim cannot read: ' + expression);
    const value = match[2] ? metric.values['p(' + match[2] + ')'] ?? percentile(durations, Number(match[2])) : metric.values[match[1]];
    const limit = Number(match[4]);
    const ok = { '<': value < limit, '<=': value <= limit, '>': value > limit, '>=': value >= limit }[match[3]];
    metric.thresholds[expression] = { ok };
    thresholdResults[name + ' ' + expression] = ok;
  }
}
const summaryData = {
  root_group: rootGroup,
  metrics: summaryMetrics,
  options: { summaryTrendStats: ['avg', 'min', 'med', 'max', 'p(90)', 'p(95)'], noColor: true },
  state: { isStdOutTTY: false, isStdErrTTY: false, testRunDurationMs: Date.now() - started },
};
const files = [];
if (script.handleSummary) {
  const out = script.handleSummary(summaryData);
  for (const [path, text] of Object.entries(out)) {
    if (path === 'stdout') process.stdout.write(text);
    else if (path === 'stderr') process.stderr.write(text);
    else {
      // As k6: the folder must exist (k6 does not create it).
      if (!existsSync(dirname(path))) throw new Error('could not open ' + path + ': no such directory');
      writeFileSync(path, text);
      files.push(path);
    }
  }
}
writeFileSync(${JSON.stringify(resultFile)}, JSON.stringify({
  results, sent, scenarios: Object.keys(scenarios), thresholds: script.options.thresholds, thresholdResults, files,
}));
`;

/** Bundles and runs the script once per scenario; rejects when the process fails. */
export async function runK6Shim(options: RunK6ShimOptions): Promise<K6ShimRun> {
  mkdirSync(options.workDir, { recursive: true });
  const harness = join(options.workDir, 'harness.mjs');
  const resultFile = join(options.workDir, 'result.json');
  writeFileSync(harness, HARNESS(options.script, resultFile));
  writeFileSync(resultFile, '');
  const outfile = join(options.workDir, 'bundle.mjs');
  await build({
    entryPoints: [harness],
    bundle: true,
    platform: 'node',
    format: 'esm',
    outfile,
    logLevel: 'silent',
    banner: { js: 'globalThis.__ENV = JSON.parse(process.env.K6_SHIM_ENV || "{}");' },
    plugins: [
      {
        name: 'k6-shims',
        setup(pluginBuild) {
          pluginBuild.onResolve({ filter: /^k6(\/.*)?$/ }, (args) => {
            const path = SHIMS[args.path];
            return path ? { path } : { errors: [{ text: `no shim for ${args.path}` }] };
          });
        },
      },
    ],
  });
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [outfile], {
      cwd: options.cwd ?? options.workDir,
      env: { PATH: process.env.PATH ?? '', K6_SHIM_ENV: JSON.stringify(options.env) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) {
        reject(new Error(`k6 shim run exited ${code}: ${stderr.slice(-4000)}`));
        return;
      }
      const outcome = JSON.parse(readFileSync(resultFile, 'utf8')) as Omit<K6ShimRun, 'stdout' | 'stderr'>;
      resolvePromise({ ...outcome, stdout, stderr });
    });
  });
}
