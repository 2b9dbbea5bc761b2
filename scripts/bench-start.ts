/**
 * `npm run bench:start`: how long `specmint-server start` takes to listen on embedded PGlite, and where
 * the time goes — `boot` (Node and module loading), `secrets`, `database` (PGlite: WASM start-up, and
 * initdb on a fresh data dir), `migrations`, `template` (keeping a copy of the machine's first fresh
 * database), `listen`, `services` (better-auth, signer, ledger), `routes` — from the `startupMs` of its
 * `listening` log line. Three starts per run, each with an empty template cache of its own: the
 * machine's first fresh data dir, another fresh data dir (started from that copy), and the first data
 * dir again (every later start). Medians of `--runs N` (default 3). `--server PATH` measures another
 * build's `bin/specmint-server` (wall time only when it logs no phases); `--json` prints the rows.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const OWN_SERVER = fileURLToPath(new URL('../bin/specmint-server', import.meta.url));

/** One start: wall time from spawn to the `listening` line, and the server's own phase times. */
interface StartTiming {
  wallMs: number;
  phases: Record<string, number>;
}

function startOnce(server: string, dataDir: string, cacheDir: string): Promise<StartTiming> {
  const started = performance.now();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    SPECMINT_DATA_DIR: dataDir,
    SPECMINT_LOG_LEVEL: 'info',
    XDG_CACHE_HOME: cacheDir,
  };
  for (const name of ['DATABASE_URL', 'PORT', 'NODE_ENV']) delete env[name];
  const child = spawn(process.execPath, [server, 'start', '--port', '0'], {
    env,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let log = '';
    let timing: StartTiming | undefined;
    const timer = setTimeout(() => child.kill('SIGKILL'), 180_000);
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      log += chunk;
      if (timing) return;
      const line = log
        .split('\n')
        .find((entry) => entry.includes('specmint-server listening') && entry.endsWith('}'));
      if (!line) return;
      const { startupMs } = JSON.parse(line) as { startupMs?: Record<string, number> };
      timing = { wallMs: Math.round(performance.now() - started), phases: startupMs ?? {} };
      child.kill('SIGTERM');
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      if (timing) resolve(timing);
      else reject(new Error(`specmint-server exited (${code}) before listening:\n${log}`));
    });
  });
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] ?? 0)
    : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

type Scenario = 'first fresh data dir' | 'fresh data dir' | 'existing data dir';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      runs: { type: 'string', default: '3' },
      server: { type: 'string' },
      json: { type: 'boolean' },
    },
  });
  const server = values.server ?? OWN_SERVER;
  if (!existsSync(join(server, '..', '..', 'dist', 'server.js')))
    throw new Error(`dist/server.js is missing next to ${server}: run \`npm run build\` first.`);
  const runs = Math.max(1, Number(values.runs));
  const work = mkdtempSync(join(tmpdir(), 'specmint-bench-start-'));
  const results: Record<Scenario, StartTiming[]> = {
    'first fresh data dir': [],
    'fresh data dir': [],
    'existing data dir': [],
  };
  try {
    for (let run = 0; run < runs; run += 1) {
      const cache = join(work, `cache-${run}`);
      const first = join(work, `first-${run}`);
      results['first fresh data dir'].push(await startOnce(server, first, cache));
      results['fresh data dir'].push(await startOnce(server, join(work, `second-${run}`), cache));
      results['existing data dir'].push(await startOnce(server, first, cache));
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  const rows = Object.entries(results).map(([scenario, timings]) => {
    const phases = Object.keys(timings[0]?.phases ?? {});
    return {
      scenario,
      runs: timings.length,
      wallMs: median(timings.map((timing) => timing.wallMs)),
      ...Object.fromEntries(
        phases.map((phase) => [`${phase}Ms`, median(timings.map((timing) => timing.phases[phase] ?? 0))]),
      ),
    };
  });
  if (values.json) {
    process.stdout.write(`${JSON.stringify({ rows })}\n`);
    return;
  }
  process.stdout.write(`${server} start on embedded PGlite, median of ${runs} (ms)\n`);
  const keys = [...new Set(rows.flatMap((row) => Object.keys(row)))].filter(
    (key) => key !== 'scenario' && key !== 'runs',
  );
  process.stdout.write(
    `${'scenario'.padEnd(22)}${keys.map((key) => key.replace(/Ms$/, '').padStart(11)).join('')}\n`,
  );
  for (const row of rows) {
    const cells = keys.map((key) => String((row as Record<string, unknown>)[key] ?? '-').padStart(11));
    process.stdout.write(`${row.scenario.padEnd(22)}${cells.join('')}\n`);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench:start failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
