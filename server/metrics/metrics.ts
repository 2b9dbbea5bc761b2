import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

/** The server's Prometheus metrics (names are part of the operator interface: docs/self-hosting.md). */
export interface Metrics {
  registry: Registry;
  /** `specmint_http_requests_total{method,route,status}`: route is the pattern (`/v1/tokens/:id`). */
  httpRequests: Counter<'method' | 'route' | 'status'>;
  /** `specmint_http_request_duration_seconds{method,route}`. */
  httpDuration: Histogram<'method' | 'route'>;
  /** `specmint_generations_total{outcome,reason,plan}`: granted (charged, free_rerun, replayed) or refused. */
  generations: Counter<'outcome' | 'reason' | 'plan'>;
  /** `specmint_rate_limit_hits_total{limiter}`: requests answered 429. */
  rateLimitHits: Counter<'limiter'>;
  /** `specmint_webhook_events_total{outcome}`: Stripe webhooks by outcome (applied, duplicate, rejected, …). */
  webhooks: Counter<'outcome'>;
  /** `specmint_db_query_duration_seconds{operation}`: statements and transactions through the handle. */
  dbDuration: Histogram<'operation'>;
  /** `specmint_db_operations_in_flight`: compare with `specmint_db_pool_max` for pool saturation. */
  dbInFlight: Gauge;
  /** `specmint_db_pool_max`: connections the pool may open (1 for PGlite). */
  dbPoolMax: Gauge;
}

/** Options of {@link createMetrics}. */
export interface MetricsOptions {
  /**
   * Also collect Node's process metrics (`process_cpu_seconds_total`, `nodejs_eventloop_lag_seconds`,
   * heap, GC…). Only the running server does: each collector keeps a timer and an event-loop monitor.
   * @default false
   */
  processMetrics?: boolean;
}

const LATENCY_BUCKETS = [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

/** A registry of its own per app (tests build many apps in one process). */
export function createMetrics(options: MetricsOptions = {}): Metrics {
  const registry = new Registry();
  if (options.processMetrics) collectDefaultMetrics({ register: registry, eventLoopMonitoringPrecision: 20 });
  const registers = [registry];
  return {
    registry,
    httpRequests: new Counter({
      name: 'specmint_http_requests_total',
      help: 'HTTP requests by method, route pattern and status.',
      labelNames: ['method', 'route', 'status'],
      registers,
    }),
    httpDuration: new Histogram({
      name: 'specmint_http_request_duration_seconds',
      help: 'Time from request to response, by method and route pattern.',
      labelNames: ['method', 'route'],
      buckets: LATENCY_BUCKETS,
      registers,
    }),
    generations: new Counter({
      name: 'specmint_generations_total',
      help: 'POST /v1/generations decisions: granted (charged, free_rerun, replayed) or refused (by error code).',
      labelNames: ['outcome', 'reason', 'plan'],
      registers,
    }),
    rateLimitHits: new Counter({
      name: 'specmint_rate_limit_hits_total',
      help: 'Requests refused with 429, by limiter.',
      labelNames: ['limiter'],
      registers,
    }),
    webhooks: new Counter({
      name: 'specmint_webhook_events_total',
      help: 'Stripe webhook deliveries by outcome.',
      labelNames: ['outcome'],
      registers,
    }),
    dbDuration: new Histogram({
      name: 'specmint_db_query_duration_seconds',
      help: 'Database statements and transactions issued through the handle, including the wait for a connection.',
      labelNames: ['operation'],
      buckets: LATENCY_BUCKETS,
      registers,
    }),
    dbInFlight: new Gauge({
      name: 'specmint_db_operations_in_flight',
      help: 'Database statements and transactions running or waiting for a connection.',
      registers,
    }),
    dbPoolMax: new Gauge({
      name: 'specmint_db_pool_max',
      help: 'Connections the database pool may open.',
      registers,
    }),
  };
}
