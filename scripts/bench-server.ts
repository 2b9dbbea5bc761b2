/**
 * Load benchmark of `POST /v1/generations` (npm run bench:server).
 *
 * Starts the built licence server (dist/server.js) on real PostgreSQL (DATABASE_URL, default the local
 * postgres://postgres@127.0.0.1:5432/test; a throw-away database is created and dropped), creates an
 * Enterprise user and a CI token with the admin commands, then runs autocannon on loopback at a fixed
 * concurrency: once with the same spec hash (the `charged:false` path) and once with a new spec hash per
 * request (the charging path). Prints requests/s, p50/p99 latency and errors.
 *
 * It does so for each topology: one instance, then two instances on the same database (the load split
 * evenly between them, as a load balancer would), and — when Redis answers on 6379 (or REDIS_URL) — two
 * instances with the shared rate limits in Redis instead of the database. Every request pays the shared
 * per-account limit (one batched upsert of `rate_limits`, or one Redis script); the rows compare its cost.
 * With two instances, p99 is the worse of the two autocannon runs and req/s their sum.
 *
 * Besides latency it reports where the CPU went per request — the server, the PostgreSQL backends,
 * autocannon itself — and how busy the rest of the machine was (`others %`: CPU used by unrelated
 * processes, as a share of all cores): on a small shared machine these explain a miss.
 *
 * Environment: BENCH_CONNECTIONS (default 20), BENCH_DURATION seconds per scenario (default 10),
 * BENCH_WARMUP seconds of unmeasured load first (default 5: JIT tiers, prepared statements, the pool),
 * BENCH_ROUNDS rounds of both scenarios (default 1; the verdict uses each scenario's median),
 * BENCH_LOG_LEVEL for the server (default info: one access-log line per request, as in production),
 * BENCH_SERVER_LOG a file that receives the server's log, BENCH_NODE_ARGS extra node flags for the
 * server (e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`), BENCH_SERVER another build of the server to run,
 * BENCH_TOPOLOGIES which to run (comma list of `one`, `two`, `two-redis`; default all available).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { appendFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { type AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import postgres from 'postgres';
import { generateSigningKeyPem } from '../server/secrets.ts';

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
const SERVER = process.env.BENCH_SERVER ? resolve(process.env.BENCH_SERVER) : join(ROOT, 'dist/server.js');
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 20);
const DURATION = Number(process.env.BENCH_DURATION ?? 10);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 5);
const ROUNDS = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 1));
/** Extra node flags for the server under load, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`. */
const NODE_ARGS = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
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

/** A loopback port that is free right now. */
function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const probe = createServer();
    probe.once('error', fail);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => done(port));
    });
  });
}

/**
 * Starts the server and waits until `/healthz` answers (whatever the log level: with BENCH_LOG_LEVEL=warn
 * the "listening" line is not logged).
 */
async function startServer(env: NodeJS.ProcessEnv): Promise<{ child: ChildProcess; url: string }> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, [...NODE_ARGS, SERVER, 'start', '--port', String(port)], { env });
  let seen = '';
  const log = process.env.BENCH_SERVER_LOG;
  child.stderr?.on('data', (chunk: Buffer) => {
    if (log) appendFileSync(log, chunk);
    if (seen.length < 100_000) seen += chunk;
  });
  child.stdout?.resume();
  const exited = new Promise<never>((_, fail) =>
    child.once('exit', (code) => fail(new Error(`server exited (${code}):\n${seen}`))),
  );
  exited.catch(() => {}); // raced below; an exit after a successful start is handled by main()
  const deadline = Date.now() + 60_000;
  for (;;) {
    const ready = fetch(`${url}/healthz`).then(
      (response) => response.ok,
      () => false,
    );
    if (await Promise.race([ready, exited])) return { child, url };
    if (Date.now() > deadline) {
      child.kill('SIGTERM');
      throw new Error(`server did not answer /healthz within 60 s:\n${seen}`);
    }
    await new Promise((done) => setTimeout(done, 100));
  }
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

