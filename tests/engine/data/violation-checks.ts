/** Assertions shared by violation tests: a violation fails Ajv at its pointer, for its stated reason. */
import { expect } from 'vitest';
import type { Violation, ViolationKind } from '../../../cli/engine/data/synthesize.ts';
import type { JsonSchema } from '../../../cli/engine/ir/types.ts';
import type { Validator } from './ajv-harness.ts';

/** The Ajv keywords that report each kind of violation. */
export const KEYWORDS: Record<ViolationKind, string[]> = {
  'missing-required': ['required'],
  'wrong-type': ['type'],
  enum: ['enum'],
  pattern: ['pattern'],
  format: ['format'],
  'below-minimum': ['minimum', 'exclusiveMinimum'],
  'above-maximum': ['maximum', 'exclusiveMaximum'],
  'too-short': ['minLength'],
  'too-long': ['maxLength'],
  'too-few-items': ['minItems'],
  'too-many-items': ['maxItems'],
  'additional-property': ['additionalProperties'],
  'null-not-allowed': ['type'],
  'multiple-of': ['multipleOf'],
  const: ['const'],
};

/** Kinds that must fail for their reason only (type violations also trip enum, format, …). */
const ISOLATED = new Set<ViolationKind>(
  Object.keys(KEYWORDS).filter((k) => k !== 'wrong-type' && k !== 'null-not-allowed') as ViolationKind[],
);
const COMPOSITION = new Set(['anyOf', 'oneOf', 'allOf', 'not', 'if']);

function within(path: string, pointer: string): boolean {
  return pointer === '' || path === pointer || path.startsWith(`${pointer}/`);
}

/** Asserts that `v.value` fails `schema` at `v.pointer`, for the reason its kind states. */
export function expectViolation(
  validator: Validator,
  schema: JsonSchema,
  v: Violation,
  context: string,
): void {
  const { valid, errors } = validator.validate(schema, v.value);
  const where = `${context} ${v.kind} ${v.pointer} "${v.label}" ${JSON.stringify(v.value)?.slice(0, 300)}`;
  expect(valid, where).toBe(false);
  // A failing anyOf/oneOf also reports its other branches (e.g. `type: null`) at an ancestor location.
  const composed = errors.some((e) => COMPOSITION.has(e.keyword));
  for (const e of errors) {
    const ok = within(e.instancePath, v.pointer) || (composed && within(v.pointer, e.instancePath));
    expect(ok, `${where}: ${e.instancePath} ${e.keyword}`).toBe(true);
  }
  const reasons = KEYWORDS[v.kind];
  const atPointer = errors.filter((e) => e.instancePath === v.pointer && reasons.includes(e.keyword));
  expect(atPointer.length, `${where}: ${JSON.stringify(errors)}`).toBeGreaterThan(0);
  if (ISOLATED.has(v.kind) && !errors.some((e) => COMPOSITION.has(e.keyword))) {
    for (const e of errors) expect(reasons, `${where}: extra error ${e.keyword}`).toContain(e.keyword);
  }
}

/**
 * What a server sees of a parameter value sent as text: trimmed (as header values are), numbers and
 * booleans parsed back where the text allows it, everything else the string itself.
 */
export function fromWire(value: unknown, types: string[]): unknown {
  const text = String(value).trim();
  if (
    (types.includes('integer') || types.includes('number')) &&
    text.trim() !== '' &&
    !Number.isNaN(Number(text))
  ) {
    return Number(text);
  }
  if (types.includes('boolean') && (text === 'true' || text === 'false')) return text === 'true';
  return text;
}
