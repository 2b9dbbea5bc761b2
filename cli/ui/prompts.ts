/**
 * Questions for a person at a terminal (only ever called when the session is interactive). Ctrl-C at a
 * prompt becomes an {@link InterruptedError} (exit 130).
 */
import { checkbox, confirm, input, select } from '@inquirer/prompts';
import { InterruptedError } from './interrupted-error.ts';

async function ask<T>(question: Promise<T>): Promise<T> {
  try {
    return await question;
  } catch (error) {
    if (error instanceof Error && error.name === 'ExitPromptError') throw new InterruptedError();
    throw error;
  }
}

/** A free-text answer; `validate` returns an error message or `true`. */
export function askText(options: {
  message: string;
  default?: string;
  validate?: (value: string) => string | true;
}): Promise<string> {
  return ask(
    input({
      message: options.message,
      default: options.default,
      validate:
        options.validate ?? ((value: string) => (value.trim() === '' ? 'Please enter a value.' : true)),
    }),
  ).then((value) => value.trim());
}

/** Several choices out of a list; at least one. */
export function askChoices<T extends string>(options: {
  message: string;
  choices: ReadonlyArray<{ value: T; name?: string; checked?: boolean; disabled?: string | false }>;
}): Promise<T[]> {
  return ask(
    checkbox<T>({
      message: options.message,
      choices: options.choices.map((choice) => ({ ...choice })),
      required: true,
      // Every choice visible at once (inquirer shows 7 and scrolls the rest out of sight).
      pageSize: Math.min(Math.max(options.choices.length, 7), 15),
    }),
  );
}

/** One choice out of a list. */
export function askChoice<T extends string>(options: {
  message: string;
  choices: ReadonlyArray<{ value: T; name?: string; description?: string }>;
  default?: T;
}): Promise<T> {
  return ask(
    select<T>({ message: options.message, choices: [...options.choices], default: options.default }),
  );
}

/** Yes or no. */
export function askConfirm(options: { message: string; default?: boolean }): Promise<boolean> {
  return ask(confirm({ message: options.message, default: options.default ?? false }));
}
