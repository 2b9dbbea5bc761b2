import { mkdirSync } from 'node:fs';
import { sql } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import * as schema from './schema/index.ts';

/** The drizzle database, whichever driver is underneath. */
export type Database = PgDatabase<PgQueryResultHKT, typeof schema>;

/** An open database and how to close it. */
export interface DatabaseHandle {
  db: Database;
  /** `postgres` (postgres.js over DATABASE_URL) or `pglite` (embedded). */
  kind: 'postgres' | 'pglite';
  /**
   * Runs one parameterised statement (`$1`, `$2`…) and returns its rows — a prepared statement on
   * PostgreSQL, so hot statements are parsed and planned once per connection.
   */
  query<T>(text: string, params: readonly unknown[]): Promise<T[]>;
  /** Resolves when a trivial query succeeds; rejects when the database is unreachable. */
  ping(): Promise<void>;
  /** Closes the pool / the embedded database. Idempotent. */
  close(): Promise<void>;
}

/** Options of {@link openPostgres}. */
export interface PostgresOptions {
  /** Pool size. @default 10 */
  max?: number;
  /** Seconds to wait for a connection. @default 5 */
  connectTimeoutSeconds?: number;
}

/** Opens a postgres.js pool on `url`. Connections are made lazily. */
export function openPostgres(url: string, options: PostgresOptions = {}): DatabaseHandle {
  const client = postgres(url, {
    max: options.max ?? 10,
    connect_timeout: options.connectTimeoutSeconds ?? 5,
    idle_timeout: 60,
    onnotice: () => {},
  });
  const db = drizzlePostgres({ client, schema }) as unknown as Database;
  let closed = false;
  return {
    db,
    kind: 'postgres',
    // postgres.js types its parameters loosely; values here are plain JSON-able scalars.
    query: async <T>(text: string, params: readonly unknown[]) =>
      (await client.unsafe(text, params as postgres.ParameterOrJSON<never>[], {
        prepare: true,
      })) as unknown as T[],
    ping: async () => {
      await client`select 1`;
    },
    close: async () => {
      if (closed) return;
      closed = true;
      await client.end({ timeout: 5 });
    },
  };
}

/** Opens embedded PGlite in `dataDir` (created if missing), or in memory when `dataDir` is undefined. */
export async function openPglite(dataDir?: string): Promise<DatabaseHandle> {
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  // Loaded on demand: PGlite's WebAssembly build is only needed without DATABASE_URL.
  const [{ PGlite }, { drizzle: drizzlePglite }] = await Promise.all([
    import('@electric-sql/pglite'),
    import('drizzle-orm/pglite'),
  ]);
  const client = await PGlite.create(dataDir);
  const db = drizzlePglite({ client, schema }) as unknown as Database;
  return {
    db,
    kind: 'pglite',
    query: async <T>(text: string, params: readonly unknown[]) =>
      (await client.query<T>(text, params as unknown[])).rows,
    ping: async () => {
      await db.execute(sql`select 1`);
    },
    close: async () => {
      if (!client.closed) await client.close();
    },
  };
}