/** CPU time (ms, user + system) a process has used, from /proc (Linux); null elsewhere. */
function cpuMs(pid: number | undefined): number | null {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return null;
  }
}

/** Busy and total CPU time (ms) of the whole machine since boot, from /proc/stat; null elsewhere. */
function machineCpuMs(): { busy: number; total: number } | null {
  try {
    const fields = readFileSync('/proc/stat', 'utf8')
      .split('\n')[0]!
      .trim()
      .split(/\s+/)
      .slice(1)
      .map(Number);
    const total = fields.slice(0, 8).reduce((sum, value) => sum + value, 0);
    const idle = (fields[3] ?? 0) + (fields[4] ?? 0);
    return { busy: ((total - idle) * 1000) / 100, total: (total * 1000) / 100 };
  } catch {
    return null;
  }
}

/** `pid` and its descendants, from /proc; just `pid` elsewhere. */
function processTree(pid: number): number[] {
  const children = new Map<number, number[]>();
  try {
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        const parent = Number(readFileSync(`/proc/${entry}/stat`, 'utf8').split(') ')[1]!.split(' ')[1]);
        children.set(parent, [...(children.get(parent) ?? []), Number(entry)]);
      } catch {
        // The process ended while listing.
      }
    }
  } catch {
    return [pid];
  }
  const tree = [pid];
  for (let index = 0; index < tree.length; index++) tree.push(...(children.get(tree[index]!) ?? []));
  return tree;
}

/** Summed CPU time (ms) of `pids`; null when /proc is unavailable. */
function totalCpuMs(pids: readonly number[]): number | null {
  let total = 0;
  for (const pid of pids) {
    const used = cpuMs(pid);
    if (used === null) return null;
    total += used;
  }
  return total;
}

/** Where the CPU went: the server (all its processes), PostgreSQL's backends, this process (autocannon). */
interface CpuProbe {
  server: number[];
  backends: number[];
  /** Transactions committed in the bench database so far (pg_stat_database). */
  commits: number;
}

async function probeCpu(servers: ChildProcess[], admin: postgres.Sql, database: string): Promise<CpuProbe> {
  const rows = await admin<{ pid: number }[]>`select pid from pg_stat_activity where datname = ${database}`;
  // Backends report their counters when idle (at most once a second); a fresh snapshot reads them now.
  const [stats] = await admin<{ commits: string }[]>`select pg_stat_clear_snapshot(),
    xact_commit as commits from pg_stat_database where datname = ${database}`;
  return {
    server: servers.flatMap((server) => processTree(server.pid!)),
    backends: rows.map((row) => row.pid),
    commits: Number(stats?.commits),
  };
}

interface Row {
  scenario: string;
  'req/s': number;
  'p50 ms': number;
  'p99 ms': number;
  'max ms': number;
  requests: number;
  errors: number;
  /** CPU per request (user + system) of the server's processes, when /proc is available. */
  'server cpu ms/req': number | null;
  /** CPU per request of the PostgreSQL backends serving the bench database (local server only). */
  'pg cpu ms/req': number | null;
  /** PostgreSQL commits per request in the bench database (1 without group commit). */
  'pg commits/req': number;
  /** CPU per request of this process: autocannon, competing for the same cores. */
  'autocannon cpu ms/req': number;
  /** CPU used by every other process on the machine during the run, in % of all cores. */
  'others %': number | null;
}

/** The median (upper middle for an even count). */
const median = (values: readonly number[]): number =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

const perRequest = (before: number | null, after: number | null, requests: number): number | null =>
  before === null || after === null ? null : Math.round(((after - before) / requests) * 100) / 100;

