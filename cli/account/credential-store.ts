/**
 * Where the login token lives: the OS keychain through `@napi-rs/keyring`, one entry per licence server
 * URL. When the keychain is missing, locked or slower than {@link KEYRING_TIMEOUT_MS}, a JSON file with
 * mode 0600 under the config dir is used instead, with a one-time warning.
 *
 * `SPECMINT_CREDENTIAL_STORE=file` forces the file (tests, headless machines);
 * `SPECMINT_CREDENTIAL_STORE=keyring` forces the keychain (no fallback).
 */
import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as z from 'zod';
import { InputError } from '../errors.ts';

/** Longest wait for the keychain before falling back to the file. */
export const KEYRING_TIMEOUT_MS = 3000;
/** Keychain service name. */
export const KEYRING_SERVICE = 'specmint';
/** File used when the keychain is unavailable. */
export const CREDENTIALS_FILE = 'credentials.json';
/** Marks (in the config dir) that the fallback warning was shown once. */
const FALLBACK_NOTICE_FILE = '.keyring-fallback-warned';

/** What `specmint login` stores. */
export const StoredCredentialsSchema = z.object({
  /** Session token from the device flow (sent as `Authorization: Bearer`). */
  token: z.string().min(1),
  apiUrl: z.string(),
  email: z.string().optional(),
  savedAt: z.string(),
});
export type StoredCredentials = z.infer<typeof StoredCredentialsSchema>;

/** A place to keep credentials, keyed by licence server URL. */
export interface CredentialStore {
  readonly kind: 'keyring' | 'file';
  /** Human description for messages (the file path, or "the OS keychain"). */
  readonly location: string;
  load(apiUrl: string): Promise<StoredCredentials | undefined>;
  save(credentials: StoredCredentials): Promise<void>;
  /** Forgets the credentials of `apiUrl`; true when there were any. */
  clear(apiUrl: string): Promise<boolean>;
}

/** Options of {@link openCredentialStore}. */
export interface OpenCredentialStoreOptions {
  configDir: string;
  env?: NodeJS.ProcessEnv;
  /** Called once (per config dir) when falling back to the file. */
  warn?: (message: string) => void;
  /** @default KEYRING_TIMEOUT_MS */
  keyringTimeoutMs?: number;
}

const FileSchema = z.record(z.string(), StoredCredentialsSchema);

/** The 0600 JSON file store. */
export function createFileStore(configDir: string): CredentialStore {
  const path = join(configDir, CREDENTIALS_FILE);
  async function readAll(): Promise<Record<string, StoredCredentials>> {
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') return {};
      throw new InputError(`Cannot read the credentials file ${path} (${code ?? String(error)}).`, {
        code: 'CREDENTIALS_UNREADABLE',
        hint: 'Check that SPECMINT_CONFIG_DIR (or the default config folder) is a folder you can read and write.',
        cause: error,
      });
    }
    try {
      return FileSchema.parse(JSON.parse(text));
    } catch {
      throw new InputError(`Credentials file ${path} is corrupt.`, {
        code: 'CREDENTIALS_CORRUPT',
        hint: 'Delete it and run `specmint login` again.',
      });
    }
  }
  async function writeAll(all: Record<string, StoredCredentials>): Promise<void> {
    const tmp = `${path}.${process.pid}.tmp`;
    try {
      await mkdir(configDir, { recursive: true, mode: 0o700 });
      await writeFile(tmp, `${JSON.stringify(all, null, 2)}\n`, { mode: 0o600 });
      await chmod(tmp, 0o600);
      await rename(tmp, path);
    } catch (error) {
      throw new InputError(
        `Cannot write the credentials file ${path} (${(error as NodeJS.ErrnoException).code ?? String(error)}).`,
        {
          code: 'CREDENTIALS_UNWRITABLE',
          hint: 'Check that SPECMINT_CONFIG_DIR (or the default config folder) is a folder you can write to.',
          cause: error,
        },
      );
    }
  }
  return {
    kind: 'file',
    location: path,
    load: async (apiUrl) => (await readAll())[apiUrl],
    save: async (credentials) => {
      const all = await readAll();
      all[credentials.apiUrl] = credentials;
      await writeAll(all);
    },
    clear: async (apiUrl) => {
      const all = await readAll();
      if (!(apiUrl in all)) return false;
      delete all[apiUrl];
      await writeAll(all);
      return true;
    },
  };
}

