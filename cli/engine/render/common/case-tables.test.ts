import { describe, expect, it } from 'vitest';
import type { TestCase, TestStep } from '../../plan/types.ts';
import { groupCaseTables } from './case-tables.ts';

function step(overrides: Partial<TestStep> = {}): TestStep {
  return {
    operationId: 'listPets',
    method: 'GET',
    path: ['/pets'],
    query: [],
    headers: {},
    cookies: {},
    auth: { mode: 'valid', schemes: [] },
    expect: { status: ['200'], check: 'positive_data_acceptance', validateBody: true },
    ...overrides,
  };
}

function testCase(id: string, last: Partial<TestStep>, more: Partial<TestCase> = {}): TestCase {
  return {
    id,
    category: 'contract',
    operationId: 'listPets',
    title: id,
    tags: [],
    steps: [step(last)],
    ...more,
  };
}

describe('groupCaseTables', () => {
  it('makes one table of consecutive cases that differ only in what the last step sends', () => {
    const groups = groupCaseTables([
      testCase('a', { query: [['limit', '1']] }),
      testCase('b', { query: [['limit', '100']] }),
      testCase('c', { query: [['limit', '7']], headers: { 'X-Trace': 'x' } }),
    ]);
    expect(groups).toHaveLength(1);
    const [table] = groups;
    expect(table?.kind).toBe('table');
    if (table?.kind !== 'table') return;
    expect(table.rows.map((row) => row.case.id)).toEqual(['a', 'b', 'c']);
    expect(table.rows[2]?.request).toEqual({
      path: ['/pets'],
      query: [['limit', '7']],
      headers: { 'X-Trace': 'x' },
      cookies: {},
    });
  });

  it('keeps apart cases whose expectations, category, setup or body kind differ, and keeps the order', () => {
    const negative: TestStep['expect'] = {
      status: ['4XX'],
      check: 'negative_data_rejection',
      validateBody: true,
    };
    const groups = groupCaseTables([
      testCase('ok', {}),
      testCase('bad1', { query: [['limit', '-1']], expect: negative }, { category: 'negative' }),
      testCase('bad2', { query: [['limit', 'x']], expect: negative }, { category: 'negative' }),
      testCase('json', { body: { kind: 'json', mediaType: 'application/json', value: {} } }),
      testCase('text', { body: { kind: 'text', mediaType: 'text/plain', value: 'x' } }),
    ]);
    expect(
      groups.map((g) => (g.kind === 'single' ? g.case.id : g.rows.map((r) => r.case.id).join('+'))),
    ).toEqual(['ok', 'bad1+bad2', 'json', 'text']);
  });

  it('groups nothing below the minimum rows', () => {
    const groups = groupCaseTables([testCase('a', {}), testCase('b', { query: [['q', '1']] })], 3);
    expect(groups.map((g) => g.kind)).toEqual(['single', 'single']);
  });
});
