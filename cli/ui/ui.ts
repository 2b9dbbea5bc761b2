/**
 * The CLI's voice. Results go to stdout; logs, warnings and progress go to stderr. With `--json` stdout
 * carries exactly one JSON object, so every human line goes to stderr. Colour follows NO_COLOR; spinners
 * only run when the session is interactive.
 */
import { Chalk, type ChalkInstance } from 'chalk';
import { loadOra, type Spinner, startSpinner } from './spinner.ts';
import { detectTerminal, isInteractive, type TerminalFacts, useColor } from './terminal.ts';

/** Options of {@link createUi}. */
export interface UiOptions {
  /** `--json`: stdout is reserved for the final JSON object. */
  json?: boolean;
  /** `--yes`: never prompt. */
  yes?: boolean;
  /** `--debug`: print debug lines and stack traces. */
  debug?: boolean;
  /** The terminal to describe. @default detectTerminal() */
  terminal?: TerminalFacts;
  /** Where output goes. @default process.stdout / process.stderr */
  stdout?: NodeJS.WritableStream;
  stderr?: NodeJS.WritableStream;
}

/** Everything a command prints goes through one of these. */
export interface Ui {
  readonly interactive: boolean;
  readonly json: boolean;
  readonly debugEnabled: boolean;
  readonly terminal: TerminalFacts;
  /** Styling that is a no-op without colour. */
  readonly style: ChalkInstance;
  /** A line of the command's result: stdout, or stderr in `--json` mode. */
  result(text: string): void;
  /** A progress or context line on stderr. */
  info(text: string): void;
  /** A success line on stderr. */
  success(text: string): void;
  /** `warning: …` on stderr (exit code unchanged). */
  warn(text: string): void;
  /** Only with `--debug`. */
  debug(text: string): void;
  /** Writes `value` as the one JSON object on stdout. */
  printJson(value: unknown): void;
  /** A spinner on an interactive stderr; plain lines otherwise. */
  spinner(text: string): Spinner;
}

/** Builds the {@link Ui} for one command run. */
export function createUi(options: UiOptions = {}): Ui {
  const terminal = options.terminal ?? detectTerminal();
  const stdout = options.stdout ?? process.stdout;
  const stderr = options.stderr ?? process.stderr;
  const json = options.json === true;
  const interactive = isInteractive(terminal, { json, yes: options.yes });
  const color = useColor(terminal);
  const style = new Chalk({ level: color ? 1 : 0 });
  const line = (stream: NodeJS.WritableStream, text: string) => stream.write(`${text}\n`);
  const animate = interactive && terminal.stderrIsTty;
  // Loaded while the command starts, so its first spinner is drawn at once.
  if (animate) loadOra().catch(() => undefined);
  return {
    interactive,
    json,
    debugEnabled: options.debug === true,
    terminal,
    style,
    result: (text) => line(json ? stderr : stdout, text),
    info: (text) => line(stderr, text),
    success: (text) => line(stderr, `${style.green('✔')} ${text}`),
    warn: (text) => line(stderr, `${style.yellow('warning:')} ${text}`),
    debug: (text) => {
      if (options.debug) line(stderr, style.dim(`debug: ${text}`));
    },
    printJson: (value) => line(stdout, JSON.stringify(value, null, 2)),
    spinner: (text) => startSpinner({ text, stream: stderr, animate, style }),
  };
}
