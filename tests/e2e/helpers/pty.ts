/**
 * Runs a command in a pseudo-terminal of a given size with util-linux `script`, so the CLI sees a TTY
 * (prompts, spinners, terminal width) as a person's terminal would, and lets a test type into it.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { cleanEnv, type ProcessResult, waitForExit } from './licence-server.ts';

/** A command running in a pseudo-terminal. */
export interface PtySession {
  child: ChildProcess;
  /** Everything the terminal showed so far, without ANSI escapes and carriage returns. */
  screen(): string;
  /** Types `text` (use `\r` for Enter, `\x7f` for Backspace, ` ` for Space). */
  type(text: string): void;
  /** Waits until the screen (after `from` characters) matches `pattern`; throws after `timeoutMs`. */
  waitFor(pattern: RegExp, options?: { from?: number; timeoutMs?: number }): Promise<void>;
  /** Resolves when the command exits. */
  done: Promise<ProcessResult>;
}

/** Options of {@link spawnInPty}. */
export interface PtyOptions {
  cwd: string;
  env?: Record<string, string | undefined>;
  /** @default 80 */
  columns?: number;
  /** Send stderr to this file instead of the terminal (to read stdout alone). */
  stderrFile?: string;
}

/** Removes ANSI escape sequences (colours, cursor moves) and `\r`. */
export function stripAnsi(text: string): string {
  const esc = String.fromCharCode(27);
  return text
    .replace(new RegExp(`${esc}\\[[0-9;?]*[A-Za-z]`, 'g'), '')
    .replace(new RegExp(`${esc}\\][^\\u0007]*\\u0007`, 'g'), '')
    .replace(/\r/g, '');
}

function shellQuote(word: string): string {
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

/** True when util-linux `script` is available (pty tests skip with a visible reason otherwise, except under CI). */
export function hasScript(): boolean {
  return spawnSync('script', ['--version'], { stdio: 'ignore' }).status === 0;
}

/** Starts `argv` (argv[0] is the program) in a pty of `columns` × 50. */
export function spawnInPty(argv: string[], options: PtyOptions): PtySession {
  const redirect = options.stderrFile ? ` 2>${shellQuote(options.stderrFile)}` : '';
  const command = `stty cols ${options.columns ?? 80} rows 50; exec ${argv.map(shellQuote).join(' ')}${redirect}`;
  const child = spawn('script', ['-qec', command, '/dev/null'], {
    cwd: options.cwd,
    env: cleanEnv({ SPECMINT_CREDENTIAL_STORE: 'file', TERM: 'xterm', ...options.env }),
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let raw = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    raw += chunk;
  });
  const done = waitForExit(child);
  return {
    child,
    screen: () => stripAnsi(raw),
    type: (text) => {
      child.stdin?.write(text);
    },
    waitFor: async (pattern, { from = 0, timeoutMs = 30_000 } = {}) => {
      for (let waited = 0; !pattern.test(stripAnsi(raw).slice(from)); waited += 50) {
        if (waited > timeoutMs || child.exitCode !== null) {
          throw new Error(`timed out waiting for ${pattern} on the terminal:\n${stripAnsi(raw)}`);
        }
        await sleep(50);
      }
    },
    done,
  };
}
