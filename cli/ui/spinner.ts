/**
 * Progress for long steps: an ora spinner on an interactive terminal; without one, a plain line when a
 * step ends, so CI logs still show what happened.
 */
import type { ChalkInstance } from 'chalk';
import ora, { type Ora } from 'ora';

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

/** Starts a step. */
export function startSpinner(options: SpinnerOptions): Spinner {
  let text = options.text;
  let spinner: Ora | undefined;
  if (options.animate && canAnimate(options.stream)) {
    spinner = ora({ text, stream: options.stream, discardStdin: false, color: 'cyan' }).start();
  }
  const persist = (symbol: string, finalText: string) => {
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
      spinner?.stop();
    },
  };
}
