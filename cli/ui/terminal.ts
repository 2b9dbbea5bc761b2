/**
 * What the terminal allows: prompts, spinners and the browser only for a person at a TTY; colour unless
 * NO_COLOR says otherwise. Pure functions of the environment and the streams, so they are easy to test.
 */

/** The facts {@link detectTerminal} reads. */
export interface TerminalFacts {
  stdoutIsTty: boolean;
  stdinIsTty: boolean;
  stderrIsTty: boolean;
  /** Width of stdout when it is a terminal (text is wrapped to it); `undefined` when piped. */
  stdoutColumns?: number | undefined;
  env: NodeJS.ProcessEnv;
}

/** Options that turn interaction off whatever the terminal. */
export interface InteractionFlags {
  /** `--json`: one JSON object on stdout, nothing interactive. */
  json?: boolean;
  /** `--yes`: never ask. */
  yes?: boolean;
}

/** Reads the facts of the current process. */
export function detectTerminal(): TerminalFacts {
  return {
    stdoutIsTty: process.stdout.isTTY === true,
    stdinIsTty: process.stdin.isTTY === true,
    stderrIsTty: process.stderr.isTTY === true,
    stdoutColumns: process.stdout.isTTY === true ? process.stdout.columns : undefined,
    env: process.env,
  };
}

/** True when `CI` is set to anything but an explicit false. */
export function isCi(env: NodeJS.ProcessEnv): boolean {
  const value = env.CI;
  return value !== undefined && value !== '' && value !== '0' && value.toLowerCase() !== 'false';
}

/**
 * Whether SpecMint may prompt, spin or open a browser: stdout and stdin are TTYs, `CI` is not set, and
 * neither `--json` nor `--yes` was given (DESIGN.md "--json").
 */
export function isInteractive(facts: TerminalFacts, flags: InteractionFlags = {}): boolean {
  if (flags.json || flags.yes) return false;
  if (isCi(facts.env)) return false;
  return facts.stdoutIsTty && facts.stdinIsTty;
}

/**
 * Whether to colour stderr: never with NO_COLOR (https://no-color.org, any non-empty value), always with
 * FORCE_COLOR (other than `0`/`false`), otherwise only on a TTY.
 */
export function useColor(facts: TerminalFacts): boolean {
  const noColor = facts.env.NO_COLOR;
  if (noColor !== undefined && noColor !== '') return false;
  const force = facts.env.FORCE_COLOR;
  if (force !== undefined) return force !== '0' && force !== 'false';
  if (facts.env.TERM === 'dumb') return false;
  return facts.stderrIsTty;
}
