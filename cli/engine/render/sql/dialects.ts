/**
 * What differs between SQL dialects: identifier quoting, string literals, column types, booleans and
 * transactions. Every function is pure and table-tested.
 * @see https://www.postgresql.org/docs/current/sql-syntax-lexical.html
 * @see https://dev.mysql.com/doc/refman/8.0/en/string-literals.html
 * @see https://www.sqlite.org/lang_expr.html#literal_values_constants_
 */

import type { SqlDialect } from './format.ts';

/** A supported SQL dialect (`--sql-dialect`). */
export type { SqlDialect };

/** Column kinds inferred from schemas and data. */
export type ColumnKind = 'integer' | 'number' | 'boolean' | 'string' | 'date' | 'date-time' | 'uuid' | 'json';

/** Identifier length limits (PostgreSQL counts bytes, MySQL characters). */
const MAX_IDENTIFIER: Record<SqlDialect, number> = { postgres: 63, mysql: 64, sqlite: 1024 };

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Replaces lone UTF-16 surrogates (not encodable as UTF-8) with U+FFFD. */
export function wellFormed(text: string): string {
  return hasSurrogate(text) ? text.replace(LONE_SURROGATE, '\uFFFD') : text;
}

/** Whether the text has any UTF-16 surrogate unit (a quick test before the lone-surrogate regex). */
export function hasSurrogate(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 0xd800 && code <= 0xdfff) return true;
  }
  return false;
}

/** A short, stable hash (FNV-1a, 32 bit) for de-duplicating truncated names. */
function shortHash(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, '0');
}

const UTF8 = new TextEncoder();

function utf8Length(text: string): number {
  return UTF8.encode(text).length;
}

/**
 * A name that fits the dialect's identifier limit: unchanged when it fits, else truncated with a hash of
 * the full name appended (so two long names with the same prefix stay distinct).
 */
export function fitIdentifier(name: string, dialect: SqlDialect): string {
  const clean = wellFormed(name).replace(/\0/g, '');
  const limit = MAX_IDENTIFIER[dialect];
  const size = dialect === 'postgres' ? utf8Length(clean) : [...clean].length;
  if (size <= limit) return clean;
  const suffix = `_${shortHash(clean)}`;
  let head = '';
  for (const char of clean) {
    const next = head + char;
    const nextSize = dialect === 'postgres' ? utf8Length(next) : [...next].length;
    if (nextSize + suffix.length > limit) break;
    head = next;
  }
  return head + suffix;
}

/** A quoted identifier: `"a""b"` (PostgreSQL, SQLite) or `` `a``b` `` (MySQL). */
export function quoteIdentifier(name: string, dialect: SqlDialect): string {
  if (dialect === 'mysql') return `\`${name.replace(/`/g, '``')}\``;
  return `"${name.replace(/"/g, '""')}"`;
}

const PG_ESCAPES: Record<string, string> = {
  '\b': '\\b',
  '\f': '\\f',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
};
const MYSQL_ESCAPES: Record<string, string> = {
  '\0': '\\0',
  "'": "\\'",
  '\\': '\\\\',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\b': '\\b',
  '\x1a': '\\Z',
};

/** Result of {@link quoteString}: the literal, and whether characters had to be replaced. */
export interface StringLiteral {
  sql: string;
  /** Set when NUL characters were replaced (PostgreSQL text cannot hold them). */
  replacedNul: boolean;
}

function isControl(char: string): boolean {
  const code = char.charCodeAt(0);
  return code < 0x20 || code === 0x7f;
}

/** Whether the text has a control character (no surrogate half is one, so UTF-16 units can be tested). */
function hasControl(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x20 || code === 0x7f) return true;
  }
  return false;
}

/** Rewrites characters one by one (no regexes over control characters, which lint rightly distrusts). */
function mapChars(text: string, map: (char: string) => string | undefined): string {
  let out = '';
  for (const char of text) out += map(char) ?? char;
  return out;
}

