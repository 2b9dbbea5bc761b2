/**
 * The `sql` format: the plan's synthesised sample data as SQL for PostgreSQL, MySQL or SQLite
 * (`--sql-dialect`): `schema.sql` with a CREATE TABLE per object schema, `data.sql` with INSERTs in one
 * transaction, and a README with the load commands.
 */
import type { PlanDiagnostic, TestPlan } from '../../plan/types.ts';
import { commentLines, headerText, uniqueNamer } from '../common/case-support.ts';
import type { FormatModule } from '../format-module.ts';
import type { RenderOptions, RenderResult } from '../types.ts';
import { type Column, tableColumns } from './columns.ts';
import {
  booleanLiteral,
  columnType,
  DIALECT_NAMES,
  fitIdentifier,
  INNODB_MAX_ROW_BYTES,
  innodbInlineBytes,
  MYSQL_MAX_ROW_BYTES,
  mysqlRowBytes,
  quoteIdentifier,
  quoteString,
  type SqlDialect,
  transaction,
  wellFormed,
} from './dialects.ts';
import { SQL_DIALECTS, sqlFormat } from './format.ts';

interface Table {
  schema: string;
  name: string;
  columns: Array<Column & { name: string }>;
  rows: Array<Record<string, unknown>>;
}

function mysqlDateTime(value: string): string {
  // MySQL DATETIME has no time zone: store the instant in UTC, e.g. '2024-05-06 05:08:09.123000'.
  const iso = new Date(Date.parse(value)).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 23)}000`;
}

interface ValueContext {
  dialect: SqlDialect;
  column: Column;
  onNul: () => void;
}

/**
 * JSON with strings every dialect can store: lone surrogates become U+FFFD (PostgreSQL jsonb rejects their
 * `\udXXX` escapes) and, for PostgreSQL, NUL too (jsonb rejects `\u0000`).
 */
function storableJson(value: unknown, context: ValueContext): unknown {
  if (typeof value === 'string') {
    const clean = wellFormed(value);
    if (context.dialect !== 'postgres' || !clean.includes('\0')) return clean;
    context.onNul();
    return clean.replace(/\0/g, '\uFFFD');
  }
  if (Array.isArray(value)) return value.map((item) => storableJson(item, context));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [
        storableJson(key, context) as string,
        storableJson(item, context),
      ]),
    );
  }
  return value;
}

// In JSON text, a surrogate or NUL shows as a raw surrogate unit (a pair) or as the escape JSON.stringify
// writes for a lone surrogate or NUL (`\ud800`, `\u0000`).
const SURROGATE_UNIT = /[\ud800-\udfff]/;
const ESCAPED_SURROGATE_OR_NUL = /\\u(?:d[89a-f]|0000)/;

/**
 * Whether a value whose JSON text is `json` may need {@link storableJson}: most values do not, and are written
 * without a copy. A false alarm (a literal backslash followed by such text) only costs a copy: cleaning a
 * value that needs none changes nothing.
 */
function mayNeedCleaning(json: string): boolean {
  return SURROGATE_UNIT.test(json) || ESCAPED_SURROGATE_OR_NUL.test(json);
}

function literal(value: unknown, context: ValueContext): string {
  const { dialect, column } = context;
  if (value === undefined || value === null) return 'NULL';
  const text = (raw: string) => {
    const quoted = quoteString(raw, dialect);
    if (quoted.replacedNul) context.onNul();
    return quoted.sql;
  };
  switch (column.kind) {
    case 'integer':
    case 'number':
      return String(value);
    case 'boolean':
      return booleanLiteral(value === true, dialect);
    case 'json': {
      const json = JSON.stringify(value);
      return text(mayNeedCleaning(json) ? JSON.stringify(storableJson(value, context)) : json);
    }
    case 'date-time':
      return text(dialect === 'mysql' ? mysqlDateTime(String(value)) : String(value));
    default:
      return text(String(value));
  }
}

/**
 * The column types of a table. MySQL: when the VARCHARs sized from `maxLength` would make the row larger
 * than MySQL allows, the widest of them (never the primary key) become TEXT until the row fits.
 */
function columnTypes(table: Table, dialect: SqlDialect): string[] {
  const types = table.columns.map((column) =>
    columnType({ kind: column.kind, dialect, maxLength: column.maxLength, primaryKey: column.primaryKey }),
  );
  if (dialect !== 'mysql') return types;
  // One null-flag bit per column on top of the column sizes.
  let bytes = Math.ceil(types.length / 8) + types.reduce((sum, type) => sum + mysqlRowBytes(type), 0);
  const shrinkable = types
    .map((type, index) => ({ index, bytes: mysqlRowBytes(type) }))
    .filter(({ index }) => types[index]!.startsWith('VARCHAR') && !table.columns[index]!.primaryKey)
    .sort((a, b) => b.bytes - a.bytes || a.index - b.index);
  for (const column of shrinkable) {
    if (bytes <= MYSQL_MAX_ROW_BYTES) break;
    bytes -= column.bytes - mysqlRowBytes('TEXT');
    types[column.index] = 'TEXT';
  }
  return types;
}

function createTable(table: Table, dialect: SqlDialect): string {
  const types = columnTypes(table, dialect);
  const lines = table.columns.map((column, index) => {
    const type = types[index]!;
    const constraint = column.primaryKey ? ' PRIMARY KEY' : column.nullable ? '' : ' NOT NULL';
    return `  ${quoteIdentifier(column.name, dialect)} ${type}${constraint}`;
  });
  let suffix = dialect === 'mysql' ? ' DEFAULT CHARSET=utf8mb4' : '';
  let note = '';
  if (dialect === 'mysql') {
    const inline = types.reduce((sum, type) => sum + innodbInlineBytes(type), Math.ceil(types.length / 8));
    if (inline > INNODB_MAX_ROW_BYTES) {
      // Too wide for an InnoDB page even with every long value off-page: MyISAM has no such limit.
      suffix = ` ENGINE=MyISAM${suffix}`;
      note = `-- ${types.length} columns are too many for InnoDB's row size limit; this table uses MyISAM.\n`;
    }
  }
  return `${note}CREATE TABLE ${quoteIdentifier(table.name, dialect)} (\n${lines.join(',\n')}\n)${suffix};`;
}

