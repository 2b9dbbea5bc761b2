/**
 * Typed CLI errors. Only `cli/main.ts` prints them and exits; everything else throws.
 * Exit codes follow DESIGN.md.
 */
export const EXIT = {
  OK: 0,
  BAD_INPUT: 1,
  USAGE: 2,
  STALE: 3,
  NOT_ENTITLED: 4,
  UNREACHABLE: 5,
  INTERNAL: 70,
  INTERRUPTED: 130,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

export interface SpecMintErrorOptions {
  /** How to fix it, shown under the message. */
  hint?: string;
  /** Stable machine-readable code for `--json` output. */
  code?: string;
  cause?: unknown;
}

/** Base of every error the CLI reports: carries the exit code and an optional hint. */
export class SpecMintError extends Error {
  readonly exitCode: ExitCode;
  readonly hint?: string;
  readonly code: string;

  constructor(message: string, exitCode: ExitCode, options: SpecMintErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'SpecMintError';
    this.exitCode = exitCode;
    this.hint = options.hint;
    this.code = options.code ?? 'ERROR';
  }
}

/** The spec (or another input file) is missing or invalid. Exit 1. */
export class InputError extends SpecMintError {
  constructor(message: string, options: SpecMintErrorOptions = {}) {
    super(message, EXIT.BAD_INPUT, { code: 'BAD_INPUT', ...options });
    this.name = 'InputError';
  }
}

/** A flag or argument is wrong, or a required value is missing without a TTY. Exit 2. */
export class UsageError extends SpecMintError {
  constructor(message: string, options: SpecMintErrorOptions = {}) {
    super(message, EXIT.USAGE, { code: 'USAGE', ...options });
    this.name = 'UsageError';
  }
}
