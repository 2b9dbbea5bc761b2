/**
 * sql: `schema.sql` then `data.sql` load into an empty database of each dialect, as the generated README
 * says to load them. PostgreSQL: PGlite in this process (one instance, a fresh schema per spec). SQLite:
 * the `sqlite3` CLI on a new database file. MySQL: the `mysql` CLI against the local server (a new
 * database per spec, dropped afterwards), skipped when no server answers. The server may be MariaDB
 * rather than MySQL 8; the report shows which.
 */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import type { SqlDialect } from '../../cli/engine/render/sql/format.ts';
import { type CheckResult, failed, PASSED } from './checks.ts';
import { firstErrorLine, runProcess } from './files.ts';

const FILES = ['schema.sql', 'data.sql'] as const;
let sequence = 0;

function lineAt(text: string, position: number): number {
  let line = 1;
  for (let i = 0; i < position && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

let pglite: Promise<PGlite> | undefined;

/** Loads the PostgreSQL output in `dir` into a fresh schema of this process's PGlite. */
async function loadPostgres(dir: string): Promise<CheckResult> {
  pglite ??= PGlite.create();
  const db = await pglite;
  const schema = `specmint_corpus_${++sequence}`;
  await db.exec(`CREATE SCHEMA "${schema}"; SET search_path TO "${schema}";`);
  try {
    for (const file of FILES) {
      const text = readFileSync(join(dir, file), 'utf8');
      try {
        await db.exec(text);
      } catch (error) {
        const { message, position } = error as { message: string; position?: string };
        // Without a SQL error code the instance itself failed: start a new one for the next spec.
        if (!(error as { code?: string }).code) pglite = undefined;
        const line = position === undefined ? '' : `:${lineAt(text, Number(position))}`;
        return failed(message, `${file}${line}`);
      }
    }
    return PASSED;
  } finally {
    if (pglite) {
      await db.exec('ROLLBACK;').catch(() => undefined);
      await db.exec(`RESET search_path; DROP SCHEMA "${schema}" CASCADE;`);
    }
  }
}

/** Loads the SQLite output in `dir` into a new database file: `sqlite3 db < schema.sql && … < data.sql`. */
async function loadSqlite(dir: string): Promise<CheckResult> {
  const database = join(dir, 'corpus-validate.sqlite');
  rmSync(database, { force: true });
  try {
    for (const file of FILES) {
      const result = await runProcess('sqlite3', ['-bail', database], { stdinFile: join(dir, file) });
      if (result.code !== 0 || result.stderr.trim() !== '') return failed(firstErrorLine(result), file);
    }
    return PASSED;
  } finally {
    rmSync(database, { force: true });
  }
}

const MYSQL = ['--batch', '--default-character-set=utf8mb4'];
let mysqlServer: Promise<{ version?: string; reason?: string }> | undefined;

/** The local MySQL/MariaDB server's version, or why there is none (the `mysql` client's defaults). */
export function probeMysql(): Promise<{ version?: string; reason?: string }> {
  mysqlServer ??= runProcess('mysql', [...MYSQL, '--skip-column-names', '-e', 'SELECT VERSION()'], {
    timeoutMs: 10_000,
  }).then(
    (result) =>
      result.code === 0
        ? { version: result.stdout.trim() }
        : { reason: `no MySQL server: ${firstErrorLine(result)}` },
    (error: Error) => ({ reason: `no mysql client: ${error.message}` }),
  );
  return mysqlServer;
}

/** Loads the MySQL output in `dir` into a new database: `mysql DB < schema.sql && mysql DB < data.sql`. */
async function loadMysql(dir: string): Promise<CheckResult> {
  const server = await probeMysql();
  if (server.reason) return { status: 'skipped', reason: server.reason };
  const database = `specmint_corpus_${process.pid}_${++sequence}`;
  const created = await runProcess('mysql', [...MYSQL, '-e', `CREATE DATABASE \`${database}\``]);
  if (created.code !== 0) return failed(firstErrorLine(created), 'CREATE DATABASE');
  try {
    for (const file of FILES) {
      const result = await runProcess('mysql', [...MYSQL, database], { stdinFile: join(dir, file) });
      // The client echoes the failing statement between dashes before the `ERROR nnnn … at line N` line.
      const error = result.stderr.split('\n').find((line) => line.startsWith('ERROR'));
      if (result.code !== 0) return failed(error ?? firstErrorLine(result), file);
    }
    return PASSED;
  } finally {
    await runProcess('mysql', [...MYSQL, '-e', `DROP DATABASE IF EXISTS \`${database}\``]);
  }
}

/** Loads the `dialect` SQL output in `dir` (`schema.sql`, `data.sql`). */
export async function checkSql(dir: string, dialect: SqlDialect): Promise<CheckResult> {
  const missing = FILES.find((file) => !existsSync(join(dir, file)));
  if (missing) return failed(`no ${missing}`);
  if (dialect === 'postgres') return loadPostgres(dir);
  if (dialect === 'sqlite') return loadSqlite(dir);
  return loadMysql(dir);
}

/** Closes this process's PGlite instance, if one was started. */
export async function closeSql(): Promise<void> {
  const db = await pglite?.catch(() => undefined);
  pglite = undefined;
  await db?.close();
}
