import type { Handler } from 'hono';
import { describeRoute } from 'hono-openapi';
import { GenerationListQuerySchema, GenerationListSchema, MAX_EXPORT_ROWS } from '../../shared/contracts.ts';
import type { AppDeps } from '../app-deps.ts';
import { toGenerationCsv } from '../entitlements/generation-record.ts';
import { listGenerationsForExport, listGenerationsPage } from '../entitlements/list-generations.ts';
import type { AppEnv } from '../http/principal.ts';
import { parseQuery } from '../http/validate.ts';
import { AUTH_ERRORS, error, json, queryParameters } from '../openapi/describe.ts';

/** `GET /v1/generations` in /openapi.json. */
export const describeListGenerations = describeRoute({
  operationId: 'listGenerations',
  summary: "The caller's generation history (paginated, searchable, exportable)",
  parameters: queryParameters(GenerationListQuerySchema, {
    limit: 'Page size (1–100).',
    cursor: 'nextCursor of the previous page.',
    q: 'Case-insensitive substring of the spec title.',
    outputFormat: 'Only generations that rendered this format.',
    from: 'Created at or after (ISO date or date-time).',
    to: 'Created before (a date-only value includes that day).',
    format: 'Export every match as csv or json (attachment) instead of one page.',
  }),
  responses: {
    '200': {
      description: 'One page, or with format=json|csv every match as an attachment',
      content: {
        ...json('GenerationList', GenerationListSchema, 'output'),
        'text/csv': { schema: { type: 'string' } },
      },
    },
    '400': error('VALIDATION_FAILED'),
    ...AUTH_ERRORS,
  },
});

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
