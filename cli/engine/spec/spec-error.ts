import { InputError } from '../../errors.ts';
import type { Diagnostic } from '../ir/types.ts';

/** Options of {@link SpecError}. */
export interface SpecErrorOptions {
  /** Every problem found (not just the first). */
  diagnostics: Diagnostic[];
  /** How to fix it. */
  hint?: string;
  /** Stable machine-readable code, e.g. `SPEC_INVALID`. @default 'SPEC_INVALID' */
  code?: string;
  cause?: unknown;
}

/**
 * The spec cannot be used: missing, unreadable, not OpenAPI, or invalid in a way the generator cannot work
 * around. Exit code 1 (an {@link InputError}). The message names the file, the JSON pointer and the line
 * where known; it never contains a stack trace.
 */
export class SpecError extends InputError {
  /** Every problem found, errors first. */
  readonly diagnostics: Diagnostic[];

  constructor(message: string, options: SpecErrorOptions) {
    super(message, { hint: options.hint, code: options.code ?? 'SPEC_INVALID', cause: options.cause });
    this.name = 'SpecError';
    this.diagnostics = options.diagnostics;
  }
}

/** `file:line:column` (or the parts known) of a diagnostic, e.g. `api.yaml:12:5`. */
export function formatLocation(diagnostic: Diagnostic): string {
  let location = diagnostic.file ?? '';
  if (diagnostic.line !== undefined) {
    location += `:${diagnostic.line}`;
    if (diagnostic.column !== undefined) location += `:${diagnostic.column}`;
  }
  return location;
}

/** One line per diagnostic: `api.yaml:12:5 /paths/~1pets/get: the problem`. */
export function formatDiagnostic(diagnostic: Diagnostic): string {
  const parts: string[] = [];
  const location = formatLocation(diagnostic);
  if (location) parts.push(location);
  if (diagnostic.pointer !== undefined)
    parts.push(`at ${diagnostic.pointer === '' ? '/' : diagnostic.pointer}`);
  return parts.length > 0 ? `${parts.join(' ')}: ${diagnostic.message}` : diagnostic.message;
}

/** Most problems listed in a {@link SpecError} message; the rest are only counted (all are in `diagnostics`). */
const MAX_LISTED = 20;

/** Builds a {@link SpecError} whose message summarises and lists the error diagnostics. */
export function specErrorFrom(options: {
  origin: string;
  diagnostics: Diagnostic[];
  hint: string;
  code?: string;
  summary?: string;
}): SpecError {
  const errors = options.diagnostics.filter((d) => d.severity === 'error');
  const ordered = [...errors, ...options.diagnostics.filter((d) => d.severity !== 'error')];
  const first = errors[0];
  let message: string;
  if (errors.length === 1 && first && options.summary === undefined) {
    message = `Invalid OpenAPI document: ${formatDiagnostic({ ...first, file: first.file ?? options.origin })}`;
  } else {
    const summary = options.summary ?? `Invalid OpenAPI document ${options.origin}`;
    const lines = errors
      .slice(0, MAX_LISTED)
      .map((d) => `  - ${formatDiagnostic({ ...d, file: d.file ?? options.origin })}`);
    if (errors.length > MAX_LISTED) lines.push(`  … and ${errors.length - MAX_LISTED} more`);
    message = `${summary}: ${errors.length} problem${errors.length === 1 ? '' : 's'}\n${lines.join('\n')}`;
  }
  return new SpecError(message, { diagnostics: ordered, hint: options.hint, code: options.code });
}
