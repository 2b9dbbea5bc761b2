/**
 * `npm run bench`: runs every benchmark script that exists and prints one table.
 *
 *   npm run bench                      # engine, cli, server
 *   npm run bench -- --only engine,cli
 *   npm run bench -- --json            # the rows as JSON on stdout
 *
 * Each script runs in its own process (`node --expose-gc --import tsx <script>`). A script whose source
 * mentions `--json` is asked for JSON and its stdout (last line, else all of it) is read as rows: an array of
 * objects, `{rows:[…], …}` or one object, one object per subject. scripts/bench-engine.ts prints
 * `[{spec, operations, cases, files, loadMs, planMs, renderMs, totalMs, peakRssMb}]` and scripts/bench-cli.ts
 * `{targetMs, rows:[{name, medianMs, minMs, runs}]}`. Every other field of a row becomes one line of the
 * table: bench · subject · metric · value (fields beside `rows` get subject `-`). A script that prints no
 * JSON is shown verbatim under the table; a missing script is skipped with a note; a failing one is
 * reported and makes the exit code 1.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** One benchmark script. */
export interface BenchScript {
  /** Short name used by `--only` and in the table. */
  name: string;
  /** Path relative to the project root. */
  file: string;
}

/** The benchmarks `npm run bench` knows, in table order. */
export const BENCH_SCRIPTS: readonly BenchScript[] = [
  { name: 'engine', file: 'scripts/bench-engine.ts' },
  { name: 'cli', file: 'scripts/bench-cli.ts' },
  { name: 'server', file: 'scripts/bench-server.ts' },
];

/** One line of the table. */
export interface BenchRow {
  bench: string;
  subject: string;
  metric: string;
  value: string | number | boolean;
}

/** What running one script produced. */
export interface BenchOutcome {
  name: string;
  file: string;
  status: 'ok' | 'text' | 'missing' | 'failed';
  rows: BenchRow[];
  /** Why it was skipped or failed. */
  note?: string;
  /** Stdout of a script that printed no JSON. */
  output?: string;
  durationMs: number;
}

/** Fields naming the subject of a row, in order of preference. */
const SUBJECT_KEYS = ['spec', 'subject', 'name', 'scenario', 'endpoint', 'route', 'command', 'case'];

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function rowsOfObject(bench: string, item: Record<string, unknown>, fallbackSubject: string): BenchRow[] {
  const subjectKey = SUBJECT_KEYS.find((key) => typeof item[key] === 'string');
  const subject = subjectKey ? String(item[subjectKey]) : fallbackSubject;
  return Object.entries(item)
    .filter(([metric]) => metric !== subjectKey)
    .map(([metric, field]) => {
      const shown = typeof field === 'number' || typeof field === 'boolean' || typeof field === 'string';
      return { bench, subject, metric, value: shown ? field : JSON.stringify(field) };
    });
}

/** Turns a script's JSON output into table rows (see the module comment for the accepted shapes). */
export function rowsFromJson(bench: string, value: unknown): BenchRow[] {
  const rows: BenchRow[] = [];
  let list: unknown[] = [value];
  if (Array.isArray(value)) {
    list = value;
  } else if (isRecord(value) && Array.isArray(value.rows)) {
    // `{targetMs, rows}`: the fields beside `rows` describe the whole run.
    const { rows: inner, ...run } = value;
    if (Object.keys(run).length > 0) rows.push(...rowsOfObject(bench, run, '-'));
    list = inner as unknown[];
  }
  list.forEach((item, index) => {
    if (isRecord(item)) rows.push(...rowsOfObject(bench, item, list.length === 1 ? '-' : String(index + 1)));
    else rows.push({ bench, subject: String(index + 1), metric: 'value', value: JSON.stringify(item) });
  });
  return rows;
}

/** Parses the last non-empty stdout line as JSON, else the whole stdout; `undefined` when neither parses. */
export function parseJsonOutput(stdout: string): unknown {
  const trimmed = stdout.trim();
  const last = trimmed.split('\n').pop() ?? '';
  for (const candidate of [last, trimmed]) {
    if (candidate === '') continue;
    try {
      return JSON.parse(candidate);
    } catch {
      // not JSON
    }
  }
  return undefined;
}

/** Options of {@link runBenchScript}. */
export interface RunBenchOptions {
  /** Project root the script paths are relative to. */
  root: string;
  /** Kill the script after this long. @default 1_800_000 (30 min) */
  timeoutMs?: number;
  /** Where the script's stderr (progress) goes. @default process.stderr */
  onStderr?: (chunk: string) => void;
}

