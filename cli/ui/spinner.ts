/**
 * Progress for long steps: an ora spinner on an interactive terminal; without one, a plain line when a
 * step ends, so CI logs still show what happened.
 */
import type { ChalkInstance } from 'chalk';
import type { Ora } from 'ora';

/** A running step. */
export interface Spinner {
  /** Changes the text of the running step. */
  update(text: string): void;
  /** Ends the step as done. */
  succeed(text?: string): void;
  /** Ends the step as failed (the error itself is printed by the entry point). */
  fail(text?: string): void;
  /** Ends the step without a line. */
  stop(): void;
}

/** Options of {@link startSpinner}. */
export interface SpinnerOptions {
  text: string;
  stream: NodeJS.WritableStream;
  /** Animate (interactive TTY); otherwise print one line at the end. */
  animate: boolean;
  style: ChalkInstance;
}

/**
 * Whether a spinner can be drawn on `stream`: it needs the terminal's width. A terminal that reports none
 * (`script` without a size, some container TTYs: 0 columns) sent ora into an endless redraw of
 * cursor-up/erase sequences.
 */
export function canAnimate(stream: NodeJS.WritableStream): boolean {
  const columns = (stream as { columns?: unknown }).columns;
  return typeof columns === 'number' && columns > 0;
}

let oraModule: Promise<typeof import('ora').default> | undefined;

/**
 * ora, loaded when a terminal is there to draw a spinner on (the UI starts loading it as it starts): loading it
 * costs ~40 ms (string-width, which it uses, builds Unicode segmenters and regular expressions), which a run
 * without a terminal (CI, a pipe) never needs. Resolves once loaded; a spinner started before then is drawn
 * as it resolves.
 */
export function loadOra(): Promise<typeof import('ora').default> {
  oraModule ??= import('ora').then((module) => module.default);
  return oraModule;
}

/**
 * Starts a step. On a terminal the spinner appears once ora has loaded (the first turn of the event loop
 * after that); a step that ends before then prints its line as without a terminal.
 */
export function startSpinner(options: SpinnerOptions): Spinner {
  let text = options.text;
  let spinner: Ora | undefined;
  let ended = false;
  if (options.animate && canAnimate(options.stream)) {
    loadOra().then(
      (ora) => {
        if (ended) return;
        // Whether to animate is decided here (`animate`, `canAnimate`), not again by ora, which would print
        // "- text" lines instead on a terminal where CI is set.
        spinner = ora({ text, stream: options.stream, discardStdin: false, color: 'cyan', isEnabled: true });
        spinner.start();
      },
      // Without ora the step still ends with its line.
      () => undefined,
    );
  }
  const persist = (symbol: string, finalText: string) => {
    ended = true;
    if (spinner) spinner.stopAndPersist({ symbol, text: finalText });
    else options.stream.write(`${symbol} ${finalText}\n`);
  };
  return {
    update(next) {
      text = next;
      if (spinner) {
        spinner.text = next;
        // Drawn now: the step's work is synchronous, so the spinner's timer would not draw it before it ends.
        spinner.render();
      }
    },
    succeed(finalText) {
      persist(options.style.green('✔'), finalText ?? text);
    },
    fail(finalText) {
      persist(options.style.red('✖'), finalText ?? text);
    },
    stop() {
      ended = true;
      spinner?.stop();
    },
  };
}