/** Runs autocannon against every url at once, the connections split between them; sums and worst cases. */
async function loadAll(urls: string[], token: string, specHash: () => string, duration: number) {
  const results = await Promise.all(
    urls.map((url, index) =>
      autocannon({
        url,
        connections: Math.max(
          1,
          Math.floor(CONNECTIONS / urls.length) + (index < CONNECTIONS % urls.length ? 1 : 0),
        ),
        duration,
        requests: [generationRequest(token, specHash)],
      }),
    ),
  );
  const total = results.reduce((sum, result) => sum + result.requests.total, 0);
  return {
    total,
    rps: results.reduce((sum, result) => sum + result.requests.average, 0),
    p50: Math.max(...results.map((result) => result.latency.p50)),
    p99: Math.max(...results.map((result) => result.latency.p99)),
    max: Math.max(...results.map((result) => result.latency.max)),
    errors: results.reduce((sum, result) => sum + result.errors + result.timeouts + result.non2xx, 0),
  };
}

async function measure(
  probe: () => Promise<CpuProbe>,
  options: { urls: string[]; token: string; scenario: string; specHash: () => string },
): Promise<Row> {
  const { urls, token, scenario, specHash } = options;
  const processes = await probe();
  const serverBefore = totalCpuMs(processes.server);
  const backendsBefore = totalCpuMs(processes.backends);
  const selfBefore = process.cpuUsage();
  const machineBefore = machineCpuMs();
  const result = await loadAll(urls, token, specHash, DURATION);
  const self = process.cpuUsage(selfBefore);
  const machineAfter = machineCpuMs();
  const serverAfter = totalCpuMs(processes.server);
  const total = result.total;
  // Backends opened during the run started from zero CPU time.
  await new Promise((done) => setTimeout(done, 1100)); // let idle backends report their statistics
  const after = await probe();
  const backendsAfter = after.backends;
  const grown = backendsAfter.filter((pid) => !processes.backends.includes(pid));
  const backendsUsed =
    backendsBefore === null
      ? null
      : (totalCpuMs(processes.backends) ?? Number.NaN) + (totalCpuMs(grown) ?? 0) - backendsBefore;
  const ours =
    (serverAfter ?? 0) - (serverBefore ?? 0) + (backendsUsed ?? 0) + (self.user + self.system) / 1000;
  const others =
    machineBefore && machineAfter
      ? Math.round(
          (Math.max(0, machineAfter.busy - machineBefore.busy - ours) /
            (machineAfter.total - machineBefore.total)) *
            100,
        )
      : null;
  return {
    scenario,
    'req/s': Math.round(result.rps),
    'p50 ms': result.p50,
    'p99 ms': result.p99,
    'max ms': result.max,
    requests: total,
    errors: result.errors,
    'server cpu ms/req': perRequest(serverBefore, serverAfter, total),
    'pg cpu ms/req': perRequest(0, backendsUsed, total),
    'pg commits/req': Math.round(((after.commits - processes.commits) / total) * 100) / 100,
    'autocannon cpu ms/req': Math.round(((self.user + self.system) / 1000 / total) * 100) / 100,
    'others %': others,
  };
}

