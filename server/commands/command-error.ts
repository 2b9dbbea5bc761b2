/** A command failed in a way the operator can fix; `main.ts` prints `message` and exits with `exitCode`. */
export class CommandError extends Error {
  readonly exitCode: number;
  constructor(message: string, exitCode = 1) {
    super(message);
    this.name = 'CommandError';
    this.exitCode = exitCode;
  }
}
