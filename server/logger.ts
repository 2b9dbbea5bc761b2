import { AsyncLocalStorage } from 'node:async_hooks';
import { writeSync } from 'node:fs';

/** Log levels, most verbose first. */
export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Structured fields attached to a log line. */
export type LogFields = Record<string, unknown>;

/** A structured JSON logger: one JSON object per line. */
export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  /** A logger that adds `fields` to every line. */
  child(fields: LogFields): Logger;
}

/** Options of {@link createLogger}. */
export interface LoggerOptions {
  /** @default 'info' */
  level?: LogLevel;
  /** Where lines go. @default process.stderr */
  write?: (line: string) => void;
  /** Fields on every line. */
  base?: LogFields;
}

function serializeError(value: unknown): unknown {
  if (!(value instanceof Error)) return value;
  const code = (value as { code?: unknown }).code;
  const cause = value.cause === undefined ? undefined : serializeError(value.cause);
  return { name: value.name, message: value.message, code, stack: value.stack, cause };
}

let pending: string[] = [];
let flushScheduled = false;

function flushStderr(): void {
  flushScheduled = false;
  if (pending.length === 0) return;
  const chunk = pending.join('');
  pending = [];
  try {
    writeSync(2, chunk);
  } catch {
    // A full non-blocking pipe (EAGAIN): let the stream queue it instead.
    process.stderr.write(chunk);
  }
}

/**
 * Writes to stderr in batches: lines logged while handling requests are joined and written once per
 * event-loop turn (writes to a pipe are synchronous system calls, one per line would dominate under
 * load). Pending lines are flushed on exit.
 */
function bufferedStderr(line: string): void {
  pending.push(line);
  if (pending.length >= 512) flushStderr();
  else if (!flushScheduled) {
    flushScheduled = true;
    setImmediate(flushStderr);
  }
}
process.on('exit', flushStderr);

const context = new AsyncLocalStorage<LogFields>();

/**
 * Runs `work` with `fields` (the request id, the client address) added to every line logged inside it,
 * by any logger — including ones that never saw the request, such as better-auth's.
 */
export function runWithLogFields<T>(fields: LogFields, work: () => T): T {
  return context.run(fields, work);
}

/** The fields of the enclosing {@link runWithLogFields}, if any. */
export function currentLogFields(): LogFields | undefined {
  return context.getStore();
}

/** Creates a JSON-lines logger (stderr by default, so stdout stays free for command output). */
export function createLogger(options: LoggerOptions = {}): Logger {
  const threshold = LOG_LEVELS.indexOf(options.level ?? 'info');
  const write = options.write ?? bufferedStderr;
  const base = options.base ?? {};
  const emit = (level: LogLevel, message: string, fields?: LogFields): void => {
    if (LOG_LEVELS.indexOf(level) < threshold) return;
    const entry: LogFields = {
      time: new Date().toISOString(),
      level,
      msg: message,
      ...context.getStore(),
      ...base,
    };
    for (const [key, value] of Object.entries(fields ?? {})) entry[key] = serializeError(value);
    write(`${JSON.stringify(entry)}\n`);
  };
  return {
    debug: (message, fields) => emit('debug', message, fields),
    info: (message, fields) => emit('info', message, fields),
    warn: (message, fields) => emit('warn', message, fields),
    error: (message, fields) => emit('error', message, fields),
    child: (fields) => createLogger({ ...options, base: { ...base, ...fields } }),
  };
}

/** A logger that drops everything (tests). */
export function createSilentLogger(): Logger {
  return createLogger({ level: 'error', write: () => {} });
}
