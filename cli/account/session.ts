/**
 * Which credentials a command uses: `SPECMINT_TOKEN` beats the stored login of the current licence server
 * (`SPECMINT_API_URL`, default http://127.0.0.1:8787).
 */
import { InputError } from '../errors.ts';
import { notLoggedIn } from './account-errors.ts';
import { resolveApiUrl, resolveConfigDir } from './config-dir.ts';
import { type CredentialStore, openCredentialStore, type StoredCredentials } from './credential-store.ts';

/** The credentials in effect. */
export interface AuthContext {
  apiUrl: string;
  configDir: string;
  store: CredentialStore;
  /** Bearer token, when there is one. */
  token?: string;
  /** Where the token came from. */
  source: 'env' | 'stored' | 'none';
  stored?: StoredCredentials;
}

/** Options of {@link resolveAuth}. */
export interface ResolveAuthOptions {
  env?: NodeJS.ProcessEnv;
  /** Licence server URL from `specmint.config.json` (SPECMINT_API_URL beats it). */
  configApiUrl?: string;
  warn?: (message: string) => void;
}

/** Checks that the licence server URL is an http(s) URL. */
export function assertApiUrl(apiUrl: string): void {
  let url: URL;
  try {
    url = new URL(apiUrl);
  } catch {
    throw new InputError(`SPECMINT_API_URL "${apiUrl}" is not a URL.`, {
      code: 'BAD_API_URL',
      hint: 'Use the licence server base URL, e.g. http://127.0.0.1:8787.',
    });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new InputError(`SPECMINT_API_URL "${apiUrl}" must be an http(s) URL.`, { code: 'BAD_API_URL' });
  }
}

/** Resolves the licence server, the credential store and the token in effect. */
export async function resolveAuth(options: ResolveAuthOptions = {}): Promise<AuthContext> {
  const env = options.env ?? process.env;
  const apiUrl = resolveApiUrl(env, options.configApiUrl);
  assertApiUrl(apiUrl);
  const configDir = resolveConfigDir({ env });
  const store = await openCredentialStore({ configDir, env, warn: options.warn });
  const envToken = env.SPECMINT_TOKEN?.trim();
  if (envToken && !/^[\x21-\x7e]+$/.test(envToken)) {
    throw new InputError(
      'SPECMINT_TOKEN contains spaces or characters that cannot be sent in an HTTP header.',
      {
        code: 'BAD_TOKEN',
        hint: 'Set it to the token exactly as `specmint tokens create` printed it (smk_…).',
      },
    );
  }
  if (envToken) return { apiUrl, configDir, store, token: envToken, source: 'env' };
  const stored = await store.load(apiUrl);
  if (stored) return { apiUrl, configDir, store, token: stored.token, source: 'stored', stored };
  return { apiUrl, configDir, store, source: 'none' };
}

/** The token of `auth`, or the "not logged in" error (exit 4). */
export function requireToken(auth: AuthContext): string {
  if (!auth.token) throw notLoggedIn(auth.apiUrl);
  return auth.token;
}
