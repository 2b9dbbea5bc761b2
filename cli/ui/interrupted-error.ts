import { EXIT, SpecMintError } from '../errors.ts';

/** The user pressed Ctrl-C (at a prompt or while a command ran). Exit 130. */
export class InterruptedError extends SpecMintError {
  constructor(message = 'Interrupted.') {
    super(message, EXIT.INTERRUPTED, { code: 'INTERRUPTED' });
    this.name = 'InterruptedError';
  }
}
