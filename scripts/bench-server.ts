/**
 * Load benchmark of `POST /v1/generations` (npm run bench:server).
 *
 * Starts the built licence server (dist/server.js) on real PostgreSQL (DATABASE_URL, default the local
 * postgres://postgres@127.0.0.1:5432/test; a throw-away database is created and dropped), creates an
 * Enterprise user and a CI token with the admin commands, then runs autocannon on loopback at a fixed
 * concurrency: once with the same spec hash (the `charged:false` path) and once with a new spec hash per
 * request (the charging path). Prints requests/s, p50/p99 latency and errors.
 *
 * Environment: BENCH_CONNECTIONS (default 20), BENCH_DURATION seconds per scenario (default 10),
 * BENCH_LOG_LEVEL for the server (default info: one access-log line per request, as in production).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import postgres from 'postgres';

interface AutocannonRequest {
  method?: string;
  path?: string;
  headers?: Record<string, string>;
  body?: string;
}
interface AutocannonResult {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number; average: number; max: number };
  errors: number;
  timeouts: number;
  non2xx: number;
  '2xx': number;
}
type Autocannon = (options: {
  url: string;
  connections: number;
  duration: number;
  requests: (AutocannonRequest & { setupRequest?: (request: AutocannonRequest) => AutocannonRequest })[];
}) => Promise<AutocannonResult>;

// autocannon ships no type declarations; the shape used here is typed above.
const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

const ROOT = resolve(import.meta.dirname, '..');
const SERVER = join(ROOT, 'dist/server.js');
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 20);
const DURATION = Number(process.env.BENCH_DURATION ?? 10);
const TARGET_RPS = 1500;
const TARGET_P99_MS = 50;

function runServerCommand(args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [SERVER, ...args], { env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    child.on('close', (code) =>
      code === 0 ? done(stdout.trim()) : fail(new Error(`${args.join(' ')} failed (${code}):\n${stderr}`)),
    );
  });
}

function startServer(env: NodeJS.ProcessEnv): Promise<{ child: ChildProcess; url: string }> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [SERVER, 'start', '--port', '0'], { env });
    let seen = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      if (seen.length < 100_000) seen += chunk;
      const match = seen.match(/"msg":"specmint-server listening","url":"([^"]+)"/);
      if (match) done({ child, url: match[1]! });
    });
    child.stdout?.resume();
    child.on('exit', (code) => fail(new Error(`server exited (${code}):\n${seen}`)));
  });
}

function generationRequest(
  token: string,
  specHash: () => string,
): AutocannonRequest & {
  setupRequest: (request: AutocannonRequest) => AutocannonRequest;
} {
  return {
    method: 'POST',
    path: '/v1/generations',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    setupRequest: (request) => ({
      ...request,
      headers: { ...request.headers, 'idempotency-key': randomUUID() },
      body: JSON.stringify({
        specHash: specHash(),
        specTitle: 'Bench API',
        operationCount: 42,
        formats: ['pytest', 'k6'],
        ai: null,
        cliVersion: 'bench',
      }),
    }),
  };
}

/** CPU time (ms) a process has used, from /proc (Linux); null elsewhere. */
function cpuMs(pid: number | undefined): number | null {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return null;
  }
}

interface Row {
  scenario: string;
  'req/s': number;
  'p50 ms': number;
  'p99 ms': number;
  'max ms': number;
  requests: number;
  errors: number;
  /** Server CPU per request (user + system), when /proc is available. */
  'server cpu ms/req': number | null;
}

async function measure(
  server: ChildProcess,
  options: { url: string; token: string; scenario: string; specHash: () => string },
): Promise<Row> {
  const { url, token, scenario, specHash } = options;
  const cpuBefore = cpuMs(server.pid);
  const result = await autocannon({
    url,
    connections: CONNECTIONS,
    duration: DURATION,
    requests: [generationRequest(token, specHash)],
  });
  return {
    scenario,
    'req/s': Math.round(result.requests.average),
    'p50 ms': result.latency.p50,
    'p99 ms': result.latency.p99,
    'max ms': result.latency.max,
    requests: result.requests.total,
    errors: result.errors + result.timeouts + result.non2xx,
    'server cpu ms/req':
      cpuBefore === null
        ? null
        : Math.round((((cpuMs(server.pid) ?? 0) - cpuBefore) / result.requests.total) * 100) / 100,
  };
}

async function main(): Promise<void> {
  if (!existsSync(SERVER)) throw new Error('dist/server.js is missing: run `npm run build` first.');
  const adminUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  const name = `specmint_bench_${randomBytes(4).toString('hex')}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  const databaseUrl = new URL(adminUrl);
  databaseUrl.pathname = `/${name}`;
  const dataDir = mkdtempSync(join(tmpdir(), 'specmint-bench-'));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'development',
    DATABASE_URL: databaseUrl.toString(),
    SPECMINT_DATA_DIR: dataDir,
    // One account drives all the load; the per-account limit (default 600/min) would answer 429.
    SPECMINT_API_RATE_LIMIT: '100000000',
    SPECMINT_LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'info',
  };
  let server: ChildProcess | undefined;
  try {
    await runServerCommand(['migrate'], env);
    const started = await startServer(env);
    server = started.child;
    const email = `bench-${randomUUID().slice(0, 8)}@example.test`;
    await runServerCommand(
      ['admin', 'create-user', '--email', email, '--password', 'bench-password', '--plan', 'enterprise'],
      env,
    );
    const token = await runServerCommand(['admin', 'create-token', '--email', email, '--name', 'bench'], env);
    const sameHash = randomBytes(32).toString('hex');
    const freshHash = () => randomBytes(32).toString('hex');

    process.stderr.write(
      `server ${started.url} on ${name}; ${CONNECTIONS} connections, ${DURATION}s per scenario\n`,
    );
    await autocannon({
      url: started.url,
      connections: CONNECTIONS,
      duration: 3,
      requests: [generationRequest(token, () => sameHash)],
    });
    const rows = [
      await measure(server, {
        url: started.url,
        token,
        scenario: 'same spec (charged:false)',
        specHash: () => sameHash,
      }),
      await measure(server, {
        url: started.url,
        token,
        scenario: 'distinct specs (charged)',
        specHash: freshHash,
      }),
    ];
    console.table(rows);
    for (const row of rows) {
      const verdict = row['req/s'] >= TARGET_RPS && row['p99 ms'] <= TARGET_P99_MS && row.errors === 0;
      process.stdout.write(
        `${verdict ? 'PASS' : 'MISS'} ${row.scenario}: ${row['req/s']} req/s (target ≥ ${TARGET_RPS}), ` +
          `p99 ${row['p99 ms']} ms (target ≤ ${TARGET_P99_MS}), errors ${row.errors} (target 0)\n`,
      );
    }
    if (rows.some((row) => row.errors > 0)) process.exitCode = 1;
  } finally {
    if (server && server.exitCode === null) {
      const exited = new Promise((done) => server?.on('exit', done));
      server.kill('SIGTERM');
      await exited;
    }
    await admin.unsafe(`drop database if exists ${name} with (force)`);
    await admin.end();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
