import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PgliteDatabase } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import type { PostgresJsDatabase } from 'drizzle-orm/postgres-js';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import type { DatabaseHandle } from './client.ts';

const JOURNAL = join('server', 'db', 'migrations', 'meta', '_journal.json');

/**
 * The committed migrations folder. Found by walking up from this module, because the code runs both
 * from source (server/db/) and bundled (dist/server.js).
 */
export function findMigrationsFolder(start: string = dirname(fileURLToPath(import.meta.url))): string {
  let dir = start;
  for (;;) {
    if (existsSync(join(dir, JOURNAL))) return join(dir, 'server', 'db', 'migrations');
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`cannot find ${JOURNAL} above ${start}`);
    dir = parent;
  }
}

/** Applies every pending migration with drizzle's migrator for the handle's driver. */
export async function runMigrations(handle: DatabaseHandle): Promise<void> {
  const migrationsFolder = findMigrationsFolder();
  if (handle.kind === 'pglite') {
    // The handle's db is typed driver-neutrally; the migrator wants its own driver type.
    await migratePglite(handle.db as unknown as PgliteDatabase<Record<string, never>>, { migrationsFolder });
  } else {
    await migratePostgres(handle.db as unknown as PostgresJsDatabase<Record<string, never>>, {
      migrationsFolder,
    });
  }
}
