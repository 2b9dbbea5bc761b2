import { and, desc, eq, gte, ilike, lt, or, type SQL, sql } from 'drizzle-orm';
import type { GenerationListQuery, GenerationRecord } from '../../shared/contracts.ts';
import type { Database } from '../db/client.ts';
import { generations } from '../db/schema/generations.ts';
import { ApiError } from '../http/api-error.ts';
import { toGenerationRecord } from './generation-record.ts';

interface Cursor {
  createdAt: Date;
  id: string;
}

/** Opaque keyset cursor: the last row's `(created_at, id)`. */
export function encodeCursor(record: GenerationRecord): string {
  return Buffer.from(JSON.stringify([record.createdAt, record.id])).toString('base64url');
}

function decodeCursor(cursor: string): Cursor {
  try {
    const [createdAt, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[];
    const date = new Date(String(createdAt));
    if (typeof id !== 'string' || !/^[0-9a-f-]{36}$/i.test(id) || Number.isNaN(date.getTime()))
      throw new Error();
    return { createdAt: date, id };
  } catch {
    throw new ApiError(
      'VALIDATION_FAILED',
      'Invalid cursor: pass the nextCursor of the previous page unchanged.',
    );
  }
}

/** `from`/`to` bounds: a date-only `to` includes that whole day. */
function bound(value: string, endOfDay: boolean): Date {
  const date = new Date(value);
  if (endOfDay && /^\d{4}-\d{2}-\d{2}$/.test(value)) date.setUTCDate(date.getUTCDate() + 1);
  return date;
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (char) => `\\${char}`);
}

function filters(userId: string, query: GenerationListQuery): SQL[] {
  const where: SQL[] = [eq(generations.userId, userId)];
  if (query.q) where.push(ilike(generations.specTitle, `%${escapeLike(query.q)}%`));
  if (query.outputFormat) {
    where.push(sql`${generations.formats} @> ${JSON.stringify([query.outputFormat])}::jsonb`);
  }
  if (query.from) where.push(gte(generations.createdAt, bound(query.from, false)));
  if (query.to) where.push(lt(generations.createdAt, bound(query.to, true)));
  return where;
}

/** One page of the caller's history, newest first, plus the cursor of the next page (as at `now`). */
export async function listGenerationsPage(
  db: Database,
  userId: string,
  query: GenerationListQuery,
  now: Date = new Date(),
): Promise<{ items: GenerationRecord[]; nextCursor: string | null }> {
  const where = filters(userId, query);
  if (query.cursor) {
    const cursor = decodeCursor(query.cursor);
    where.push(
      or(
        lt(generations.createdAt, cursor.createdAt),
        and(eq(generations.createdAt, cursor.createdAt), lt(generations.id, cursor.id)),
      )!,
    );
  }
  const rows = await db
    .select()
    .from(generations)
    .where(and(...where))
    .orderBy(desc(generations.createdAt), desc(generations.id))
    .limit(query.limit + 1);
  const items = rows.slice(0, query.limit).map((row) => toGenerationRecord(row, now));
  const last = items.at(-1);
  return { items, nextCursor: rows.length > query.limit && last ? encodeCursor(last) : null };
}

/** Every matching row (newest first, at most `max`) for CSV/JSON export. */
export async function listGenerationsForExport(
  db: Database,
  userId: string,
  query: GenerationListQuery,
  max: number,
  now: Date = new Date(),
): Promise<GenerationRecord[]> {
  const rows = await db
    .select()
    .from(generations)
    .where(and(...filters(userId, query)))
    .orderBy(desc(generations.createdAt), desc(generations.id))
    .limit(max);
  return rows.map((row) => toGenerationRecord(row, now));
}
