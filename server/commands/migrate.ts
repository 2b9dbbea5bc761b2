import { acquireDataDirLock, DataDirLockedError } from '../db/data-dir-lock.ts';
import { runMigrations } from '../db/migrate.ts';
import type { ServerEnv } from '../env.ts';
import type { Logger } from '../logger.ts';
import { CommandError } from './command-error.ts';
import { openConfiguredDatabase } from './open-database.ts';

/**
 * `specmint-server migrate`: applies pending migrations. A running embedded server has already applied
 * them at start, so on a held data dir this says so instead of failing on the lock.
 */
export async function runMigrateCommand(options: { env: ServerEnv; logger: Logger }): Promise<void> {
  const { env, logger } = options;
  let lock: ReturnType<typeof acquireDataDirLock> | undefined;
  if (!env.databaseUrl) {
    try {
      lock = acquireDataDirLock(env.dataDir, 'command');
    } catch (error) {
      if (!(error instanceof DataDirLockedError)) throw error;
      if (error.owner.role === 'server') {
        logger.info('specmint-server is running on this data dir and applied migrations at start', {
          pid: error.owner.pid,
        });
        return;
      }
      throw new CommandError(`${error.message} Retry when it has finished.`);
    }
  }
  const database = await openConfiguredDatabase(env);
  try {
    await runMigrations(database);
    logger.info('migrations applied', { database: database.kind });
  } finally {
    await database.close();
    lock?.release();
  }
}