/** Runs a keychain call with a time limit (the native call may hang on a locked or absent keychain). */
async function withTimeout<T>(run: (signal: AbortSignal) => Promise<T>, timeoutMs: number): Promise<T> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(new Error(`keychain did not answer within ${timeoutMs} ms`));
    }, timeoutMs);
    timer.unref();
  });
  try {
    return await Promise.race([run(controller.signal), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** The keychain store; every call may throw (unavailable, locked, timed out). */
export async function createKeyringStore(timeoutMs: number): Promise<CredentialStore> {
  const { AsyncEntry } = await import('@napi-rs/keyring');
  const entry = (apiUrl: string) => new AsyncEntry(KEYRING_SERVICE, apiUrl);
  return {
    kind: 'keyring',
    location: 'the OS keychain',
    load: async (apiUrl) => {
      const secret = await withTimeout((signal) => entry(apiUrl).getPassword(signal), timeoutMs);
      if (!secret) return undefined;
      const parsed = StoredCredentialsSchema.safeParse(JSON.parse(secret));
      return parsed.success ? parsed.data : undefined;
    },
    save: (credentials) =>
      withTimeout(
        (signal) => entry(credentials.apiUrl).setPassword(JSON.stringify(credentials), signal),
        timeoutMs,
      ),
    clear: (apiUrl) => withTimeout((signal) => entry(apiUrl).deletePassword(signal), timeoutMs),
  };
}

async function warnOnce(configDir: string, warn: ((message: string) => void) | undefined, reason: string) {
  const marker = join(configDir, FALLBACK_NOTICE_FILE);
  const seen = await readFile(marker).then(
    () => true,
    () => false,
  );
  if (seen) return;
  warn?.(
    `The OS keychain is not available (${reason}); credentials are kept in ${join(configDir, CREDENTIALS_FILE)} ` +
      '(readable only by you). Set SPECMINT_CREDENTIAL_STORE=file to silence this.',
  );
  // Best effort: if the marker cannot be written the warning simply shows again next time.
  await mkdir(configDir, { recursive: true, mode: 0o700 })
    .then(() => writeFile(marker, `${new Date().toISOString()}\n`, { mode: 0o600 }))
    .catch(() => undefined);
}

/**
 * A store that uses the keychain and falls back to the file for any call the keychain fails. Reads check
 * both (a token saved to the file while the keychain was down is still found).
 */
export async function openCredentialStore(options: OpenCredentialStoreOptions): Promise<CredentialStore> {
  const env = options.env ?? process.env;
  const file = createFileStore(options.configDir);
  const mode = env.SPECMINT_CREDENTIAL_STORE?.toLowerCase();
  if (mode === 'file') return file;
  let keyring: CredentialStore;
  try {
    keyring = await createKeyringStore(options.keyringTimeoutMs ?? KEYRING_TIMEOUT_MS);
  } catch (error) {
    if (mode === 'keyring') throw error;
    await warnOnce(options.configDir, options.warn, (error as Error).message);
    return file;
  }
  if (mode === 'keyring') return keyring;
  const fallback = async <T>(primary: () => Promise<T>, secondary: () => Promise<T>): Promise<T> => {
    try {
      return await primary();
    } catch (error) {
      await warnOnce(options.configDir, options.warn, (error as Error).message);
      return secondary();
    }
  };
  return {
    kind: 'keyring',
    location: keyring.location,
    load: async (apiUrl) =>
      (await fallback(
        () => keyring.load(apiUrl),
        async () => undefined,
      )) ?? file.load(apiUrl),
    save: (credentials) =>
      fallback(
        () => keyring.save(credentials),
        () => file.save(credentials),
      ),
    clear: async (apiUrl) => {
      const fromKeyring = await fallback(
        () => keyring.clear(apiUrl),
        async () => false,
      );
      const fromFile = await file.clear(apiUrl);
      return fromKeyring || fromFile;
    },
  };
}
