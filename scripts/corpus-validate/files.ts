/** File and process helpers for the corpus validator. */
import { spawn } from 'node:child_process';
import { createReadStream, existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

/** Files under `dir` (recursively) whose name ends with one of `suffixes`, as sorted POSIX paths relative to `dir`. */
export function listFiles(dir: string, suffixes: readonly string[]): string[] {
  if (!existsSync(dir)) return [];
  const found: string[] = [];
  const walk = (current: string): void => {
    for (const entry of readdirSync(current, { withFileTypes: true })) {
      const path = join(current, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (suffixes.some((suffix) => entry.name.endsWith(suffix)))
        found.push(relative(dir, path).split(sep).join('/'));
    }
  };
  walk(dir);
  return found.sort();
}

/** Total size in bytes of the files under `dir`. */
export function directoryBytes(dir: string): number {
  if (!existsSync(dir)) return 0;
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) total += statSync(join(entry.parentPath, entry.name)).size;
  }
  return total;
}

export interface ProcessResult {
  /** Exit code; `null` when killed (timeout or signal). */
  code: number | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

/** Options of {@link runProcess}. */
export interface RunOptions {
  cwd?: string;
  /** Text written to stdin. */
  input?: string;
  /** A file streamed to stdin (for large SQL scripts). */
  stdinFile?: string;
  /** @default 300_000 */
  timeoutMs?: number;
}

/** Runs a command to completion and collects its output (never rejects for a non-zero exit). */
export function runProcess(
  command: string,
  args: string[],
  options: RunOptions = {},
): Promise<ProcessResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    // A child that exits before reading all of stdin (e.g. on the first SQL error) closes the pipe early.
    child.stdin.on('error', () => undefined);
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, options.timeoutMs ?? 300_000);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, timedOut });
    });
    if (options.stdinFile) createReadStream(options.stdinFile).pipe(child.stdin);
    else child.stdin.end(options.input ?? '');
  });
}

/** The first line of a process's error output (or stdout), for a failure message. */
export function firstErrorLine(result: ProcessResult): string {
  if (result.timedOut) return 'timed out';
  const text = `${result.stderr}\n${result.stdout}`;
  return text.split('\n').find((line) => line.trim() !== '') ?? `exit code ${result.code}`;
}
