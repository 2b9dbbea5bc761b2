/**
 * String values: pattern first (randexp), then format, then a realistic word for the property name,
 * brought within minLength/maxLength.
 * @see https://json-schema.org/draft/2020-12/json-schema-validation#section-6.3
 */
import type { JsonSchemaObject } from '../ir/types.ts';
import { satisfiesFormat } from './check.ts';
import { fitLength, formatValue, hasFormatGenerator } from './formats.ts';
import { codePointLength, compilePattern } from './json.ts';
import { stringForPattern } from './patterns.ts';
import type { Rng } from './rng.ts';
import { hintedString } from './words.ts';

function formatOf(flat: JsonSchemaObject): string | undefined {
  return typeof flat.format === 'string' ? flat.format : undefined;
}

function baseValue(flat: JsonSchemaObject, rng: Rng, hint: string | undefined): string {
  const format = formatOf(flat);
  return (format && formatValue(format, rng)) ?? hintedString(rng, hint);
}

/** Common shapes tried when randexp cannot produce a match (unsupported syntax, lookarounds). */
function commonMatch(pattern: string, word: string, ok: (v: string) => boolean): string | undefined {
  const re = compilePattern(pattern);
  if (!re) return undefined;
  const capital = word.charAt(0).toUpperCase() + word.slice(1);
  const candidates = [
    word,
    capital,
    word.toUpperCase(),
    `${capital}1`,
    `${word}1`,
    'Abc123',
    '12345',
    '1',
    'a',
    'A',
  ];
  return candidates.find((c) => re.test(c) && ok(c));
}

/** A string satisfying the schema's string keywords (best effort for contradictory ones). */
export function generateString(flat: JsonSchemaObject, rng: Rng, hint: string | undefined): string {
  const min = flat.minLength ?? 0;
  const max = flat.maxLength ?? Number.POSITIVE_INFINITY;
  const format = formatOf(flat);
  if (typeof flat.pattern === 'string') {
    const accept = format === undefined ? undefined : (v: string) => satisfiesFormat(format, v);
    const value = stringForPattern(flat.pattern, rng, { minLength: min, maxLength: max, accept });
    if (value !== undefined) return value;
    const fallback = commonMatch(flat.pattern, hintedString(rng, hint), (v) => {
      const n = codePointLength(v);
      return n >= min && n <= max && (!accept || accept(v));
    });
    if (fallback !== undefined) return fallback;
  }
  const value = baseValue(flat, rng, hint);
  const fitFormat = format && hasFormatGenerator(format) ? format : undefined;
  const length = codePointLength(value);
  if (length < min) return fitLength(value, min, fitFormat, rng) ?? value;
  if (length > max) return fitLength(value, max, fitFormat, rng) ?? value;
  return value;
}

/**
 * A string of exactly `length` code points that still satisfies the schema's pattern and format (the
 * length keywords themselves are not consulted). Undefined when none was found.
 */
export function stringOfLength(
  flat: JsonSchemaObject,
  length: number,
  rng: Rng,
  hint: string | undefined,
): string | undefined {
  const format = formatOf(flat);
  const formatOk = (v: string): boolean => format === undefined || satisfiesFormat(format, v);
  if (typeof flat.pattern === 'string') {
    return stringForPattern(flat.pattern, rng, { length, accept: formatOk, attempts: 64 });
  }
  const fitFormat = format && hasFormatGenerator(format) ? format : undefined;
  const value = fitLength(baseValue(flat, rng, hint), length, fitFormat, rng);
  return value !== undefined && codePointLength(value) === length && formatOk(value) ? value : undefined;
}
