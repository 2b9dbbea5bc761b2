/**
 * Runs the built `bin/specmint` as a user would: a separate process, no TTY, a temp config dir, the
 * file credential store, and only the environment the test gives it.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { cleanEnv, type ProcessResult, waitForExit } from './licence-server.ts';

const CLI_BIN = fileURLToPath(new URL('../../../bin/specmint', import.meta.url));
const CLI_BUNDLE = fileURLToPath(new URL('../../../dist/cli.js', import.meta.url));

/** Options of {@link runCli} and {@link spawnCli}. */
export interface CliOptions {
  cwd: string;
  /** Variables on top of a clean environment (`undefined` removes one). */
  env?: Record<string, string | undefined>;
  /** Text piped to stdin (stdin is closed otherwise). */
  input?: string;
  /** @default 120000 */
  timeoutMs?: number;
}

/** Throws unless `npm run build` produced the CLI bundle. */
export function assertBuilt(): void {
  if (!existsSync(CLI_BUNDLE)) throw new Error('dist/cli.js is missing: run `npm run build` first.');
}

/** Starts the CLI and returns the child (for signals); stdio is piped. */
export function spawnCli(args: string[], options: CliOptions): ChildProcess {
  const child = spawn(process.execPath, [CLI_BIN, ...args], {
    cwd: options.cwd,
    env: cleanEnv({ SPECMINT_CREDENTIAL_STORE: 'file', ...options.env }),
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  if (options.input !== undefined) child.stdin?.end(options.input);
  else child.stdin?.end();
  return child;
}

/** Runs the CLI to completion. */
export async function runCli(args: string[], options: CliOptions): Promise<ProcessResult> {
  const child = spawnCli(args, options);
  const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 120_000);
  try {
    return await waitForExit(child);
  } finally {
    clearTimeout(timer);
  }
}

/** Parses the one JSON object `--json` prints on stdout. */
export function parseJsonOutput(result: ProcessResult): Record<string, unknown> {
  try {
    return JSON.parse(result.stdout) as Record<string, unknown>;
  } catch {
    throw new Error(`stdout is not one JSON object:\n${result.stdout}\n--- stderr ---\n${result.stderr}`);
  }
}
