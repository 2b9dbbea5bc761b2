import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generationBody } from './harness.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const OUT_DIR = join(ROOT, 'tests/.tmp/server/e2e');
/** Bundled like scripts/build.mjs does (dependencies external): starts far faster than tsx. */
const MAIN = join(OUT_DIR, 'server.mjs');

async function bundleServer(): Promise<void> {
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
}

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function baseEnv(dataDir: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, SPECMINT_DATA_DIR: dataDir, NODE_ENV: 'development' };
  delete env.DATABASE_URL;
  delete env.BETTER_AUTH_SECRET;
  delete env.SPECMINT_SIGNING_KEY;
  return env;
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

function waitForListening(child: ChildProcess): Promise<string> {
  return new Promise((done, fail) => {
    let seen = '';
    const timer = setTimeout(() => fail(new Error(`server did not start:\n${seen}`)), 60_000);
    child.stderr?.on('data', (chunk) => {
      seen += chunk;
      const match = seen.match(/"msg":"specmint-server listening","url":"([^"]+)"/);
      if (match) {
        clearTimeout(timer);
        done(match[1]!);
      }
    });
    child.on('exit', (code) => fail(new Error(`server exited with ${code}:\n${seen}`)));
  });
}

describe('specmint-server (the entry point, embedded database)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'specmint-server-e2e-'));
  const env = baseEnv(dataDir);
  let server: ChildProcess;
  let url: string;
  const email = `ops-${randomUUID().slice(0, 8)}@example.test`;

  beforeAll(async () => {
    await bundleServer();
    server = spawnServer(['start', '--port', '0'], env);
    url = await waitForListening(server);
  });

  afterAll(() => {
    if (server.exitCode === null) server.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('generates missing secrets once, with a warning, in the data dir', () => {
    expect(existsSync(join(dataDir, 'secrets/auth-secret'))).toBe(true);
    expect(existsSync(join(dataDir, 'secrets/signing-keys.pem'))).toBe(true);
  });

  it('admin commands go through the running server and say so', async () => {
    const created = await run(
      ['admin', 'create-user', '--email', email, '--password', 'pass-word-1', '--plan', 'pro'],
      env,
    );
    expect(created.code).toBe(0);
    expect(created.stderr).toMatch(/specmint-server is running \(pid \d+\).*sending this command through it/);
    expect(created.stdout.trim()).toBe(`${email}: plan pro`);
    const token = await run(['admin', 'create-token', '--email', email, '--name', 'ci'], env);
    expect(token.code).toBe(0);
    expect(token.stdout).toMatch(/^smk_[A-Za-z0-9_-]{43}\n$/);

    const response = await fetch(`${url}/v1/generations`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${token.stdout.trim()}`,
        'content-type': 'application/json',
        'idempotency-key': randomUUID(),
      },
      body: JSON.stringify(generationBody({ formats: ['k6'] })),
    });
    expect(response.status).toBe(201);
  });

  it('admin errors are clear and exit non-zero', async () => {
    const unknown = await run(['admin', 'set-plan', '--email', 'nobody@example.test', '--plan', 'pro'], env);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('No user with email nobody@example.test');
    const usage = await run(['admin', 'set-plan', '--email', email, '--plan', 'gold'], env);
    expect(usage.code).toBe(2);
    const missing = await run(['admin', 'create-token'], env);
    expect(missing.code).toBe(2);
  });

  it('a second server on the same data dir refuses clearly', async () => {
    const second = await run(['start', '--port', '0'], env);
    expect(second.code).toBe(1);
    expect(second.stderr).toMatch(/in use by a running specmint-server \(pid \d+\)/);
  });

  it('SIGTERM stops gracefully; admin commands then open the data dir directly', async () => {
    const exited = new Promise<number | null>((done) => server.on('exit', (code) => done(code)));
    server.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(existsSync(join(dataDir, 'owner.json'))).toBe(false);
    const direct = await run(['admin', 'set-plan', '--email', email, '--plan', 'enterprise'], env);
    expect(direct.code).toBe(0);
    expect(direct.stderr).not.toContain('running');
    expect(direct.stdout.trim()).toBe(`${email}: plan enterprise`);
    const migrate = await run(['migrate'], env);
    expect(migrate.code).toBe(0);
  });

  it('refuses to start in production without secrets', async () => {
    const result = await run(['start', '--port', '0'], { ...env, NODE_ENV: 'production' });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('BETTER_AUTH_SECRET is required when NODE_ENV=production');
    expect(result.stderr).toContain('SPECMINT_SIGNING_KEY is required when NODE_ENV=production');
  });

  it('refuses to start on a shared database without secrets, even outside production', async () => {
    // No database is contacted: the secrets are checked first.
    const result = await run(['start', '--port', '0'], {
      ...env,
      DATABASE_URL: 'postgres://127.0.0.1:1/none',
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('BETTER_AUTH_SECRET is required when DATABASE_URL is set');
    expect(result.stderr).toContain('SPECMINT_SIGNING_KEY is required when DATABASE_URL is set');
    expect(existsSync(join(dataDir, 'secrets/auth-secret'))).toBe(true); // the embedded one's, untouched
  });

  it('rejects an invalid environment with every problem listed', async () => {
    const result = await run(['migrate'], { ...env, PORT: 'abc', DATABASE_URL: 'mysql://x' });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('PORT');
    expect(result.stderr).toContain('DATABASE_URL: must be a postgres:// URL');
  });
});