// Characters some dialect escapes (or replaces): control characters, quote, backslash, surrogates. A regex
// test scans faster than a loop in JS. Built from text, so no control character is written in a regex.
const CONTROL_RANGE = String.raw`\x00-\x1f\x7f`;
const SURROGATE_RANGE = String.raw`\ud800-\udfff`;
const SPECIAL = new RegExp(`[${CONTROL_RANGE}${SURROGATE_RANGE}'\\\\]`);
const CONTROL_OR_SURROGATE = new RegExp(`[${CONTROL_RANGE}${SURROGATE_RANGE}]`);

/**
 * MySQL backslash escapes: runs of characters without one are copied in one slice. Every escaped character
 * is a single UTF-16 unit outside the surrogate range, so unit by unit is the same as character by character.
 */
function mysqlEscape(text: string): string {
  let out = '';
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 0x20 && code !== 0x27 && code !== 0x5c) continue;
    const escaped = MYSQL_ESCAPES[text.charAt(i)];
    if (escaped === undefined) continue;
    out += text.slice(start, i) + escaped;
    start = i + 1;
  }
  return start === 0 ? text : out + text.slice(start);
}

/**
 * A string literal for the dialect. PostgreSQL: `'…'` with `''`, or `E'…'` with backslash escapes when the
 * text has control characters (NUL cannot be stored and becomes U+FFFD). MySQL: backslash escapes (the
 * default `sql_mode`, without NO_BACKSLASH_ESCAPES). SQLite: `''` doubling; NUL is spliced in with `char(0)`.
 */
export function quoteString(text: string, dialect: SqlDialect): StringLiteral {
  // Most values have nothing to escape: one scan decides, and they are quoted as they are.
  if (!SPECIAL.test(text)) return { sql: `'${text}'`, replacedNul: false };
  if (dialect !== 'mysql' && !CONTROL_OR_SURROGATE.test(text)) {
    return { sql: `'${text.replace(/'/g, "''")}'`, replacedNul: false };
  }
  const value = wellFormed(text);
  if (dialect === 'mysql') return { sql: `'${mysqlEscape(value)}'`, replacedNul: false };
  if (dialect === 'sqlite') {
    const parts = value.split('\0').map((part) => `'${part.replace(/'/g, "''")}'`);
    return { sql: parts.length === 1 ? parts[0]! : parts.join(' || char(0) || '), replacedNul: false };
  }
  const replacedNul = value.includes('\0');
  const clean = replacedNul ? value.replace(/\0/g, '\uFFFD') : value;
  if (!hasControl(clean)) return { sql: `'${clean.replace(/'/g, "''")}'`, replacedNul };
  const escaped = mapChars(clean, (char) => {
    if (char === '\\') return '\\\\';
    if (char === "'") return "\\'";
    if (!isControl(char)) return undefined;
    return PG_ESCAPES[char] ?? `\\x${char.charCodeAt(0).toString(16).padStart(2, '0')}`;
  });
  return { sql: `E'${escaped}'`, replacedNul };
}

/** Options of {@link columnType}. */
export interface ColumnTypeOptions {
  kind: ColumnKind;
  dialect: SqlDialect;
  /** Longest string value (MySQL picks VARCHAR(n) or TEXT). */
  maxLength?: number;
  /** MySQL cannot index TEXT without a prefix length: primary keys get VARCHAR. */
  primaryKey?: boolean;
}

