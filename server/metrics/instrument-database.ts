import type { DatabaseHandle } from '../db/client.ts';
import type { Metrics } from './metrics.ts';

/**
 * The same handle, with its statements and transactions timed into `specmint_db_query_duration_seconds`
 * and counted in `specmint_db_operations_in_flight` (time waiting for a pool connection included, so a
 * saturated pool shows as latency and as in-flight ≥ `specmint_db_pool_max`). drizzle queries on `db`
 * are not wrapped: the hot paths (usage ledger, rate limits, readiness) go through the handle.
 */
export function instrumentDatabase(handle: DatabaseHandle, metrics: Metrics): DatabaseHandle {
  metrics.dbPoolMax.set(handle.poolMax);
  const timed = async <T>(operation: string, run: () => Promise<T>): Promise<T> => {
    const stop = metrics.dbDuration.startTimer({ operation });
    metrics.dbInFlight.inc();
    try {
      return await run();
    } finally {
      metrics.dbInFlight.dec();
      stop();
    }
  };
  return {
    ...handle,
    query: (text, params) => timed('query', () => handle.query(text, params)),
    transaction: (work) => timed('transaction', () => handle.transaction(work)),
    ping: () => timed('ping', () => handle.ping()),
  };
}
