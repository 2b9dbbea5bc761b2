import { EventEmitter } from 'node:events';
import { mkdirSync } from 'node:fs';
import { sql } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import * as schema from './schema/index.ts';

/** The drizzle database, whichever driver is underneath. */
export type Database = PgDatabase<PgQueryResultHKT, typeof schema>;

/** Runs one parameterised statement (`$1`, `$2`…) and returns its rows. */
export type QueryFn = <T>(text: string, params: readonly unknown[]) => Promise<T[]>;

/** A transaction on one connection, given to {@link DatabaseHandle.transaction}'s work function. */
export interface Transaction {
  /**
   * Runs a statement inside the transaction. On PostgreSQL, statements issued without awaiting the
   * previous one are pipelined (sent together, answered in order: one round trip).
   */
  query: QueryFn;
  /**
   * Runs a last statement and commits, pipelined with it on PostgreSQL (one round trip for both). It must
   * be the work function's last database call; the transaction is over once it resolves.
   */
  queryAndCommit: QueryFn;
}

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
  /**
   * Runs `work` in one READ COMMITTED transaction on one connection: committed when `work` resolves
   * (or by {@link Transaction.queryAndCommit}), rolled back when it throws. BEGIN is pipelined with the
   * first statements, so a transaction of "read, decide in JS, write and commit" costs two round trips.
   */
  transaction<T>(work: (tx: Transaction) => Promise<T>): Promise<T>;
  /** Resolves when a trivial query succeeds; rejects when the database is unreachable. */
  ping(): Promise<void>;
  /**
   * Receives the notifications sent on `channel` by every process on this database (PostgreSQL
   * LISTEN on a dedicated connection, re-established after a drop); in-process on PGlite, which one
   * process owns. `onListen` runs each time the listener (re)connects — notifications sent while it was
   * away are lost, so the caller should drop what it cached.
   */
  listen(
    channel: string,
    onMessage: (payload: string) => void,
    onListen?: () => void,
  ): Promise<() => Promise<void>>;
  /** Sends `payload` to every listener of `channel` (PostgreSQL NOTIFY; in-process on PGlite). */
  notify(channel: string, payload: string): Promise<void>;
  /** Most connections the pool opens (1 for PGlite). */
  poolMax: number;
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

/**
 * {@link DatabaseHandle.transaction} on postgres.js: a reserved connection on which BEGIN, the statements
 * and COMMIT are queued without waiting for each other (postgres.js pipelines queued queries).
 */
async function postgresTransaction<T>(
  client: postgres.Sql,
  work: (tx: Transaction) => Promise<T>,
): Promise<T> {
  const connection = await client.reserve();
  // postgres.js types its parameters loosely; values here are plain JSON-able scalars.
  const run = (text: string, params: readonly unknown[] = []) =>
    connection.unsafe(text, params as postgres.ParameterOrJSON<never>[], { prepare: true }).execute();
  // Queries run when executed, in that order; BEGIN goes out with the first statements of `work`.
  const begin = run('begin');
  begin.catch(() => {}); // awaited below; a failure must not count as unhandled meanwhile
  let ended = false;
  /** Waits for every pipelined query in `queries` (so none rejects unobserved), then for the first. */
  const settle = async <R>(...queries: Promise<unknown>[]): Promise<R[]> => {
    const results = await Promise.allSettled(queries);
    const failed = results.find((result) => result.status === 'rejected');
    if (failed) throw failed.reason;
    return (results[0] as PromiseFulfilledResult<unknown>).value as R[];
  };
  const query = <R>(text: string, params: readonly unknown[]) => settle<R>(run(text, params), begin);
  try {
    const result = await work({
      query,
      queryAndCommit: <R>(text: string, params: readonly unknown[]) => {
        const rows = run(text, params);
        // COMMIT after a failed statement ends the transaction as a rollback: either way it is over.
        ended = true;
        return settle<R>(rows, begin, run('commit'));
      },
    });
    if (!ended) {
      ended = true;
      await run('commit');
    }
    return result;
  } catch (error) {
    await begin.catch(() => {});
    if (!ended) await run('rollback').catch(() => {});
    throw error;
  } finally {
    connection.release();
  }
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
    poolMax: options.max ?? 10,
    listen: async (channel, onMessage, onListen) => {
      const listening = await client.listen(channel, onMessage, onListen);
      return () => listening.unlisten();
    },
    notify: async (channel, payload) => {
      await client.notify(channel, payload);
    },
    // postgres.js types its parameters loosely; values here are plain JSON-able scalars.
    query: async <T>(text: string, params: readonly unknown[]) =>
      (await client.unsafe(text, params as postgres.ParameterOrJSON<never>[], {
        prepare: true,
      })) as unknown as T[],
    transaction: (work) => postgresTransaction(client, work),
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
  // One process owns a PGlite database, so its notifications never need to leave the process.
  const channels = new EventEmitter();
  channels.setMaxListeners(0);
  return {
    db,
    kind: 'pglite',
    poolMax: 1,
    listen: async (channel, onMessage, onListen) => {
      channels.on(channel, onMessage);
      onListen?.();
      return async () => {
        channels.off(channel, onMessage);
      };
    },
    notify: async (channel, payload) => {
      channels.emit(channel, payload);
    },
    query: async <T>(text: string, params: readonly unknown[]) =>
      (await client.query<T>(text, params as unknown[])).rows,
    // PGlite runs one statement at a time on its single connection; a transaction holds it exclusively.
    transaction: (work) =>
      client.transaction((tx) => {
        const query = async <T>(text: string, params: readonly unknown[]) =>
          (await tx.query<T>(text, params as unknown[])).rows;
        return work({ query, queryAndCommit: query });
      }),
    ping: async () => {
      await db.execute(sql`select 1`);
    },
    close: async () => {
      if (!client.closed) await client.close();
    },
  };
}
