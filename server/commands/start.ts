import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAdaptorServer } from '@hono/node-server';
import { SPECMINT_VERSION } from '../../shared/version.ts';
import { type App, createApp } from '../app.ts';
import { createAppDeps } from '../create-app-deps.ts';
import type { DatabaseHandle } from '../db/client.ts';
import { acquireDataDirLock, type DataDirLock } from '../db/data-dir-lock.ts';
import { runMigrations } from '../db/migrate.ts';
import type { ServerEnv } from '../env.ts';
import type { RateStore } from '../http/rate-store.ts';
import { createRedisRateStore } from '../http/redis-rate-store.ts';
import type { Logger } from '../logger.ts';
import { createMetrics } from '../metrics/metrics.ts';
import { createMetricsApp } from '../metrics/metrics-app.ts';
import { startErrorReports } from '../observability/error-reports.ts';
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

/** The host part of a loopback URL for a listener on `host`. */
function hostForUrl(host: string): string {
  const loopback = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  return loopback.includes(':') ? `[${loopback}]` : loopback;
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
  let metricsServer: Server | undefined;
  let rateStore: RateStore | undefined;
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
    const url = `http://${hostForUrl(env.host)}:${port}`;
    const metrics = createMetrics({
      processMetrics: env.metrics.token !== undefined || env.metrics.port !== undefined,
    });
    if (env.redisUrl) rateStore = createRedisRateStore({ url: env.redisUrl, logger });
    const errorReporter = env.sentryDsn
      ? await startErrorReports({
          dsn: env.sentryDsn,
          environment: env.production ? 'production' : 'development',
          release: `specmint-server@${SPECMINT_VERSION}`,
          logger,
        })
      : undefined;
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
      metrics,
      metricsToken: env.metrics.token,
      errorReporter,
      ...(rateStore ? { rateStore } : {}),
      ...(lock ? { adminSecret: readOrCreateAdminSecret(env.dataDir) } : {}),
    });
    app = createApp(deps);
    if (env.metrics.port !== undefined) {
      metricsServer = createAdaptorServer({
        fetch: createMetricsApp(metrics, env.metrics.token).fetch,
      }) as Server;
      const metricsPort = await listen(metricsServer, env.metrics.port, env.host);
      logger.info('metrics listening', { url: `http://${hostForUrl(env.host)}:${metricsPort}/metrics` });
    }
    lock?.setUrl(url);
    logger.info('specmint-server listening', {
      url,
      database: database.kind,
      baseUrl: deps.baseUrl,
      rateLimits: deps.rateStore.kind,
    });
    const handle = { server, database, lock, metricsServer };
    return {
      url,
      port,
      close: async () => {
        await closeServer(handle.server);
        if (handle.metricsServer) await closeServer(handle.metricsServer);
        // In-flight requests are answered only after their batch committed; nothing should be left.
        await deps.generations.drain();
        await deps.ciTokens.close();
        await deps.rateStore.close();
        await errorReporter?.flush(2000);
        await handle.database.close();
        handle.lock?.release();
      },
    };
  } catch (error) {
    if (server?.listening) await closeServer(server);
    if (metricsServer?.listening) await closeServer(metricsServer);
    await rateStore?.close();
    await database?.close();
    lock?.release();
    throw error;
  }
}
