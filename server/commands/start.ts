import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAdaptorServer } from '@hono/node-server';
import { SPECMINT_VERSION } from '../../shared/version.ts';
import { createApp } from '../app.ts';
import { type CreateAppDepsOptions, createAppDeps } from '../create-app-deps.ts';
import type { DatabaseHandle } from '../db/client.ts';
import { acquireDataDirLock, type DataDirLock } from '../db/data-dir-lock.ts';
import { findMigrationsFolder, runMigrations } from '../db/migrate.ts';
import {
  defaultTemplateCacheDir,
  isFreshPgdata,
  type PgliteTemplate,
  saveTemplate,
  seedFromTemplate,
  templateKey,
} from '../db/pglite-template.ts';
import type { ServerEnv } from '../env.ts';
import type { App } from '../http/principal.ts';
import type { RateStore } from '../http/rate-store.ts';
import { createRedisRateStore } from '../http/redis-rate-store.ts';
import type { Logger } from '../logger.ts';
import { createMetrics } from '../metrics/metrics.ts';
import { createMetricsApp } from '../metrics/metrics-app.ts';
import { startErrorReports } from '../observability/error-reports.ts';
import { readOrCreateAdminSecret, resolveSecrets } from '../secrets.ts';
import { openConfiguredDatabase, pgliteDir } from './open-database.ts';

/** A listening server. */
export interface RunningServer {
  /** Loopback URL it listens on. */
  url: string;
  /** Public URL (pages, cookies): SPECMINT_BASE_URL, or http://localhost:PORT. */
  baseUrl: string;
  port: number;
  /** Stops accepting connections, lets in-flight requests finish, closes the database. */
  close(): Promise<void>;
}

/**
 * Where start-up time goes, for the `listening` log line and `npm run bench:start`: `boot` is the process
 * until `start` began (Node and module loading), then each phase in order, in milliseconds.
 */
function startPhases() {
  const times: Record<string, number> = { boot: Math.round(performance.now()) };
  let last = performance.now();
  return {
    mark(phase: string) {
      const now = performance.now();
      times[phase] = Math.round(now - last);
      last = now;
    },
    done: () => ({ ...times, total: Math.round(performance.now()) }),
  };
}

function resolveTemplate(option: PgliteTemplate | false | undefined): PgliteTemplate | undefined {
  if (option === false) return undefined;
  return option ?? { cacheDir: defaultTemplateCacheDir(), key: templateKey(findMigrationsFolder()) };
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

/** The test-only device-flow timings of `env` (SPECMINT_TEST_DEVICE_*) as app options. */
function deviceFlowOptions(
  env: ServerEnv,
): Pick<CreateAppDepsOptions, 'deviceCodeTtl' | 'devicePollInterval'> {
  const { codeTtlSeconds, pollIntervalSeconds } = env.deviceFlowTest;
  return {
    ...(codeTtlSeconds !== undefined ? { deviceCodeTtl: `${codeTtlSeconds}s` as const } : {}),
    ...(pollIntervalSeconds !== undefined ? { devicePollInterval: `${pollIntervalSeconds}s` as const } : {}),
  };
}

/**
 * `specmint-server start`: takes the data dir (embedded mode), applies migrations, listens on
 * `host:port` and serves the app. Throws (never exits) on a held data dir, a port in use or bad config.
 */
export async function startServer(options: {
  env: ServerEnv;
  logger: Logger;
  port?: number;
  /**
   * Where fresh embedded data dirs are copied from (see server/db/pglite-template.ts); `false` runs
   * initdb every time. @default the user's cache dir, keyed by PGlite version and migrations
   */
  pgliteTemplate?: PgliteTemplate | false;
}): Promise<RunningServer> {
  const { env, logger } = options;
  const phases = startPhases();
  const secrets = resolveSecrets(env, logger);
  phases.mark('secrets');
  let lock: DataDirLock | undefined;
  let database: DatabaseHandle | undefined;
  let server: Server | undefined;
  let metricsServer: Server | undefined;
  let rateStore: RateStore | undefined;
  try {
    if (!env.databaseUrl) lock = acquireDataDirLock(env.dataDir, 'server');
    const template = env.databaseUrl ? undefined : resolveTemplate(options.pgliteTemplate);
    const pgdata = pgliteDir(env.dataDir);
    const fresh = template !== undefined && isFreshPgdata(pgdata);
    const seeded = fresh && seedFromTemplate(pgdata, template);
    database = await openConfiguredDatabase(env);
    phases.mark('database');
    await runMigrations(database);
    phases.mark('migrations');
    if (fresh && !seeded) {
      // The first fresh data dir on this machine: keep it (closed cleanly) for the next ones.
      await database.close();
      const saved = saveTemplate(pgdata, template);
      database = await openConfiguredDatabase(env);
      phases.mark('template');
      if (saved)
        logger.info('kept a copy of the new embedded database to start fresh data dirs faster', {
          cache: template.cacheDir,
        });
    }
    let app: App | undefined;
    server = createAdaptorServer({
      fetch: (request, bindings) =>
        app
          ? app.fetch(request, bindings)
          : new Response('starting', { status: 503, headers: { 'Retry-After': '1' } }),
    }) as Server;
    const port = await listen(server, options.port ?? env.port, env.host);
    phases.mark('listen');
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
      ...deviceFlowOptions(env),
      metrics,
      metricsToken: env.metrics.token,
      errorReporter,
      ...(rateStore ? { rateStore } : {}),
      mail: env.mail,
      ...(lock ? { adminSecret: readOrCreateAdminSecret(env.dataDir) } : {}),
    });
    phases.mark('services');
    app = createApp(deps);
    phases.mark('routes');
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
      startupMs: phases.done(),
    });
    const handle = { server, database, lock, metricsServer };
    return {
      url,
      baseUrl: deps.baseUrl,
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
