/**
 * Starts the real licence server (`bin/specmint-server start`) on embedded PGlite in a temp data dir on
 * a free port, and drives its `admin` commands — for CLI end-to-end tests and the quickstart.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The checkout root. */
export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const SERVER_BIN = fileURLToPath(new URL('../../../bin/specmint-server', import.meta.url));

/** A running licence server. */
export interface LicenceServer {
  /** Loopback URL, e.g. `http://127.0.0.1:40123`. */
  url: string;
  /** Its public base URL (origin of its pages and cookies), e.g. `http://localhost:40123`. */
  baseUrl: string;
  dataDir: string;
  /** Runs `specmint-server admin …` against this server's data dir. */
  admin(args: string[]): Promise<ProcessResult>;
  /** Creates an email + password user. */
  createUser(options: {
    email: string;
    password: string;
    plan?: 'free' | 'pro' | 'enterprise';
  }): Promise<void>;
  /** Creates a CI token and returns it. */
  createToken(email: string, name?: string): Promise<string>;
  setPlan(email: string, plan: 'free' | 'pro' | 'enterprise'): Promise<void>;
  /** Stops it (SIGTERM, then SIGKILL after 10 s). */
  stop(): Promise<void>;
}

/** Exit code and output of a finished process. */
export interface ProcessResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** The environment without proxy settings or SpecMint variables inherited from the caller. */
export function cleanEnv(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (
      /^(SPECMINT_|HTTPS?_PROXY$|NO_PROXY$|ALL_PROXY$|DATABASE_URL$|CI$|FORCE_COLOR$|NO_COLOR$|PORT$)/i.test(
        key,
      )
    )
      continue;
    env[key] = value;
  }
  for (const [key, value] of Object.entries(extra)) {
    if (value === undefined) delete env[key];
    else env[key] = value;
  }
  return env;
}

/** Collects a child's output and waits for it to end. */
export function waitForExit(child: ChildProcess): Promise<ProcessResult> {
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
  });
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

function runServerCommand(args: string[], env: NodeJS.ProcessEnv): Promise<ProcessResult> {
  return waitForExit(
    spawn(process.execPath, [SERVER_BIN, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] }),
  );
}

/** Options of {@link startLicenceServer}. */
export interface StartLicenceServerOptions {
  dataDir: string;
  /** @default 0 (a free port) */
  port?: number;
  /** @default 120000 */
  startTimeoutMs?: number;
  env?: Record<string, string>;
}

/** Starts the server and resolves once it listens. */
export async function startLicenceServer(options: StartLicenceServerOptions): Promise<LicenceServer> {
  const env = cleanEnv({ SPECMINT_DATA_DIR: options.dataDir, SPECMINT_LOG_LEVEL: 'info', ...options.env });
  const child = spawn(process.execPath, [SERVER_BIN, 'start', '--port', String(options.port ?? 0)], {
    env,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const listening = await new Promise<{ url: string; baseUrl: string }>((resolve, reject) => {
    let log = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(
        new Error(`licence server did not start within ${options.startTimeoutMs ?? 120_000} ms:\n${log}`),
      );
    }, options.startTimeoutMs ?? 120_000);
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      log += chunk;
      for (const line of log.split('\n')) {
        if (!line.includes('specmint-server listening')) continue;
        try {
          const entry = JSON.parse(line) as { url: string; baseUrl: string };
          clearTimeout(timer);
          resolve({ url: entry.url, baseUrl: entry.baseUrl });
          return;
        } catch {
          // A partial line: wait for the rest.
        }
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`licence server exited with ${code} before listening:\n${log}`));
    });
  });
  child.stderr?.resume();
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const admin = (args: string[]) => runServerCommand(['admin', ...args], env);
  const ensure = async (args: string[]) => {
    const result = await admin(args);
    if (result.code !== 0)
      throw new Error(`specmint-server admin ${args.join(' ')} failed (${result.code}):\n${result.stderr}`);
    return result;
  };
  return {
    ...listening,
    dataDir: options.dataDir,
    admin,
    createUser: async ({ email, password, plan }) => {
      await ensure(['create-user', '--email', email, '--password', password, '--plan', plan ?? 'free']);
    },
    createToken: async (email, name = 'ci') =>
      (await ensure(['create-token', '--email', email, '--name', name])).stdout.trim(),
    setPlan: async (email, plan) => {
      await ensure(['set-plan', '--email', email, '--plan', plan]);
    },
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
