/**
 * How a failed command looks: `error: <what happened>` and `hint: <how to fix it>` on stderr (stack
 * traces only with `--debug`); with `--json`, also `{ok:false, error:{code, message}}` on stdout.
 */
import { Chalk } from 'chalk';
import { EXIT, type ExitCode, SpecMintError } from '../errors.ts';
import { detectTerminal, useColor } from './terminal.ts';

/** Options of {@link printError}. */
export interface PrintErrorOptions {
  json: boolean;
  debug: boolean;
  stdout?: NodeJS.WritableStream;
  stderr?: NodeJS.WritableStream;
}

/** The `{ok:false, error}` object of `--json`. */
export interface JsonFailure {
  ok: false;
  error: { code: string; message: string; hint?: string; details?: unknown };
}

/** Builds the JSON failure object for `error`. */
export function jsonFailure(error: unknown): JsonFailure {
  if (error instanceof SpecMintError) {
    const details = (error as { details?: unknown }).details;
    return {
      ok: false,
      error: {
        code: error.code,
        message: error.message,
        ...(error.hint ? { hint: error.hint } : {}),
        ...(details === undefined ? {} : { details }),
      },
    };
  }
  return {
    ok: false,
    error: { code: 'INTERNAL', message: error instanceof Error ? error.message : String(error) },
  };
}

function causeChain(error: unknown): string {
  const lines: string[] = [];
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current; depth += 1) {
    lines.push(current instanceof Error ? (current.stack ?? current.message) : String(current));
    current = current instanceof Error ? current.cause : undefined;
    if (current) lines.push('caused by:');
  }
  return lines.join('\n');
}

/** Prints `error` and returns the exit code to use. */
export function printError(error: unknown, options: PrintErrorOptions): ExitCode {
  const stdout = options.stdout ?? process.stdout;
  const stderr = options.stderr ?? process.stderr;
  const style = new Chalk({ level: useColor(detectTerminal()) ? 1 : 0 });
  const known = error instanceof SpecMintError;
  const exitCode = known ? error.exitCode : EXIT.INTERNAL;
  if (known) {
    stderr.write(`${style.red('error:')} ${error.message}\n`);
    if (error.hint) stderr.write(`${style.cyan('hint:')} ${error.hint}\n`);
  } else {
    const message = error instanceof Error ? error.message : String(error);
    stderr.write(`${style.red('internal error:')} ${message}\n`);
    stderr.write(
      `${style.cyan('hint:')} This is a bug in SpecMint. Run again with --debug and report the output.\n`,
    );
  }
  if (options.debug) stderr.write(`${style.dim(causeChain(error))}\n`);
  if (options.json) stdout.write(`${JSON.stringify(jsonFailure(error), null, 2)}\n`);
  return exitCode;
}
