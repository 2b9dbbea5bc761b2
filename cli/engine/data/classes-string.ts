/**
 * Candidate classes of a string input: lengths (empty, one character, min and max length), the format's
 * canonical examples, and kinds of text a parser branches on (mixed case, spaces and punctuation, digits,
 * non-ASCII, emoji). Each kind lists a few candidates; the caller keeps the first that validates, so a
 * `pattern` or `format` narrows a kind instead of losing it.
 * @see https://json-schema.org/draft/2020-12/json-schema-validation#section-6.3
 */
import type { JsonSchemaObject } from '../ir/types.ts';
import { satisfiesFormat } from './check.ts';
import { show } from './class-keys.ts';
import { formatExamples } from './format-examples.ts';
import { stringOfLength } from './generate-string.ts';
import { stringForPattern } from './patterns.ts';
import type { Rng } from './rng.ts';

/** Longest string made for a length class (longer maxLength values get no `max_length` class). */
export const MAX_CLASS_LENGTH = 4096;

/** Length of the `long` class of strings without maxLength. */
const LONG_TEXT = 256;

/** Other matches of a pattern, from their own streams (a pattern narrows every fixed kind of text away). */
function patternKinds(flat: JsonSchemaObject, rng: Rng): StringKind[] {
  if (typeof flat.pattern !== 'string') return [];
  const pattern = flat.pattern;
  const format = typeof flat.format === 'string' ? flat.format : undefined;
  const accept = format === undefined ? undefined : (v: string) => satisfiesFormat(format, v);
  const limits = {
    minLength: flat.minLength ?? 0,
    maxLength: flat.maxLength ?? Number.POSITIVE_INFINITY,
    accept,
  };
  return [1, 2].flatMap((n) => {
    const value = stringForPattern(pattern, rng.fork(`pattern:${n}`), limits);
    return value === undefined
      ? []
      : [
          {
            key: `pattern_match_${n}`,
            label: (v: string) => `another match of the pattern ${show(v)}`,
            candidates: [value],
          },
        ];
  });
}

/** A kind of string: its key, a label for the value, and candidate values in order of preference. */
export interface StringKind {
  key: string;
  label: (value: string) => string;
  candidates: string[];
}

/** Alternating case of the letters of `text` (`alpha` → `AlPhA`). */
function alternateCase(text: string): string {
  let upper = true;
  let out = '';
  for (const ch of text) {
    if (/\p{L}/u.test(ch)) {
      out += upper ? ch.toUpperCase() : ch.toLowerCase();
      upper = !upper;
    } else out += ch;
  }
  return out;
}

function textKinds(typical: string): StringKind[] {
  return [
    {
      key: 'mixed_case',
      label: (v) => `mixed case ${show(v)}`,
      candidates: [alternateCase(typical), 'MixedCase', 'aBc'],
    },
    {
      key: 'spaces_punctuation',
      label: (v) => `spaces and punctuation ${show(v)}`,
      candidates: ['Hello, world! (v2.0) - ok?', `${typical}, ${typical}!`, 'a b.c', 'a-b'],
    },
    { key: 'digits', label: (v) => `digits only ${show(v)}`, candidates: ['12345', '0', '1'] },
    {
      key: 'non_ascii',
      label: (v) => `non-ASCII text ${show(v)}`,
      candidates: ['Zoë Ångström', 'Zoë', 'é', 'ü'],
    },
    { key: 'cjk', label: (v) => `CJK text ${show(v)}`, candidates: ['東京都', '日本'] },
    { key: 'emoji', label: (v) => `emoji (outside the BMP) ${show(v)}`, candidates: ['Hi 👋🏽', '👍'] },
    {
      key: 'whitespace_edges',
      label: (v) => `leading and trailing spaces ${show(v)}`,
      candidates: [` ${typical} `, ' a '],
    },
  ];
}

function lengthKinds(flat: JsonSchemaObject, rng: Rng, hint: string): StringKind[] {
  const kinds: StringKind[] = [];
  const lengthKind = (key: string, length: number, label: (v: string) => string): void => {
    if (length < 1 || length > MAX_CLASS_LENGTH) return;
    const value = stringOfLength(flat, length, rng.fork(key), hint);
    if (value !== undefined) kinds.push({ key, label, candidates: [value] });
  };
  kinds.push({ key: 'empty', label: () => 'empty string', candidates: [''] });
  lengthKind('one_char', 1, (v) => `one character ${show(v)}`);
  if (typeof flat.minLength === 'number' && flat.minLength > 1)
    lengthKind('min_length', flat.minLength, () => `at minLength ${flat.minLength}`);
  if (typeof flat.maxLength === 'number')
    lengthKind('max_length', flat.maxLength, () => `at maxLength ${flat.maxLength}`);
  else lengthKind('long', LONG_TEXT, () => `a long text (${LONG_TEXT} characters)`);
  return kinds;
}

function formatKinds(format: string | undefined): StringKind[] {
  if (format === undefined) return [];
  return formatExamples(format).map((example) => ({
    key: `${format.replace(/[^a-z0-9]+/gi, '_')}_${example.key}`,
    label: (v) => `${format}: ${example.label} ${show(v)}`,
    candidates: [example.value],
  }));
}

/**
 * String kinds in priority order: lengths, then format examples, then kinds of text. Text kinds are left
 * out for formatted strings (an email is not "mixed case" in a useful way) except where the format is free text.
 */
export function stringKinds(
  flat: JsonSchemaObject,
  opts: { typical: string; rng: Rng; hint: string },
): StringKind[] {
  const format = typeof flat.format === 'string' ? flat.format : undefined;
  const formatted = format !== undefined && formatExamples(format).length > 0;
  return [
    ...lengthKinds(flat, opts.rng, opts.hint),
    ...formatKinds(format),
    ...patternKinds(flat, opts.rng),
    ...(formatted ? [] : textKinds(opts.typical)),
  ];
}
