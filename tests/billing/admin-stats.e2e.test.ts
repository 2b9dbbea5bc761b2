import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdminStatsSchema } from '../../shared/contracts.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const OUT_DIR = join(ROOT, 'tests/.tmp/billing/e2e');
const MAIN = join(OUT_DIR, 'server.mjs');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function spawnServer(args: string[], env: NodeJS.ProcessEnv): ChildProcess {
  return spawn(process.execPath, [MAIN, ...args], { cwd: ROOT, env });
}

function run(args: string[], env: NodeJS.ProcessEnv): Promise<Run> {
  return new Promise((done) => {
    const child = spawnServer(args, env);
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr?.on('data', (chunk) => {
      stderr += chunk;
    });
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}

function waitForListening(child: ChildProcess): Promise<void> {
  return new Promise((done, fail) => {
    let seen = '';
    const timer = setTimeout(() => fail(new Error(`server did not start:\n${seen}`)), 60_000);
    child.stderr?.on('data', (chunk) => {
      seen += chunk;
      if (seen.includes('"msg":"specmint-server listening"')) {
        clearTimeout(timer);
        done();
      }
    });
    child.on('exit', (code) => fail(new Error(`server exited with ${code}:\n${seen}`)));
  });
}

describe('specmint-server admin stats', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'specmint-billing-e2e-'));
  const env: NodeJS.ProcessEnv = { ...process.env, SPECMINT_DATA_DIR: dataDir, NODE_ENV: 'development' };
  for (const name of ['DATABASE_URL', 'BETTER_AUTH_SECRET', 'SPECMINT_SIGNING_KEY', 'STRIPE_SECRET_KEY'])
    delete env[name];
  let server: ChildProcess | undefined;

  beforeAll(async () => {
    mkdirSync(OUT_DIR, { recursive: true });
    await build({
      entryPoints: [join(ROOT, 'server/main.ts')],
      outfile: MAIN,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      packages: 'external',
      logLevel: 'warning',
    });
  });

  afterAll(() => {
    if (server && server.exitCode === null) server.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('happy: works on a stopped embedded server, as JSON and as text', async () => {
    const empty = await run(['admin', 'stats', '--json'], env);
    expect(empty.code, empty.stderr).toBe(0);
    expect(AdminStatsSchema.parse(JSON.parse(empty.stdout))).toMatchObject({
      accountsByPlan: { free: 0, pro: 0, enterprise: 0 },
      mrrCents: 0,
      conversion: { accounts: 0, paying: 0, rate: 0 },
    });
    const created = await run(
      ['admin', 'create-user', '--email', 'ops@example.test', '--password', 'pass-word-1', '--plan', 'pro'],
      env,
    );
    expect(created.code, created.stderr).toBe(0);
    const text = await run(['admin', 'stats'], env);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toContain('accounts by plan:       free 0, pro 1, enterprise 0');
    expect(text.stdout).toContain('MRR:                    $0.00');
    expect(text.stdout).toContain('conversion Free → paid: 0.0% (0 of 1 accounts)');
  });

  it('happy: goes through a running embedded server and says so', async () => {
    server = spawnServer(['start', '--port', '0'], env);
    await waitForListening(server);
    const through = await run(['admin', 'stats', '--json'], env);
    expect(through.code, through.stderr).toBe(0);
    expect(through.stderr).toMatch(/sending this command through it/);
    expect(AdminStatsSchema.parse(JSON.parse(through.stdout)).accountsByPlan.pro).toBe(1);
    const stopped = new Promise((done) => server!.on('exit', done));
    server.kill('SIGTERM');
    await stopped;
  });
});