function runProcess(
  args: string[],
  options: RunBenchOptions,
): Promise<{ code: number | null; stdout: string; error?: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { cwd: options.root, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    const timer = setTimeout(() => child.kill('SIGTERM'), options.timeoutMs ?? 1_800_000);
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) =>
      (options.onStderr ?? ((text) => process.stderr.write(text)))(chunk.toString()),
    );
    child.once('error', (error) => {
      clearTimeout(timer);
      resolve({ code: null, stdout, error: error.message });
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, stdout, ...(signal ? { error: `killed by ${signal}` } : {}) });
    });
  });
}

/** Runs one benchmark script and collects its rows. Never throws for a missing or failing script. */
export async function runBenchScript(script: BenchScript, options: RunBenchOptions): Promise<BenchOutcome> {
  const path = join(options.root, script.file);
  const base = { name: script.name, file: script.file, rows: [] as BenchRow[] };
  if (!existsSync(path))
    return { ...base, status: 'missing', note: `${script.file} does not exist yet`, durationMs: 0 };
  const wantsJson = readFileSync(path, 'utf8').includes('--json');
  const started = performance.now();
  const result = await runProcess(
    ['--expose-gc', '--import', 'tsx', path, ...(wantsJson ? ['--json'] : [])],
    options,
  );
  const durationMs = Math.round(performance.now() - started);
  if (result.code !== 0) {
    const note = result.error ?? `exited with code ${result.code}`;
    return { ...base, status: 'failed', note, output: result.stdout, durationMs };
  }
  const parsed = wantsJson ? parseJsonOutput(result.stdout) : undefined;
  if (parsed === undefined) return { ...base, status: 'text', output: result.stdout, durationMs };
  return { ...base, status: 'ok', rows: rowsFromJson(script.name, parsed), durationMs };
}

/** Renders the outcomes as one aligned table, then notes and any verbatim output. */
export function formatBenchTable(outcomes: BenchOutcome[]): string {
  const header = ['bench', 'subject', 'metric', 'value'];
  const lines: string[][] = [];
  for (const outcome of outcomes) {
    for (const row of outcome.rows) lines.push([row.bench, row.subject, row.metric, String(row.value)]);
    if (outcome.status === 'missing') lines.push([outcome.name, '-', 'skipped', outcome.note ?? '']);
    if (outcome.status === 'failed') lines.push([outcome.name, '-', 'FAILED', outcome.note ?? '']);
    if (outcome.status === 'text') lines.push([outcome.name, '-', 'output', 'see below']);
  }
  const widths = header.map((title, i) => Math.max(title.length, ...lines.map((line) => line[i]!.length)));
  const render = (cells: string[]) =>
    cells
      .map((cell, i) =>
        i === 3 && /^-?[\d.]+$/.test(cell) ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!),
      )
      .join('  ')
      .trimEnd();
  const out = [render(header), widths.map((width) => '-'.repeat(width)).join('  '), ...lines.map(render)];
  for (const outcome of outcomes.filter((o) => o.status === 'text' || (o.status === 'failed' && o.output))) {
    out.push('', `## ${outcome.name} (${outcome.file})`, (outcome.output ?? '').trimEnd());
  }
  return `${out.join('\n')}\n`;
}

async function main(argv: string[]): Promise<number> {
  const root = fileURLToPath(new URL('..', import.meta.url));
  const onlyIndex = argv.indexOf('--only');
  const only = onlyIndex >= 0 ? new Set((argv[onlyIndex + 1] ?? '').split(',').filter(Boolean)) : undefined;
  const unknown = [...(only ?? [])].filter((name) => !BENCH_SCRIPTS.some((script) => script.name === name));
  if (unknown.length > 0) {
    process.stderr.write(
      `unknown bench ${unknown.join(', ')}; known: ${BENCH_SCRIPTS.map((s) => s.name).join(', ')}\n`,
    );
    return 2;
  }
  const outcomes: BenchOutcome[] = [];
  for (const script of BENCH_SCRIPTS.filter((s) => !only || only.has(s.name))) {
    process.stderr.write(`bench ${script.name}: ${script.file}\n`);
    outcomes.push(await runBenchScript(script, { root }));
  }
  if (argv.includes('--json')) process.stdout.write(`${JSON.stringify(outcomes)}\n`);
  else process.stdout.write(formatBenchTable(outcomes));
  return outcomes.some((outcome) => outcome.status === 'failed') ? 1 : 0;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  process.exitCode = await main(process.argv.slice(2));
}
