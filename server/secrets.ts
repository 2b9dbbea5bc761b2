import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ServerEnv } from './env.ts';
import { EnvError } from './env.ts';
import type { Logger } from './logger.ts';

/** The secrets the server runs with. */
export interface ServerSecrets {
  /** better-auth's secret (cookie signing, hashing). */
  authSecret: string;
  /** Ed25519 PKCS#8 PEM keys, oldest first; the last one signs usage tokens, all are in the JWKS. */
  signingKeys: string[];
}

const PEM_BLOCK = /-----BEGIN PRIVATE KEY-----[\s\S]+?-----END PRIVATE KEY-----/g;

/** Splits concatenated PEM private keys (the rotation list) into single keys, in order. */
export function splitPemKeys(pem: string): string[] {
  return [...pem.matchAll(PEM_BLOCK)].map((match) => `${match[0]}\n`);
}

/** A new Ed25519 private key in PKCS#8 PEM. */
export function generateSigningKeyPem(): string {
  const { privateKey } = generateKeyPairSync('ed25519');
  return privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
}

function readOrCreate(file: string, create: () => string, logger: Logger, name: string): string {
  if (existsSync(file)) return readFileSync(file, 'utf8');
  const value = create();
  writeFileSync(file, value, { mode: 0o600, flag: 'wx' });
  logger.warn(`${name} is not set; generated one and stored it in ${file}. Set ${name} in production.`);
  return value;
}

/** Options of {@link resolveSecrets}. */
export interface ResolveSecretsOptions {
  /**
   * For a one-off command (`admin …`) rather than a serving instance: on a shared database, missing
   * secrets are made up in memory for the command's run (nothing it does is signed for later use).
   * @default false
   */
  command?: boolean;
}

const HOW_TO = {
  BETTER_AUTH_SECRET: 'generate one with `openssl rand -base64 48`',
  SPECMINT_SIGNING_KEY: 'generate one with `openssl genpkey -algorithm ed25519`',
};

function requireShared(env: ServerEnv): void {
  const reason = env.production ? 'NODE_ENV=production' : 'DATABASE_URL is set';
  const why = env.production
    ? ''
    : ' (every instance on one database must use the same one, so none may make up its own)';
  const missing = (['BETTER_AUTH_SECRET', 'SPECMINT_SIGNING_KEY'] as const)
    .filter((name) => !(name === 'BETTER_AUTH_SECRET' ? env.authSecret : env.signingKeyPem))
    .map((name) => `${name} is required when ${reason}${why}; ${HOW_TO[name]}`);
  if (missing.length > 0) throw new EnvError(missing);
}

/**
 * Resolves `BETTER_AUTH_SECRET` and `SPECMINT_SIGNING_KEY`. With NODE_ENV=production, or with
 * DATABASE_URL set (several instances may share the database, and sessions and usage tokens must verify
 * on each), both must be set: throws {@link EnvError}. Otherwise (the embedded database, one process)
 * a missing one is generated once and kept in `<dataDir>/secrets/`.
 * To rotate the signing key append a new PEM block (to the env var or `signing-keys.pem`): the last
 * key signs, and older keys stay in the JWKS until removed (keep them ≥ 15 minutes).
 */
export function resolveSecrets(
  env: ServerEnv,
  logger: Logger,
  options: ResolveSecretsOptions = {},
): ServerSecrets {
  const shared = env.production || env.databaseUrl !== undefined;
  if (shared && !(options.command && !env.production)) requireShared(env);
  if (shared) {
    const keys = splitPemKeys(env.signingKeyPem ?? generateSigningKeyPem());
    if (keys.length === 0) throw new EnvError(['SPECMINT_SIGNING_KEY holds no PEM private key']);
    return {
      authSecret: (env.authSecret ?? randomBytes(32).toString('base64url')).trim(),
      signingKeys: keys,
    };
  }
  const dir = join(env.dataDir, 'secrets');
  if (!env.authSecret || !env.signingKeyPem) mkdirSync(dir, { recursive: true, mode: 0o700 });
  const authSecret =
    env.authSecret ??
    readOrCreate(
      join(dir, 'auth-secret'),
      () => randomBytes(32).toString('base64url'),
      logger,
      'BETTER_AUTH_SECRET',
    );
  const pem =
    env.signingKeyPem ??
    readOrCreate(join(dir, 'signing-keys.pem'), generateSigningKeyPem, logger, 'SPECMINT_SIGNING_KEY');
  const signingKeys = splitPemKeys(pem);
  if (signingKeys.length === 0) throw new EnvError(['SPECMINT_SIGNING_KEY holds no PEM private key']);
  return { authSecret: authSecret.trim(), signingKeys };
}

/** The secret the CLI's `admin` commands use to reach a running embedded server (loopback only). */
export function readOrCreateAdminSecret(dataDir: string): string {
  const dir = join(dataDir, 'secrets');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = join(dir, 'admin-token');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const value = randomBytes(32).toString('base64url');
  writeFileSync(file, value, { mode: 0o600 });
  return value;
}
