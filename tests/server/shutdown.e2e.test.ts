/**
 * SIGTERM in the middle of a burst of `POST /v1/generations`: requests waiting for their group commit
 * are finished, not dropped — every 201 the server sent has its ledger row, and nothing is charged that
 * was not answered. Runs the bundled entry point on embedded PGlite, and on PostgreSQL when DATABASE_URL
 * is set.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pgliteDir } from '../../server/commands/open-database.ts';
import { type DatabaseHandle, openPglite, openPostgres } from '../../server/db/client.ts';
import { generateSigningKeyPem } from '../../server/secrets.ts';
import { generationBody } from './harness.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const OUT_DIR = join(ROOT, 'tests/.tmp/server/shutdown-e2e');
const MAIN = join(OUT_DIR, 'server.mjs');

function spawnServer(args: string[], env: NodeJS.ProcessEnv): ChildProcess {
  return spawn(process.execPath, [MAIN, ...args], { cwd: ROOT, env });
}

function run(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; stdout: string }> {
  return new Promise((done) => {
    const child = spawnServer(args, env);
    let stdout = '';
    child.stdout?.on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr?.resume();
    child.on('close', (code) => done({ code, stdout: stdout.trim() }));
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

interface Target {
  kind: 'pglite' | 'postgres';
  env: NodeJS.ProcessEnv;
  /** Opens the database once the server has stopped. */
  open(): Promise<DatabaseHandle>;
  dispose(): Promise<void>;
}

async function pgliteTarget(): Promise<Target> {
  const dataDir = mkdtempSync(join(tmpdir(), 'specmint-shutdown-'));
  const env: NodeJS.ProcessEnv = { ...process.env, SPECMINT_DATA_DIR: dataDir, NODE_ENV: 'development' };
  delete env.DATABASE_URL;
  return {
    kind: 'pglite',
    env,
    open: () => openPglite(pgliteDir(dataDir)),
    dispose: async () => rmSync(dataDir, { recursive: true, force: true }),
  };
}

async function postgresTarget(adminUrl: string): Promise<Target> {
  const name = `specmint_shutdown_${randomBytes(4).toString('hex')}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const dataDir = mkdtempSync(join(tmpdir(), 'specmint-shutdown-'));
  return {
    kind: 'postgres',
    env: {
      ...process.env,
      DATABASE_URL: url.toString(),
      SPECMINT_DATA_DIR: dataDir,
      NODE_ENV: 'development',
      // On a shared database the server never makes up its own secrets: they are passed.
      BETTER_AUTH_SECRET: randomBytes(32).toString('base64url'),
      SPECMINT_SIGNING_KEY: generateSigningKeyPem(),
    },
    open: async () => openPostgres(url.toString(), { max: 2 }),
    dispose: async () => {
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

const kinds: (() => Promise<Target>)[] = [pgliteTarget];
if (process.env.DATABASE_URL) {
  const url = process.env.DATABASE_URL;
  kinds.push(() => postgresTarget(url));
}

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
    jsx: 'automatic',
    jsxImportSource: 'hono/jsx',
    logLevel: 'warning',
  });
}, 60_000);

for (const makeTarget of kinds) {
  describe('graceful shutdown under load', () => {
    let target: Target;
    beforeAll(async () => {
      target = await makeTarget();
    }, 60_000);
    afterAll(async () => target?.dispose());

    it('SIGTERM during a burst: every 201 answered is in the ledger, and nothing else is', async () => {
      const env = { ...target.env, SPECMINT_LOG_LEVEL: 'info' };
      expect((await run(['migrate'], env)).code).toBe(0);
      const email = `shutdown-${randomUUID().slice(0, 8)}@example.test`;
      const server = spawnServer(['start', '--port', '0'], env);
      const url = await waitForListening(server);
      const created = await run(
        ['admin', 'create-user', '--email', email, '--password', 'x'.repeat(12), '--plan', 'enterprise'],
        env,
      );
      expect(created.code).toBe(0);
      const token = (await run(['admin', 'create-token', '--email', email], env)).stdout;
      const exited = new Promise<number | null>((done) => server.on('exit', (code) => done(code)));

      let answered = 0;
      let terminated = false;
      const send = async () => {
        const response = await fetch(`${url}/v1/generations`, {
          method: 'POST',
          headers: {
            authorization: `Bearer ${token}`,
            'content-type': 'application/json',
            'idempotency-key': randomUUID(),
          },
          body: JSON.stringify(generationBody()),
        });
        const body = (await response.json()) as { generationId?: string };
        answered += 1;
        // Stop the server while most of the burst is still in flight.
        if (answered === 20 && !terminated) {
          terminated = true;
          server.kill('SIGTERM');
        }
        return { status: response.status, generationId: body.generationId };
      };
      const results = await Promise.allSettled(Array.from({ length: 300 }, send));
      expect(await exited).toBe(0);

      const granted = results
        .filter((result) => result.status === 'fulfilled' && result.value.status === 201)
        .map((result) => (result as PromiseFulfilledResult<{ generationId: string }>).value.generationId);
      expect(granted.length).toBeGreaterThanOrEqual(20);
      // Answers after SIGTERM are only refusals to connect, never a 5xx for an accepted request.
      for (const result of results) {
        if (result.status === 'fulfilled') expect(result.value.status).toBe(201);
      }
      const database = await target.open();
      try {
        const rows = await database.query<{ id: string }>('select id from generations', []);
        expect(new Set(rows.map((row) => row.id))).toEqual(new Set(granted));
        const [counter] = await database.query<{ used: number }>('select used from usage_counters', []);
        expect(Number(counter?.used)).toBe(granted.length);
      } finally {
        await database.close();
      }
    }, 120_000);
  });
}
