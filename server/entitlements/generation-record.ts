import type { GenerationRecord } from '../../shared/contracts.ts';
import type { generations } from '../db/schema/generations.ts';

type GenerationRow = typeof generations.$inferSelect;

/**
 * A ledger row as the API shows it at `now`: a reservation past its expiry that no batch has swept yet
 * already reads as `expired` and not charged (what the next batch will write).
 */
export function toGenerationRecord(row: GenerationRow, now: Date = new Date()): GenerationRecord {
  const lapsed = row.status === 'issued' && row.expiresAt !== null && row.expiresAt <= now;
  return {
    id: row.id,
    specHash: row.specHash,
    specTitle: row.specTitle,
    operationCount: row.operationCount,
    formats: row.formats,
    ai: row.ai ?? null,
    cliVersion: row.cliVersion,
    charged: lapsed ? false : row.charged,
    status: lapsed ? 'expired' : row.status,
    files: row.files,
    tests: row.tests,
    durationMs: row.durationMs,
    createdAt: row.createdAt.toISOString(),
    completedAt: row.completedAt?.toISOString() ?? null,
    expiresAt: row.expiresAt?.toISOString() ?? null,
  };
}

const CSV_COLUMNS = [
  'id',
  'createdAt',
  'specTitle',
  'specHash',
  'formats',
  'charged',
  'status',
  'operationCount',
  'files',
  'tests',
  'durationMs',
  'completedAt',
  'cliVersion',
  'aiProvider',
  'aiModel',
] as const;

function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  let text = String(value);
  // Spreadsheet formula injection: a cell starting with = + - @ is shown as text.
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** RFC 4180 CSV of generation records, with a header line. */
export function toGenerationCsv(records: readonly GenerationRecord[]): string {
  const lines = [CSV_COLUMNS.join(',')];
  for (const record of records) {
    const values: Record<(typeof CSV_COLUMNS)[number], unknown> = {
      ...record,
      formats: record.formats.join(';'),
      aiProvider: record.ai?.provider,
      aiModel: record.ai?.model,
    };
    lines.push(CSV_COLUMNS.map((column) => csvCell(values[column])).join(','));
  }
  return `${lines.join('\r\n')}\r\n`;
}
