import { request } from 'undici';
import type * as z from 'zod';
import {
  adminCreateToken,
  adminCreateUser,
  adminSetPlan,
  CreateTokenInputSchema,
  CreateUserInputSchema,
  SetPlanInputSchema,
} from '../admin/admin-actions.ts';
import { AdminStatsInputSchema, runAdminStats } from '../admin/admin-stats.ts';
import { createAppDeps } from '../create-app-deps.ts';
import { acquireDataDirLock, type DataDirOwner, readDataDirOwner } from '../db/data-dir-lock.ts';
import { runMigrations } from '../db/migrate.ts';
import type { ServerEnv } from '../env.ts';
import { ApiError } from '../http/api-error.ts';
import type { Logger } from '../logger.ts';
import { readOrCreateAdminSecret, resolveSecrets } from '../secrets.ts';
import { CommandError } from './command-error.ts';
import { openConfiguredDatabase } from './open-database.ts';

const ACTIONS = {
  'create-user': { schema: CreateUserInputSchema, path: '/internal/admin/users', run: adminCreateUser },
  'set-plan': { schema: SetPlanInputSchema, path: '/internal/admin/plan', run: adminSetPlan },
  'create-token': { schema: CreateTokenInputSchema, path: '/internal/admin/tokens', run: adminCreateToken },
  stats: { schema: AdminStatsInputSchema, path: '/internal/admin/stats', run: runAdminStats },
} as const;

/** The admin sub-commands. */
export type AdminCommand = keyof typeof ACTIONS;

/** Options of {@link runAdminCommand}. */
export interface RunAdminOptions {
  env: ServerEnv;
  logger: Logger;
  command: AdminCommand;
  /** Raw flags; validated here. */
  input: Record<string, unknown>;
  /** Tells the operator how the command is carried out (stderr). */
  notice: (message: string) => void;
}

function validate<S extends z.ZodType>(schema: S, input: Record<string, unknown>): z.output<S> {
  const defined = Object.fromEntries(Object.entries(input).filter(([, value]) => value !== undefined));
  const parsed = schema.safeParse(defined);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `--${issue.path.join('.')}: ${issue.message}`);
    throw new CommandError(`Invalid arguments:\n  ${problems.join('\n  ')}`, 2);
  }
  return parsed.data;
}

async function throughRunningServer(options: RunAdminOptions, owner: DataDirOwner, body: unknown) {
  if (owner.role === 'server' && !owner.url) {
    throw new CommandError(
      `specmint-server (pid ${owner.pid}) is starting on this data dir; retry in a moment.`,
    );
  }
  if (owner.role !== 'server' || !owner.url) {
    throw new CommandError(
      `Another specmint-server command (pid ${owner.pid}) is using the embedded database in ` +
        `${options.env.dataDir}. Retry when it has finished.`,
    );
  }
  options.notice(
    `specmint-server is running (pid ${owner.pid}) and owns the embedded database; ` +
      `sending this command through it at ${owner.url}.`,
  );
  const secret = readOrCreateAdminSecret(options.env.dataDir);
  let response: Awaited<ReturnType<typeof request>>;
  try {
    response = await request(`${owner.url}${ACTIONS[options.command].path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${secret}` },
      body: JSON.stringify(body),
    });
  } catch (error) {
    throw new CommandError(
      `specmint-server (pid ${owner.pid}) holds the data dir but does not answer at ${owner.url}: ` +
        `${(error as Error).message}. Stop it and retry.`,
      5,
    );
  }
  const payload = (await response.body.json()) as { error?: { message: string } };
  if (response.statusCode >= 400)
    throw new CommandError(payload.error?.message ?? `HTTP ${response.statusCode}`);
  return payload;
}

/**
 * Runs `admin create-user | set-plan | create-token`. On PostgreSQL it works directly. On the embedded
 * database it opens the data dir when no server holds it, and otherwise goes through the running
 * server's loopback admin API (saying so on stderr), instead of failing on PGlite's single-process lock.
 */
export async function runAdminCommand(options: RunAdminOptions): Promise<unknown> {
  const { env, logger } = options;
  const action = ACTIONS[options.command];
  const input = validate(action.schema, options.input);
  if (!env.databaseUrl) {
    const owner = readDataDirOwner(env.dataDir);
    if (owner) return throughRunningServer(options, owner, input);
  }
  const secrets = resolveSecrets(env, logger, { command: true });
  const lock = env.databaseUrl ? undefined : acquireDataDirLock(env.dataDir, 'command');
  const database = await openConfiguredDatabase(env);
  try {
    await runMigrations(database);
    const deps = await createAppDeps({
      database,
      secrets,
      baseUrl: env.baseUrl ?? `http://localhost:${env.port}`,
      logger,
    });
    // The schemas differ per action; each `run` accepts its own schema's output.
    return await (action.run as (d: typeof deps, i: unknown) => Promise<unknown>)(deps, input);
  } catch (error) {
    if (error instanceof ApiError) throw new CommandError(error.message);
    throw error;
  } finally {
    await database.close();
    lock?.release();
  }
}
