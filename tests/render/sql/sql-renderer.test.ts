/**
 * The SQL renderer: escaping, identifiers and type mapping per dialect (table-driven), column inference,
 * the renderer contract, and loading the output into PGlite and the sqlite3 CLI with every value read back.
 * Real PostgreSQL is tests/e2e/sql-load.test.ts.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { describe, expect, test } from 'vitest';
import { joinText } from '../../../cli/engine/render/common/file-text.ts';
import { tableColumns } from '../../../cli/engine/render/sql/columns.ts';
import {
  type ColumnKind,
  columnType,
  fitIdentifier,
  quoteIdentifier,
  quoteString,
  type SqlDialect,
} from '../../../cli/engine/render/sql/dialects.ts';
import { sqlRenderer } from '../../../cli/engine/render/sql/index.ts';
import { ODD_STRINGS, OTHER_ODD_PLAN, OTHER_PETSTORE_PLAN } from '../../fixtures/plans/other-odd-plan.ts';
import { TMP_ROOT, writeFiles } from '../pytest/write-files.ts';
import { storedText } from './stored-text.ts';

const render = (dialect: SqlDialect) =>
  sqlRenderer.render(OTHER_ODD_PLAN, { generatorVersion: '9.9.9', formatOptions: { sqlDialect: dialect } });
const file = (dialect: SqlDialect, path: string) =>
  joinText(render(dialect).files.find((f) => f.path === path)!.contents);

describe('quoteString', () => {
  test.each<[SqlDialect, string, string]>([
    ['postgres', "it's", "'it''s'"],
    ['postgres', 'back\\slash', "'back\\slash'"],
    ['postgres', 'a\nb', "E'a\\nb'"],
    ['postgres', "a\n'\\", "E'a\\n\\'\\\\'"],
    ['postgres', 'nul\0', "'nul\uFFFD'"],
    ['postgres', 'ü🐶', "'ü🐶'"],
    ['mysql', "it's", "'it\\'s'"],
    ['mysql', 'back\\slash', "'back\\\\slash'"],
    ['mysql', 'a\nb\r\t\0\x1a', "'a\\nb\\r\\t\\0\\Z'"],
    ['mysql', 'ü🐶', "'ü🐶'"],
    ['sqlite', "it's", "'it''s'"],
    ['sqlite', 'back\\slash', "'back\\slash'"],
    ['sqlite', 'a\0b', "'a' || char(0) || 'b'"],
    ['sqlite', 'lone \ud83d', "'lone \uFFFD'"],
  ])('%s: %j → %s', (dialect, text, expected) => {
    expect(quoteString(text, dialect).sql).toBe(expected);
  });
});

describe('identifiers and types', () => {
  test.each<[SqlDialect, string, string]>([
    ['postgres', 'Pet', '"Pet"'],
    ['postgres', 'a"b', '"a""b"'],
    ['mysql', 'a`b', '`a``b`'],
    ['sqlite', 'select', '"select"'],
  ])('%s quotes %j as %s', (dialect, name, expected) => {
    expect(quoteIdentifier(name, dialect)).toBe(expected);
  });

  test('long identifiers are cut to the dialect limit with a stable hash', () => {
    const long = `é${'x'.repeat(100)}`;
    const pg = fitIdentifier(long, 'postgres');
    expect(new TextEncoder().encode(pg).length).toBeLessThanOrEqual(63);
    expect(fitIdentifier(`${long}y`, 'postgres')).not.toBe(pg);
    expect([...fitIdentifier(long, 'mysql')].length).toBeLessThanOrEqual(64);
    expect(fitIdentifier(long, 'sqlite')).toBe(long);
  });

  test.each<[ColumnKind, string, string, string]>([
    ['integer', 'bigint', 'BIGINT', 'INTEGER'],
    ['number', 'double precision', 'DOUBLE', 'REAL'],
    ['boolean', 'boolean', 'BOOLEAN', 'INTEGER'],
    ['string', 'text', 'TEXT', 'TEXT'],
    ['date', 'date', 'DATE', 'TEXT'],
    ['date-time', 'timestamptz', 'DATETIME(6)', 'TEXT'],
    ['uuid', 'uuid', 'CHAR(36)', 'TEXT'],
    ['json', 'jsonb', 'JSON', 'TEXT'],
  ])('%s maps to %s / %s / %s', (kind, pg, mysql, sqlite) => {
    expect([
      columnType({ kind, dialect: 'postgres' }),
      columnType({ kind, dialect: 'mysql' }),
      columnType({ kind, dialect: 'sqlite' }),
    ]).toEqual([pg, mysql, sqlite]);
  });

  test('MySQL sizes strings from maxLength and gives string primary keys a VARCHAR', () => {
    expect(columnType({ kind: 'string', dialect: 'mysql', maxLength: 40 })).toBe('VARCHAR(40)');
    expect(columnType({ kind: 'string', dialect: 'mysql', primaryKey: true })).toBe('VARCHAR(255)');
  });
});

describe('tableColumns', () => {
  test('reads kinds, nullability and the primary key from the schema and the rows', () => {
    const pet = OTHER_PETSTORE_PLAN.sampleData.find((d) => d.schema === 'Pet')!;
    const columns = tableColumns(OTHER_PETSTORE_PLAN.schemas, OTHER_PETSTORE_PLAN.schemas.Pet, pet.rows);
    const byName = Object.fromEntries(columns.map((c) => [c.property, c]));
    expect(byName.id).toMatchObject({ kind: 'integer', primaryKey: true, nullable: false });
    expect(byName.name).toMatchObject({ kind: 'string', nullable: false, maxLength: 40 });
    expect(byName.age).toMatchObject({ kind: 'integer', nullable: true });
    expect(byName.weightKg?.kind).toBe('number');
    expect(byName.status?.kind).toBe('string'); // via $ref to PetStatus
    expect(byName.tags?.kind).toBe('json');
    expect(byName.birthDate?.kind).toBe('date');
    expect(byName.createdAt).toMatchObject({ kind: 'date-time', nullable: false });
  });

  test('falls back when values do not fit the declared kind, and adds extra row keys', () => {
    const schema = {
      type: 'object',
      required: ['when'],
      properties: { when: { type: 'string', format: 'date-time' }, n: { type: 'integer' } },
    };
    const rows = [
      { when: 'not a date', n: 1.5, extra: true },
      { when: '2024-01-01T00:00:00Z', n: 2 },
    ];
    const columns = tableColumns({}, schema, rows);
    expect(columns.map((c) => [c.property, c.kind])).toEqual([
      ['when', 'string'],
      ['n', 'json'],
      ['extra', 'boolean'],
    ]);
  });
});

describe('sqlRenderer', () => {
  test('is deterministic, writes schema.sql, data.sql and README.md, and reports every case', () => {
    const result = render('postgres');
    expect(render('postgres')).toEqual(result);
    expect(result.files.map((f) => f.path)).toEqual(['README.md', 'schema.sql', 'data.sql']);
    expect(result.renderedCaseIds).toEqual([]);
    for (const testCase of OTHER_ODD_PLAN.cases) {
      expect(result.diagnostics.some((d) => d.message.startsWith(`${testCase.id} `))).toBe(true);
    }
    expect(result.diagnostics.map((d) => d.code)).toContain('SQL_NUL_REPLACED');
    expect(result.diagnostics.map((d) => d.code)).toContain('SQL_NO_COLUMNS');
    expect(file('postgres', 'README.md')).toContain(
      'psql "$DATABASE_URL" -v ON_ERROR_STOP=1 -f schema.sql -f data.sql',
    );
    expect(file('mysql', 'data.sql')).toContain('SET NAMES utf8mb4;\nSTART TRANSACTION;');
    expect(file('mysql', 'schema.sql')).toContain('`name` VARCHAR(40) NOT NULL');
  });

  test('loads into PGlite and every value reads back', async () => {
    const db = new PGlite();
    try {
      await db.exec(file('postgres', 'schema.sql'));
      await db.exec(file('postgres', 'data.sql'));
      for (const { schema, rows } of OTHER_ODD_PLAN.sampleData.filter(
        (d) => d.schema !== 'Empty' && !d.schema.startsWith('Very'),
      )) {
        const count = await db.query<{ n: number }>(`select count(*)::int as n from "${schema}"`);
        expect(count.rows[0]?.n, schema).toBe(rows.length);
      }
      const odd = await db.query<{ text: string; meta: { text: string }; ok: boolean; score: number }>(
        'select text, meta, ok, score from "Odd" order by id',
      );
      expect(odd.rows.map((r) => r.text)).toEqual(ODD_STRINGS.map((s) => storedText(s, 'postgres')));
      expect(odd.rows.map((r) => r.meta.text)).toEqual(ODD_STRINGS.map((s) => storedText(s, 'postgres')));
      expect(odd.rows.map((r) => r.ok)).toEqual(ODD_STRINGS.map((_s, i) => i % 2 === 0));
      expect(odd.rows.map((r) => r.score)).toEqual(ODD_STRINGS.map((_s, i) => i / 4));
      const pet = await db.query<{ created: string }>(
        `select to_char("createdAt" at time zone 'UTC', 'YYYY-MM-DD HH24:MI:SS.MS') as created from "Pet" order by id`,
      );
      expect(pet.rows.map((r) => r.created)).toEqual(['2024-01-02 03:04:05.000', '2024-05-06 05:08:09.123']);
    } finally {
      await db.close();
    }
  }, 60_000);

  const sqlite3 = ['/usr/bin/sqlite3', 'sqlite3'].find((bin) => {
    try {
      execFileSync(bin, ['-version'], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  });

  test.skipIf(!sqlite3)('loads into SQLite (sqlite3 CLI) and every value reads back', () => {
    const dir = writeFiles(join(TMP_ROOT, 'sql-sqlite'), render('sqlite').files);
    const dbPath = join(dir, 'test.db');
    if (existsSync(dbPath)) rmSync(dbPath);
    for (const name of ['schema.sql', 'data.sql'])
      execFileSync(sqlite3!, ['-bail', dbPath, `.read ${join(dir, name)}`]);
    const query = (sql: string) =>
      JSON.parse(execFileSync(sqlite3!, ['-json', dbPath, sql], { encoding: 'utf8' }) || '[]');
    expect(query('select count(*) as n from "Pet"')).toEqual([{ n: 2 }]);
    const rows = query(
      'select hex(text) as h, ok, json_extract(meta, \'$.text\') = text as same from "Odd" order by id',
    ) as Array<{ h: string; ok: number; same: number }>;
    const hex = (s: string) => Buffer.from(storedText(s, 'sqlite'), 'utf8').toString('hex').toUpperCase();
    expect(rows.map((r) => r.h)).toEqual(ODD_STRINGS.map(hex));
    expect(rows.map((r) => r.ok)).toEqual(ODD_STRINGS.map((_s, i) => (i % 2 === 0 ? 1 : 0)));
    // JSON text cannot carry NUL through json_extract's C strings; every other value must match.
    const nul = ODD_STRINGS.findIndex((s) => s.includes('\0'));
    expect(rows.map((r, i) => (i === nul ? 1 : r.same))).toEqual(ODD_STRINGS.map(() => 1));
  });
});

describe('MySQL row size limits', () => {
  const columns = (count: number, schema: Record<string, unknown>) =>
    Object.fromEntries(Array.from({ length: count }, (_, i) => [`c${i}`, schema]));
  const plan = {
    ...OTHER_PETSTORE_PLAN,
    schemas: {
      // flat.io's ScoreCommentUpdate: two VARCHAR(10000) columns, ~80 KB against MySQL's 65,535 bytes.
      Comment: { type: 'object', properties: columns(2, { type: 'string', maxLength: 10000 }) },
      // docusign's accountSettingsInformation: hundreds of text columns, past InnoDB's 8 KB page half.
      Settings: { type: 'object', properties: columns(700, { type: 'string' }) },
      Small: { type: 'object', properties: columns(3, { type: 'string' }) },
    },
    sampleData: [
      { schema: 'Comment', rows: [{ c0: 'a', c1: 'b' }] },
      { schema: 'Settings', rows: [{ c0: 'x', c699: 'y' }] },
      { schema: 'Small', rows: [{ c0: 'z' }] },
    ],
  } as typeof OTHER_PETSTORE_PLAN;
  const schemaSql = sqlRenderer
    .render(plan, { generatorVersion: '9.9.9', formatOptions: { sqlDialect: 'mysql' } })
    .files.find((f) => f.path === 'schema.sql')!.contents as string;
  const table = (name: string) =>
    schemaSql.slice(schemaSql.indexOf(`CREATE TABLE \`${name}\``)).split(';')[0]!;

  test('the widest VARCHAR columns become TEXT until the row fits 65,535 bytes', () => {
    expect(table('Comment')).toMatch(/`c\d` TEXT/);
    expect(table('Comment')).toMatch(/`c\d` VARCHAR\(10000\)/);
  });

  test('a table too wide for InnoDB uses MyISAM, and says why', () => {
    expect(table('Settings')).toContain('ENGINE=MyISAM');
    expect(schemaSql).toContain('-- 700 columns are too many for InnoDB');
    expect(table('Small')).not.toContain('ENGINE=');
  });
});
