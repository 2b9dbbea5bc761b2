import { createHash, randomBytes } from 'node:crypto';

/** Every CI token starts with this. */
export const CI_TOKEN_PREFIX = 'smk_';
const PREFIX_SHOWN = CI_TOKEN_PREFIX.length + 8;

/** A freshly minted CI token: `token` is shown once, only `hash` is stored. */
export interface MintedCiToken {
  token: string;
  hash: string;
  /** First characters, stored to let users recognise the token in lists. */
  prefix: string;
}

/** sha256 (hex) of a token — the only form that is stored. */
export function hashCiToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** True when `value` looks like a CI token (cheap pre-check before any lookup). */
export function looksLikeCiToken(value: string): boolean {
  return value.startsWith(CI_TOKEN_PREFIX) && /^smk_[A-Za-z0-9_-]{43}$/.test(value);
}

/** Mints a token with 256 bits of randomness. */
export function mintCiToken(): MintedCiToken {
  const token = `${CI_TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
  return { token, hash: hashCiToken(token), prefix: token.slice(0, PREFIX_SHOWN) };
}