function readme(plan: TestPlan, header: string, dialect: SqlDialect, tables: Table[]): string {
  const load: Record<SqlDialect, string> = {
    postgres: 'psql "$DATABASE_URL" -v ON_ERROR_STOP=1 -f schema.sql -f data.sql',
    mysql:
      'mysql --default-character-set=utf8mb4 "$DATABASE" < schema.sql && mysql --default-character-set=utf8mb4 "$DATABASE" < data.sql',
    sqlite: 'sqlite3 test-data.db < schema.sql && sqlite3 test-data.db < data.sql',
  };
  const notes: Record<SqlDialect, string> = {
    postgres: 'Strings use standard quoting (`standard_conforming_strings = on`, the default since 9.1).',
    mysql:
      'Strings use backslash escapes: load with the default `sql_mode` (without `NO_BACKSLASH_ESCAPES`).',
    sqlite: 'Booleans are stored as 0/1; dates, UUIDs and JSON as text.',
  };
  const rows = tables.map((table) => `| \`${table.name}\` | ${table.schema} | ${table.rows.length} |`);
  return `<!-- ${header.replace(/--/g, '- -')} -->
# ${plan.api.title} ${plan.api.version} — SQL test data (${DIALECT_NAMES[dialect]})

Valid synthesised records for every object schema of the API (seed ${plan.seed}).
\`schema.sql\` creates one table per schema; \`data.sql\` inserts the rows in one transaction.
${notes[dialect]}

| Table | Schema | Rows |
|---|---|---|
${rows.join('\n')}

## Load

Into an empty database (the tables must not exist yet):

\`\`\`sh
${load[dialect]}
\`\`\`
`;
}

