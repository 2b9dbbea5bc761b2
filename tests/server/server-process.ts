/**
 * The licence server as real processes (the bundled entry point, as `bin/specmint-server` runs it), for
 * suites that need several instances on one database.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';

const ROOT = resolve(import.meta.dirname, '../..');

/** Bundles server/main.ts into `tests/.tmp/server/<name>/server.mjs` (dependencies external). */
export async function bundleServer(name: string): Promise<string> {
  const outDir = join(ROOT, 'tests/.tmp/server', name);
  mkdirSync(outDir, { recursive: true });
  const main = join(outDir, 'server.mjs');
  await build({
    entryPoints: [join(ROOT, 'server/main.ts')],
    outfile: main,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    jsx: 'automatic',
    jsxImportSource: 'hono/jsx',
    logLevel: 'warning',
  });
  return main;
}

/** A running server process. */
export interface ServerProcess {
  url: string;
  baseUrl: string;
  /** Everything it logged so far (JSON lines). */
  log(): string;
  /** SIGTERM, then SIGKILL after 10 s. */
  stop(): Promise<void>;
}

/** Runs `specmint-server <args>` to completion; rejects on a non-zero exit. */
export function runServerCommand(main: string, args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [main, ...args], { cwd: ROOT, env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    child.on('close', (code) =>
      code === 0 ? done(stdout.trim()) : fail(new Error(`${args.join(' ')} exited ${code}:\n${stderr}`)),
    );
  });
}

/** Starts `specmint-server start --port 0` and resolves once it logs that it listens. */
export function startServerProcess(main: string, env: NodeJS.ProcessEnv): Promise<ServerProcess> {
  const child: ChildProcess = spawn(process.execPath, [main, 'start', '--port', '0'], { cwd: ROOT, env });
  let log = '';
  child.stdout?.resume();
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    log += chunk;
  });
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  return new Promise((done, fail) => {
    const timer = setTimeout(() => fail(new Error(`server did not start within 60 s:\n${log}`)), 60_000);
    const onData = () => {
      const match = log.match(/"msg":"specmint-server listening","url":"([^"]+)".*?"baseUrl":"([^"]+)"/);
      if (!match) return;
      clearTimeout(timer);
      child.stderr?.off('data', onData);
      done({
        url: match[1]!,
        baseUrl: match[2]!,
        log: () => log,
        stop: async () => {
          if (child.exitCode !== null || child.signalCode !== null) return;
          child.kill('SIGTERM');
          const kill = setTimeout(() => child.kill('SIGKILL'), 10_000);
          await exited;
          clearTimeout(kill);
        },
      });
    };
    child.stderr?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      fail(new Error(`server exited with ${code} before listening:\n${log}`));
    });
  });
}
