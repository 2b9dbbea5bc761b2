/**
 * Where SpecMint keeps credentials (when the keychain is unavailable) and caches: `SPECMINT_CONFIG_DIR`,
 * else the platform's user config folder.
 */
import { homedir } from 'node:os';
import { join } from 'node:path';

/** Options of {@link resolveConfigDir}. */
export interface ConfigDirOptions {
  env?: NodeJS.ProcessEnv;
  platform?: NodeJS.Platform;
  home?: string;
}

/**
 * `SPECMINT_CONFIG_DIR`; otherwise `%APPDATA%\specmint` (Windows), `~/Library/Application Support/specmint`
 * (macOS), or `$XDG_CONFIG_HOME/specmint` / `~/.config/specmint` (Linux and others).
 */
export function resolveConfigDir(options: ConfigDirOptions = {}): string {
  const env = options.env ?? process.env;
  if (env.SPECMINT_CONFIG_DIR) return env.SPECMINT_CONFIG_DIR;
  const platform = options.platform ?? process.platform;
  const home = options.home ?? homedir();
  if (platform === 'win32') return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), 'specmint');
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', 'specmint');
  return join(env.XDG_CONFIG_HOME || join(home, '.config'), 'specmint');
}

/** Default licence server when `SPECMINT_API_URL` is not set. */
export const DEFAULT_API_URL = 'http://127.0.0.1:8787';

/** The licence server URL without a trailing slash (`SPECMINT_API_URL`, then `fallback`, then the default). */
export function resolveApiUrl(env: NodeJS.ProcessEnv = process.env, fallback?: string): string {
  const raw = env.SPECMINT_API_URL || fallback || DEFAULT_API_URL;
  return raw.replace(/\/+$/, '');
}
