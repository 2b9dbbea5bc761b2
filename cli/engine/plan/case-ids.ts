/**
 * Case ids derived from what a case tests — the operation, the category and what it varies or violates
 * (`createPet_negative_body_name_wrong_type`, `listPets_contract_query_limit-max`) — never from its position,
 * so adding a `maximum` to one parameter renames no other case, and test names stay the same across runs
 * and spec edits that do not touch the case.
 */
import { shortHash, slug } from '../data/class-keys.ts';
import type { TestCase } from './types.ts';

/** A case as a planner makes it: everything but the id, plus the part of the id that says what it tests. */
export type PlannedCase = Omit<TestCase, 'id'> & {
  /** Identifier-safe, e.g. `query_limit_above_maximum`; unique within the operation and category as far as the planner knows. */
  key: string;
};

/** `text` as an identifier fragment: letters, digits and `_`, never starting with a digit. */
export function identifier(text: string): string {
  const cleaned = text.replace(/[^A-Za-z0-9_]/g, '_');
  return /^[0-9]/.test(cleaned) ? `_${cleaned}` : cleaned;
}

/** A key fragment from words (`query`, `limit`, `above-maximum` → `query_limit_above_maximum`). */
export function keyOf(...parts: Array<string | undefined>): string {
  return parts
    .filter((part): part is string => part !== undefined && part !== '')
    .map((part) => slug(part))
    .join('_');
}

/** Where a parameter is, and its name, as a key fragment: `query_limit`. */
export function paramKeyPart(location: string, name: string): string {
  return keyOf(location, name);
}

/**
 * Gives every case its id: `<operation>_<category>_<key>`. Two cases that end up with the same id (two
 * violations the planner describes alike) are told apart by a hash of what they send, which is as stable as
 * the cases themselves.
 */
export function assignCaseIds(planned: readonly PlannedCase[]): TestCase[] {
  const used = new Set<string>();
  return planned.map(({ key, ...testCase }) => {
    let id = identifier(`${testCase.operationId}_${testCase.category}_${key || 'case'}`);
    if (used.has(id)) {
      const hashed = `${id}_${shortHash(JSON.stringify(testCase.steps))}`;
      id = hashed;
      for (let n = 2; used.has(id); n++) id = `${hashed}_${n}`;
    }
    used.add(id);
    return { id, ...testCase };
  });
}
