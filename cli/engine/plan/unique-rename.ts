/**
 * How a runtime renames a made-up text in each run (types.ts {@link UniqueText}), here to judge at planning
 * time whether every renaming of a pattern's value stays valid. The runtimes (JS, Python, Postman, k6) each
 * carry the same few lines; tests/render/unique-rename.test.ts holds them to the same answers.
 */
import type { UniqueText } from './types.ts';

const DIGITS = '0123456789';
const LOWER = 'abcdefghijklmnopqrstuvwxyz';
const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';

/** The class of a character of a text of `shape`, or undefined for one that is kept. */
function classOf(char: string, shape: UniqueText['shape'], index: number): string | undefined {
  if (shape === 'uuid') {
    if (index === 14 || index === 19) return undefined;
    if (DIGITS.includes(char)) return DIGITS;
    if (LOWER.slice(0, 6).includes(char)) return LOWER.slice(0, 6);
    if (UPPER.slice(0, 6).includes(char)) return UPPER.slice(0, 6);
    return undefined;
  }
  if (DIGITS.includes(char)) return DIGITS;
  if (LOWER.includes(char)) return LOWER;
  if (UPPER.includes(char)) return UPPER;
  return undefined;
}

/** `unique.text` as a run with `salt` (non-empty) sends it. */
export function renamedText(unique: UniqueText, salt: string): string {
  let out = '';
  for (let i = 0; i < unique.text.length; i++) {
    const char = unique.text[i] as string;
    const members = classOf(char, unique.shape, i);
    if (members === undefined) {
      out += char;
      continue;
    }
    let k = 0;
    for (let j = 0; j < salt.length; j++) k += salt.charCodeAt(j) * (i + j + 1);
    out += members[(members.indexOf(char) + 1 + (k % (members.length - 1))) % members.length];
  }
  return out;
}
