import { join } from 'node:path';
import { type DatabaseHandle, openPglite, openPostgres } from '../db/client.ts';
import type { ServerEnv } from '../env.ts';

/** Where the embedded database's files live inside the data dir. */
export function pgliteDir(dataDir: string): string {
  return join(dataDir, 'pgdata');
}

/** Opens PostgreSQL when DATABASE_URL is set, else embedded PGlite in the data dir. */
export async function openConfiguredDatabase(env: ServerEnv): Promise<DatabaseHandle> {
  if (env.databaseUrl) return openPostgres(env.databaseUrl, { max: env.dbPoolMax });
  return openPglite(pgliteDir(env.dataDir));
}