/** Whether Redis answers PING. */
async function redisAnswers(url: string): Promise<boolean> {
  const { connect } = await import('node:net');
  const { hostname, port } = new URL(url);
  return new Promise((done) => {
    const socket = connect({ host: hostname, port: Number(port || 6379) });
    const finish = (answer: boolean) => {
      socket.destroy();
      done(answer);
    };
    socket.setTimeout(1000, () => finish(false));
    socket.once('error', () => finish(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (data) => finish(data.toString().startsWith('+PONG')));
  });
}

interface Topology {
  name: 'one' | 'two' | 'two-redis';
  label: string;
  instances: number;
  env: NodeJS.ProcessEnv;
}

async function stopAll(servers: ChildProcess[]): Promise<void> {
  await Promise.all(
    servers
      .filter((server) => server.exitCode === null)
      .map((server) => {
        const exited = new Promise((done) => server.on('exit', done));
        server.kill('SIGTERM');
        return exited;
      }),
  );
}

async function runTopology(
  topology: Topology,
  context: { admin: postgres.Sql; name: string; rows: Row[] },
): Promise<void> {
  const servers: ChildProcess[] = [];
  try {
    const started = await Promise.all(
      Array.from({ length: topology.instances }, () => startServer(topology.env)),
    );
    servers.push(...started.map((entry) => entry.child));
    const urls = started.map((entry) => entry.url);
    const email = `bench-${randomUUID().slice(0, 8)}@example.test`;
    await runServerCommand(
      ['admin', 'create-user', '--email', email, '--password', 'bench-password', '--plan', 'enterprise'],
      topology.env,
    );
    const token = await runServerCommand(
      ['admin', 'create-token', '--email', email, '--name', 'bench'],
      topology.env,
    );
    const sameHash = randomBytes(32).toString('hex');
    const freshHash = () => randomBytes(32).toString('hex');
    process.stderr.write(
      `${topology.label}: ${urls.join(' + ')} on ${context.name}; ${CONNECTIONS} connections, ` +
        `${WARMUP}s warm-up, ${DURATION}s per scenario, ${ROUNDS} round(s)\n`,
    );
    await loadAll(urls, token, () => sameHash, WARMUP);
    const probe = () => probeCpu(servers, context.admin, context.name);
    const scenarios = [
      { scenario: `${topology.label}, same spec (charged:false)`, specHash: () => sameHash },
      { scenario: `${topology.label}, distinct specs (charged)`, specHash: freshHash },
    ];
    for (let round = 0; round < ROUNDS; round++) {
      for (const scenario of scenarios) context.rows.push(await measure(probe, { urls, token, ...scenario }));
    }
  } finally {
    await stopAll(servers);
  }
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
    // Instances on one database share their secrets (the server refuses to make up its own there).
    BETTER_AUTH_SECRET: randomBytes(32).toString('base64url'),
    SPECMINT_SIGNING_KEY: generateSigningKeyPem(),
    // One account drives all the load; the per-account limit (default 600/min) would answer 429. It is
    // still counted on every request, in the shared store.
    SPECMINT_API_RATE_LIMIT: '100000000',
    SPECMINT_LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'info',
  };
  delete env.REDIS_URL;
  const wanted = new Set(
    (process.env.BENCH_TOPOLOGIES ?? 'one,two,two-redis').split(',').map((item) => item.trim()),
  );
  const topologies: Topology[] = [
    { name: 'one', label: '1 instance', instances: 1, env },
    { name: 'two', label: '2 instances', instances: 2, env },
  ];
  if (wanted.has('two-redis')) {
    if (await redisAnswers(REDIS_URL)) {
      topologies.push({
        name: 'two-redis',
        label: '2 instances, limits in Redis',
        instances: 2,
        env: { ...env, REDIS_URL },
      });
    } else {
      process.stderr.write(`Redis does not answer at ${REDIS_URL}: skipping the Redis topology\n`);
    }
  }
  const rows: Row[] = [];
  try {
    await runServerCommand(['migrate'], env);
    for (const topology of topologies.filter((entry) => wanted.has(entry.name))) {
      await runTopology(topology, { admin, name, rows });
    }
    console.table(rows);
    for (const scenario of [...new Set(rows.map((row) => row.scenario))]) {
      const runs = rows.filter((row) => row.scenario === scenario);
      const rps = median(runs.map((row) => row['req/s']));
      const p99 = median(runs.map((row) => row['p99 ms']));
      const errors = runs.reduce((sum, row) => sum + row.errors, 0);
      const verdict = rps >= TARGET_RPS && p99 <= TARGET_P99_MS && errors === 0;
      process.stdout.write(
        `${verdict ? 'PASS' : 'MISS'} ${scenario}${runs.length > 1 ? ` (median of ${runs.length})` : ''}: ` +
          `${rps} req/s (target ≥ ${TARGET_RPS}), p99 ${p99} ms (target ≤ ${TARGET_P99_MS}), ` +
          `errors ${errors} (target 0)\n`,
      );
    }
    if (rows.some((row) => row.errors > 0)) process.exitCode = 1;
  } finally {
    await admin.unsafe(`drop database if exists ${name} with (force)`);
    await admin.end();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
