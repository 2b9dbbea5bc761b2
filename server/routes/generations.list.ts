import type { Handler } from 'hono';
import { GenerationListQuerySchema, MAX_EXPORT_ROWS } from '../../shared/contracts.ts';
import type { AppDeps } from '../app-deps.ts';
import { toGenerationCsv } from '../entitlements/generation-record.ts';
import { listGenerationsForExport, listGenerationsPage } from '../entitlements/list-generations.ts';
import type { AppEnv } from '../http/principal.ts';
import { parseQuery } from '../http/validate.ts';

/**
 * `GET /v1/generations`: the caller's history (only their rows). Paginated with `limit`/`cursor`;
 * filtered by `q` (spec title), `outputFormat`, `from`/`to`; `format=csv|json` downloads every match.
 */
export function listGenerations(deps: Pick<AppDeps, 'database' | 'clock'>): Handler<AppEnv> {
  return async (c) => {
    const { userId } = c.get('principal');
    const query = parseQuery(c, GenerationListQuerySchema);
    c.header('Cache-Control', 'no-store');
    const now = deps.clock();
    if (!query.format) return c.json(await listGenerationsPage(deps.database.db, userId, query, now));
    const records = await listGenerationsForExport(deps.database.db, userId, query, MAX_EXPORT_ROWS, now);
    const stamp = now.toISOString().slice(0, 10);
    c.header('Content-Disposition', `attachment; filename="specmint-generations-${stamp}.${query.format}"`);
    if (query.format === 'json') return c.json({ items: records });
    c.header('Content-Type', 'text/csv; charset=utf-8');
    return c.body(toGenerationCsv(records));
  };
}
