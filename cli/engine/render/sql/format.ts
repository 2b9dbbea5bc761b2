/** The `sql` format's facts (see ../format-module.ts). */
import type { FormatInfo } from '../format-module.ts';

/** SQL dialects of the `sql` format. */
export const SQL_DIALECTS = ['postgres', 'mysql', 'sqlite'] as const;
export type SqlDialect = (typeof SQL_DIALECTS)[number];

export const sqlFormat = {
  format: 'sql',
  description: 'SQL test data: CREATE TABLE per object schema and INSERTs (PostgreSQL, MySQL, SQLite)',
  sampleData: true,
  options: [
    {
      key: 'sqlDialect',
      flag: 'sql-dialect',
      valueName: 'dialect',
      values: SQL_DIALECTS,
      default: 'postgres',
      description: 'dialect of the sql format',
    },
  ],
  checks: SQL_DIALECTS.map((dialect) => ({
    name: `sql:${dialect}`,
    kind: 'sql' as const,
    options: { sqlDialect: dialect },
  })),
} as const satisfies FormatInfo;