/** The column type for a kind. */
export function columnType(options: ColumnTypeOptions): string {
  const { kind, dialect } = options;
  if (dialect === 'sqlite') {
    const sqlite: Record<ColumnKind, string> = {
      integer: 'INTEGER',
      number: 'REAL',
      boolean: 'INTEGER',
      string: 'TEXT',
      date: 'TEXT',
      'date-time': 'TEXT',
      uuid: 'TEXT',
      json: 'TEXT',
    };
    return sqlite[kind];
  }
  if (dialect === 'postgres') {
    const pg: Record<ColumnKind, string> = {
      integer: 'bigint',
      number: 'double precision',
      boolean: 'boolean',
      string: 'text',
      date: 'date',
      'date-time': 'timestamptz',
      uuid: 'uuid',
      json: 'jsonb',
    };
    return pg[kind];
  }
  if (kind === 'string') {
    if (options.maxLength !== undefined && options.maxLength <= 16_383)
      return `VARCHAR(${Math.max(options.maxLength, 1)})`;
    return options.primaryKey ? 'VARCHAR(255)' : 'TEXT';
  }
  const mysql: Record<Exclude<ColumnKind, 'string'>, string> = {
    integer: 'BIGINT',
    number: 'DOUBLE',
    boolean: 'BOOLEAN',
    date: 'DATE',
    'date-time': 'DATETIME(6)',
    uuid: 'CHAR(36)',
    json: 'JSON',
  };
  return mysql[kind];
}

/**
 * MySQL's row-size limit: the maximum sizes of a table's columns together may not exceed it, whatever the
 * storage engine (`ERROR 1118 Row size too large`).
 * @see https://dev.mysql.com/doc/refman/8.0/en/column-count-limit.html#row-size-limits
 */
export const MYSQL_MAX_ROW_BYTES = 65_535;

const MYSQL_FIXED_BYTES: Record<string, number> = {
  BIGINT: 8,
  DOUBLE: 8,
  BOOLEAN: 1,
  DATE: 3,
  'DATETIME(6)': 8,
  'CHAR(36)': 144,
};

/**
 * What a {@link columnType} MySQL type counts toward {@link MYSQL_MAX_ROW_BYTES}: utf8mb4 needs up to 4
 * bytes a character plus a 1–2 byte length; TEXT and JSON are stored apart and count 9–12 bytes.
 * @see https://dev.mysql.com/doc/refman/8.0/en/storage-requirements.html
 */
export function mysqlRowBytes(type: string): number {
  const varchar = /^VARCHAR\((\d+)\)$/.exec(type);
  if (varchar) {
    const bytes = 4 * Number(varchar[1]);
    return bytes + (bytes > 255 ? 2 : 1);
  }
  return MYSQL_FIXED_BYTES[type] ?? 12;
}

/**
 * InnoDB's own limit: a row must fit in half a 16 KB page. With the default DYNAMIC row format a long
 * variable-length value moves off the page but leaves a 20-byte pointer, so a table with hundreds of
 * TEXT/JSON columns fails `CREATE TABLE` in strict mode (`ERROR 1118`) whatever its data.
 * @see https://dev.mysql.com/doc/refman/8.0/en/innodb-row-format.html#innodb-row-format-dynamic
 */
export const INNODB_MAX_ROW_BYTES = 8126;

/** The least a column of {@link columnType}'s MySQL `type` keeps on an InnoDB page (DYNAMIC format). */
export function innodbInlineBytes(type: string): number {
  const varchar = /^VARCHAR\((\d+)\)$/.exec(type);
  if (varchar) return Math.min(4 * Number(varchar[1]) + 1, 20);
  return MYSQL_FIXED_BYTES[type] ?? 20;
}

/** `BEGIN;`/`COMMIT;` or MySQL's `START TRANSACTION;`. */
export function transaction(dialect: SqlDialect): { begin: string; commit: string } {
  return { begin: dialect === 'mysql' ? 'START TRANSACTION;' : 'BEGIN;', commit: 'COMMIT;' };
}

/** A boolean literal: TRUE/FALSE, or 1/0 for SQLite (which stores booleans as integers). */
export function booleanLiteral(value: boolean, dialect: SqlDialect): string {
  if (dialect === 'sqlite') return value ? '1' : '0';
  return value ? 'TRUE' : 'FALSE';
}

/** Human name of the dialect for comments and READMEs. */
export const DIALECT_NAMES: Record<SqlDialect, string> = {
  postgres: 'PostgreSQL',
  mysql: 'MySQL 8',
  sqlite: 'SQLite',
};
