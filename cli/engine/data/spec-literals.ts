/**
 * Every literal the spec itself gives for one input: its examples (schema `example`/`examples` and the
 * operation's examples passed in), its `default`, and the words it quotes in descriptions and titles
 * (`'celsius'`, `"asc"`, `` `2024-01-31` ``). Authors quote the values their code branches on.
 */
import type { JsonSchemaObject } from '../ir/types.ts';
import { type InputClass, show, slug } from './class-keys.ts';
import { holdsExactNumbers } from './json.ts';

/** Quoted runs of 1–64 characters; a `'` only counts outside a word, so "don't … isn't" quotes nothing. */
const QUOTED = /(?<![\p{L}\p{N}])'([^'\n]{1,64})'(?![\p{L}\p{N}])|"([^"\n]{1,64})"|`([^`\n]{1,64})`/gu;

/** The quoted words of a text, in order, without repeats. */
export function quotedWords(text: string | undefined): string[] {
  if (!text) return [];
  const out: string[] = [];
  for (const m of text.matchAll(QUOTED)) {
    const word = (m[1] ?? m[2] ?? m[3] ?? '').trim();
    if (word !== '' && !out.includes(word)) out.push(word);
  }
  return out;
}

/**
 * A quoted word as a value of the schema's type: `"42"` is 42 for a number, `"true"` is true for a
 * boolean; undefined when it cannot be one (the caller's validity check decides the rest).
 */
function literalValue(word: string, type: string | undefined): unknown {
  if (type === 'integer' || type === 'number') {
    const n = Number(word);
    return word.trim() !== '' && Number.isFinite(n) ? n : undefined;
  }
  if (type === 'boolean') return word === 'true' ? true : word === 'false' ? false : undefined;
  if (type === 'string' || type === undefined) return word;
  return undefined;
}

/** What one input's spec says, besides its schema. */
export interface LiteralSources {
  /** The parameter's or property's own description. */
  description?: string;
  /** Examples the operation gives for this input (parameter examples, a body example's property). */
  examples?: readonly unknown[];
}

/**
 * The spec's literals for one input as classes (unchecked): `spec_example_N` (schema examples first, then
 * the operation's, numbered in that order), `spec_default`, `spec_literal_<word>`.
 */
export function specLiterals(
  flat: JsonSchemaObject,
  type: string | undefined,
  src: LiteralSources,
): InputClass[] {
  const examples: unknown[] = [];
  if (flat.example !== undefined) examples.push(flat.example);
  if (Array.isArray(flat.examples)) examples.push(...flat.examples);
  examples.push(...(src.examples ?? []));
  const out: InputClass[] = examples.filter(holdsExactNumbers).map((value, i) => ({
    key: `spec_example_${i + 1}`,
    label: `example from the spec ${show(value)}`,
    value,
  }));
  if (flat.default !== undefined && holdsExactNumbers(flat.default))
    out.push({ key: 'spec_default', label: `the default ${show(flat.default)}`, value: flat.default });
  const words = [
    ...quotedWords(src.description),
    ...quotedWords(typeof flat.description === 'string' ? flat.description : undefined),
    ...quotedWords(typeof flat.title === 'string' ? flat.title : undefined),
  ];
  for (const word of new Set(words)) {
    const value = literalValue(word, type);
    if (value === undefined) continue;
    out.push({ key: `spec_literal_${slug(word)}`, label: `value quoted in the spec ${show(value)}`, value });
  }
  return out;
}
