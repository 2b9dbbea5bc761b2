/**
 * What `cli/main.ts` hands to every command action: the environment, the working directory, and a run
 * state the action fills in as soon as it knows it (so the entry point can print a failure as JSON when
 * `--json` was given, and with a stack trace under `--debug`).
 */

/** Mutable facts about the current run. */
export interface RunState {
  /** `--json` was given: failures are printed as `{ok:false, error}` on stdout. */
  json: boolean;
  /** `--debug` was given: stack traces and debug lines. */
  debug: boolean;
  /** The command watches {@link CommandContext.signal} and unwinds on Ctrl-C (instead of an immediate exit). */
  cancellable?: boolean;
}

/** The context of one command run. */
export interface CommandContext {
  state: RunState;
  env: NodeJS.ProcessEnv;
  cwd: string;
  /**
   * Aborted on Ctrl-C while {@link RunState.cancellable} is set: the command stops at its next checkpoint,
   * cleans up and exits 130. Otherwise Ctrl-C exits at once.
   */
  signal?: AbortSignal;
}
