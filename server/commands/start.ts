import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAdaptorServer } from '@hono/node-server';
import { type App, createApp } from '../app.ts';
import { createAppDeps } from '../create-app-deps.ts';
import type { DatabaseHandle } from '../db/client.ts';
import { acquireDataDirLock, type DataDirLock } from '../db/data-dir-lock.ts';
import { runMigrations } from '../db/migrate.ts';
import type { ServerEnv } from '../env.ts';
import type { Logger } from '../logger.ts';
import { readOrCreateAdminSecret, resolveSecrets } from '../secrets.ts';
import { openConfiguredDatabase } from './open-database.ts';

/** A listening server. */
export interface RunningServer {
  /** Loopback URL it listens on. */
  url: string;
  port: number;
  /** Stops accepting connections, lets in-flight requests finish, closes the database. */
  close(): Promise<void>;
}

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    // Keep-alive sockets with no request in flight would hold close() open.
    server.closeIdleConnections();
  });
}

/**
 * `specmint-server start`: takes the data dir (embedded mode), applies migrations, listens on
 * `host:port` and serves the app. Throws (never exits) on a held data dir, a port in use or bad config.
 */
export async function startServer(options: {
  env: ServerEnv;
  logger: Logger;
  port?: number;
}): Promise<RunningServer> {
  const { env, logger } = options;
  const secrets = resolveSecrets(env, logger);
  let lock: DataDirLock | undefined;
  let database: DatabaseHandle | undefined;
  let server: Server | undefined;
  try {
    if (!env.databaseUrl) lock = acquireDataDirLock(env.dataDir, 'server');
    database = await openConfiguredDatabase(env);
    await runMigrations(database);
    let app: App | undefined;
    server = createAdaptorServer({
      fetch: (request, bindings) =>
        app
          ? app.fetch(request, bindings)
          : new Response('starting', { status: 503, headers: { 'Retry-After': '1' } }),
    }) as Server;
    const port = await listen(server, options.port ?? env.port, env.host);
    const loopbackHost = env.host === '0.0.0.0' || env.host === '::' ? '127.0.0.1' : env.host;
    const url = `http://${loopbackHost.includes(':') ? `[${loopbackHost}]` : loopbackHost}:${port}`;
    const deps = await createAppDeps({
      database,
      secrets,
      baseUrl: env.baseUrl ?? `http://localhost:${port}`,
      logger,
      github: env.github,
      google: env.google,
      apiRateLimitPerMinute: env.apiRateLimitPerMinute,
      trustProxy: env.trustProxy,
      stripe: env.stripe,
      adminEmails: env.adminEmails,
      mail: env.mail,
      ...(lock ? { adminSecret: readOrCreateAdminSecret(env.dataDir) } : {}),
    });
    app = createApp(deps);
    lock?.setUrl(url);
    logger.info('specmint-server listening', { url, database: database.kind, baseUrl: deps.baseUrl });
    const handle = { server, database, lock };
    return {
      url,
      port,
      close: async () => {
        await closeServer(handle.server);
        // In-flight requests are answered only after their batch committed; nothing should be left.
        await deps.generations.drain();
        await handle.database.close();
        handle.lock?.release();
      },
    };
  } catch (error) {
    if (server?.listening) await closeServer(server);
    await database?.close();
    lock?.release();
    throw error;
  }
}
