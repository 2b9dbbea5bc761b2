/**
 * Input classes (one valid value standing for many that a server treats alike) and their keys: short,
 * stable identifiers derived from what a class is, never from its position or the seed.
 */
import { deepEqual } from './json.ts';

/** One equivalence class of an input: a valid value and what it stands for. */
export interface InputClass {
  /** Human-readable: `at maximum 50`, `non-ASCII text "Zoë"`. */
  label: string;
  value: unknown;
  /** Stable identifier (`zero`, `max`, `enum_red`, `non_ascii`): safe in case ids, unique within one input. */
  key: string;
}

/** The key of the synthesised everyday value; it gives way to a named class with the same value. */
export const TYPICAL_KEY = 'typical';

const MAX_SLUG = 24;

/** FNV-1a of a text, as 6 base-36 digits: names a value whose text has no usable letters. */
export function shortHash(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(36).padStart(6, '0').slice(-6);
}

/**
 * A key fragment for a value: ASCII letters and digits joined by `_` (accents dropped), at most 24
 * characters; `h` and a hash of the JSON text when nothing usable is left (`日本` → `h1x9k2a`).
 */
export function slug(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  const ascii = text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
  if (ascii === '') return `h${shortHash(text)}`;
  if (ascii.length <= MAX_SLUG) return ascii;
  return `${ascii.slice(0, MAX_SLUG - 7).replace(/_+$/, '')}_${shortHash(text)}`;
}

/** A value shown in a label: JSON, cut to 40 characters. */
export function show(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length <= 40 ? text : `${text.slice(0, 37)}…`;
}

/**
 * Classes with deep-equal values merged (first position kept) and keys made unique. A merged class takes the
 * key and label of the named class rather than {@link TYPICAL_KEY}; a repeated key gets a hash of its value.
 */
export function mergeClasses(classes: readonly InputClass[]): InputClass[] {
  const out: InputClass[] = [];
  for (const candidate of classes) {
    const index = out.findIndex((c) => deepEqual(c.value, candidate.value));
    const same = out[index];
    if (same) {
      if (same.key === TYPICAL_KEY && candidate.key !== TYPICAL_KEY)
        out[index] = { ...candidate, value: same.value };
      continue;
    }
    out.push(candidate);
  }
  const seen = new Set<string>();
  return out.map((c) => {
    let key = c.key;
    if (seen.has(key)) key = `${key}_${shortHash(JSON.stringify(c.value) ?? '')}`;
    seen.add(key);
    return key === c.key ? c : { ...c, key };
  });
}
