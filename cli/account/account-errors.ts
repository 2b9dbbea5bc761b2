import { EXIT, SpecMintError, type SpecMintErrorOptions } from '../errors.ts';

/**
 * No usable entitlement: not logged in, login refused or expired, or a usage token that fails
 * verification. Exit 4 (DESIGN.md: "not logged in / plan lacks the feature / quota used up").
 */
export class NotEntitledError extends SpecMintError {
  constructor(message: string, options: SpecMintErrorOptions = {}) {
    super(message, EXIT.NOT_ENTITLED, { code: 'NOT_ENTITLED', ...options });
    this.name = 'NotEntitledError';
  }
}

/** The error for a command that needs credentials when there are none. */
export function notLoggedIn(apiUrl: string): NotEntitledError {
  return new NotEntitledError(`Not logged in to the SpecMint licence server at ${apiUrl}.`, {
    code: 'NOT_LOGGED_IN',
    hint: 'Run `specmint login`, or set SPECMINT_TOKEN to a CI token (create one with `specmint tokens create`).',
  });
}