/** The dialect asked for in `formatOptions.sqlDialect` (the format's default when none is). */
function sqlDialectOf(options: RenderOptions): SqlDialect {
  const asked = options.formatOptions?.sqlDialect;
  const known = SQL_DIALECTS.find((dialect) => dialect === asked);
  if (asked !== undefined && !known) throw new Error(`unknown SQL dialect "${asked}"`);
  return known ?? 'postgres';
}

/** Renders the plan's sample data as SQL. Pure: same plan and options → same files. */
export function renderSql(plan: TestPlan, options: RenderOptions): RenderResult {
  const dialect = sqlDialectOf(options);
  const header = headerText(options);
  const diagnostics: PlanDiagnostic[] = plan.cases.map((testCase) => ({
    severity: 'info',
    code: 'CASE_NOT_RENDERED',
    message: `${testCase.id} not rendered: the sql format writes sample data, not test cases`,
    operationId: testCase.operationId,
  }));
  const tableName = uniqueNamer();
  const tables: Table[] = [];
  for (const { schema, rows } of plan.sampleData) {
    const objects = rows.filter((row) => row !== null && typeof row === 'object' && !Array.isArray(row));
    const columns = tableColumns(plan.schemas, plan.schemas[schema], objects);
    if (columns.length === 0) {
      diagnostics.push({
        severity: 'info',
        code: 'SQL_NO_COLUMNS',
        message: `schema ${schema} has no properties: no table`,
      });
      continue;
    }
    const columnName = uniqueNamer();
    tables.push({
      schema,
      name: tableName(fitIdentifier(schema, dialect)),
      columns: columns.map((column) => ({
        ...column,
        name: columnName(fitIdentifier(column.property, dialect)),
      })),
      rows: objects,
    });
  }
  const comment = commentLines(header, '--');
  const about = `-- ${DIALECT_NAMES[dialect]} · sample data of ${plan.api.title} ${plan.api.version}`.replace(
    /[\r\n]+/g,
    ' ',
  );
  const schemaSql = [comment, about, '', ...tables.map((table) => `${createTable(table, dialect)}\n`)].join(
    '\n',
  );
  const { begin, commit } = transaction(dialect);
  const data: string[] = [comment, about, ''];
  if (dialect === 'mysql') data.push('SET NAMES utf8mb4;');
  data.push(begin);
  for (const table of tables) {
    if (table.rows.length === 0) continue;
    const columnList = table.columns.map((column) => quoteIdentifier(column.name, dialect)).join(', ');
    const insertInto = `INSERT INTO ${quoteIdentifier(table.name, dialect)}`;
    data.push('', `-- ${table.schema}`.replace(/[\r\n]+/g, ' '));
    for (const [index, row] of table.rows.entries()) {
      let reported = false;
      const onNul = () => {
        if (reported) return;
        reported = true;
        diagnostics.push({
          severity: 'warning',
          code: 'SQL_NUL_REPLACED',
          message: `${table.schema} row ${index + 1}: NUL characters replaced with U+FFFD (${DIALECT_NAMES[dialect]} text cannot hold them)`,
        });
      };
      const values = table.columns.map((column) => literal(row[column.property], { dialect, column, onNul }));
      data.push(`${insertInto} (${columnList}) VALUES (${values.join(', ')});`);
    }
  }
  data.push('', commit, '');
  return {
    files: [
      { path: 'README.md', contents: readme(plan, header, dialect, tables) },
      { path: 'schema.sql', contents: schemaSql },
      { path: 'data.sql', contents: data.join('\n') },
    ],
    renderedCaseIds: [],
    diagnostics,
  };
}

/** The SQL format (registered in ../registry.ts). */
export const sqlRenderer: FormatModule = { ...sqlFormat, render: renderSql };
