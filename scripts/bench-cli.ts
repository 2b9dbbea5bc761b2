/**
 * `npm run bench:cli`: start-up time of the built CLI — `specmint --help` and `specmint --version` —
 * beside `node -e 0` on the same machine (median of N runs each, runs interleaved so background load
 * hits all three alike). Target: ≤ 150 ms. `--runs N` (default 15), `--json` for machine output;
 * `--cli path` measures another entry file. It only reports, unless `--strict` makes a missed target exit 1.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const CLI = fileURLToPath(new URL('../bin/specmint', import.meta.url));
const BUNDLE = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const TARGET_MS = 150;

interface Case {
  name: string;
  args: string[];
}

function casesFor(cli: string): Case[] {
  return [
    { name: 'node -e 0', args: ['-e', '0'] },
    { name: 'specmint --version', args: [cli, '--version'] },
    { name: 'specmint --help', args: [cli, '--help'] },
  ];
}

function timeOnce(args: string[]): number {
  const started = process.hrtime.bigint();
  const result = spawnSync(process.execPath, args, {
    stdio: 'ignore',
    env: { ...process.env, NO_COLOR: '1' },
  });
  const elapsed = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.status !== 0) throw new Error(`${args.join(' ')} exited with ${result.status}`);
  return elapsed;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

function main(): number {
  const { values } = parseArgs({
    options: {
      runs: { type: 'string', default: '15' },
      json: { type: 'boolean' },
      strict: { type: 'boolean' },
      // Another entry to compare (e.g. an experimental bundle); default bin/specmint.
      cli: { type: 'string' },
    },
  });
  const CASES = casesFor(values.cli ?? CLI);
  const runs = Number(values.runs);
  if (!Number.isInteger(runs) || runs < 1) throw new Error('--runs must be a whole number ≥ 1');
  if (values.cli === undefined && !existsSync(BUNDLE))
    throw new Error('dist/cli.js is missing: run `npm run build` first.');
  for (const c of CASES) timeOnce(c.args); // warm the file cache
  const samples = new Map<string, number[]>(CASES.map((c) => [c.name, []]));
  for (let i = 0; i < runs; i += 1) for (const c of CASES) samples.get(c.name)?.push(timeOnce(c.args));
  const rows = CASES.map((c) => {
    const times = samples.get(c.name) ?? [];
    return { name: c.name, medianMs: Math.round(median(times)), minMs: Math.round(Math.min(...times)), runs };
  });
  const baseline = rows[0]?.medianMs ?? 0;
  const cli = rows.slice(1);
  const missed = cli.filter((row) => row.medianMs > TARGET_MS);
  if (values.json) {
    process.stdout.write(`${JSON.stringify({ targetMs: TARGET_MS, rows }, null, 2)}\n`);
  } else {
    process.stdout.write(`Start-up, median of ${runs} runs (target ≤ ${TARGET_MS} ms):\n`);
    for (const row of rows) {
      const over = row === rows[0] ? '' : `  (+${row.medianMs - baseline} ms over node)`;
      process.stdout.write(
        `  ${row.name.padEnd(20)} ${String(row.medianMs).padStart(5)} ms  (min ${row.minMs} ms)${over}\n`,
      );
    }
    process.stdout.write(
      missed.length === 0 ? 'Within target.\n' : `Over target: ${missed.map((r) => r.name).join(', ')}.\n`,
    );
  }
  return values.strict && missed.length > 0 ? 1 : 0;
}

try {
  process.exit(main());
} catch (error) {
  process.stderr.write(`bench-cli: ${(error as Error).message}\n`);
  process.exit(2);
}
