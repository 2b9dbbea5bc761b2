/** String matching: palindromes, anagrams, wildcard and substring matching, case folding, Unicode counts. */
import type { Server } from 'node:http';
import { join } from 'node:path';
import { createSubjectServer } from '../common/subject-server.ts';

const fold = (text: string, ignoreCase: boolean): string =>
  ignoreCase ? text.toLocaleLowerCase('und') : text;

function palindrome(text: string, ignoreCase: boolean, ignoreSpaces: boolean) {
  let chars = [...fold(text.normalize('NFC'), ignoreCase)];
  if (ignoreSpaces) {
    chars = chars.filter((ch) => /[\p{L}\p{N}]/u.test(ch));
  }
  const normalized = chars.join('');
  let ok = true;
  for (let i = 0, j = chars.length - 1; i < j; i++, j--) {
    if (chars[i] !== chars[j]) {
      ok = false;
      break;
    }
  }
  return { palindrome: ok, length: chars.length, normalized };
}

function letterCounts(text: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const ch of text) {
    if (!/\s/u.test(ch)) {
      counts.set(ch, (counts.get(ch) ?? 0) + 1);
    }
  }
  return counts;
}

function anagram(first: string, second: string, ignoreCase: boolean) {
  const a = fold(first.normalize('NFC'), ignoreCase);
  const b = fold(second.normalize('NFC'), ignoreCase);
  if (a.trim() === '' && b.trim() === '') {
    return { anagram: false, reason: 'empty' };
  }
  if (a === b) {
    return { anagram: true, reason: 'identical' };
  }
  const ca = letterCounts(a);
  const cb = letterCounts(b);
  const sizeA = [...ca.values()].reduce((s, n) => s + n, 0);
  const sizeB = [...cb.values()].reduce((s, n) => s + n, 0);
  if (sizeA !== sizeB) {
    return { anagram: false, reason: 'different-length' };
  }
  for (const [ch, n] of ca) {
    if (cb.get(ch) !== n) {
      return { anagram: false, reason: 'different-letters' };
    }
  }
  return { anagram: true, reason: 'anagram' };
}

/** Wildcard matching (`*`, `?`) by dynamic programming over code points. */
function wildcard(text: string[], pattern: string[]): boolean {
  let row = new Array<boolean>(text.length + 1).fill(false);
  row[0] = true;
  for (const p of pattern) {
    const next = new Array<boolean>(text.length + 1).fill(false);
    if (p === '*') {
      next[0] = row[0] as boolean;
      for (let i = 1; i <= text.length; i++) next[i] = (row[i] as boolean) || (next[i - 1] as boolean);
    } else {
      for (let i = 1; i <= text.length; i++)
        next[i] = (row[i - 1] as boolean) && (p === '?' || p === text[i - 1]);
    }
    row = next;
  }
  return row[text.length] as boolean;
}

function occurrences(text: string, pattern: string): number {
  if (pattern === '') {
    return text.length + 1;
  }
  let count = 0;
  for (let i = text.indexOf(pattern); i >= 0; i = text.indexOf(pattern, i + 1)) count++;
  return count;
}

function match(textIn: string, patternIn: string, mode: string, caseSensitive: boolean) {
  const text = fold(textIn, !caseSensitive);
  const pattern = fold(patternIn, !caseSensitive);
  switch (mode) {
    case 'exact':
      return { matched: text === pattern };
    case 'prefix':
      return { matched: text.startsWith(pattern), ...(text.startsWith(pattern) ? { index: 0 } : {}) };
    case 'suffix': {
      const matched = text.endsWith(pattern);
      return { matched, ...(matched ? { index: text.length - pattern.length } : {}) };
    }
    case 'wildcard':
      return { matched: wildcard([...text], [...pattern]) };
    default: {
      const index = text.indexOf(pattern);
      return index < 0
        ? { matched: false, occurrences: 0 }
        : { matched: true, index, occurrences: occurrences(text, pattern) };
    }
  }
}

function stats(text: string) {
  const counts = {
    letters: 0,
    upper: 0,
    lower: 0,
    digits: 0,
    spaces: 0,
    punctuation: 0,
    other: 0,
    nonAscii: 0,
    vowels: 0,
  };
  let latin = 0;
  let length = 0;
  for (const ch of text) {
    length++;
    if (ch.codePointAt(0)! > 0x7f) {
      counts.nonAscii++;
    }
    if (/\p{L}/u.test(ch)) {
      counts.letters++;
      if (/\p{Lu}/u.test(ch)) {
        counts.upper++;
      } else if (/\p{Ll}/u.test(ch)) {
        counts.lower++;
      }
      if (/\p{Script=Latin}/u.test(ch)) {
        latin++;
      }
      if (/[aeiou]/i.test(ch.normalize('NFD').charAt(0))) {
        counts.vowels++;
      }
    } else if (/\p{N}/u.test(ch)) {
      counts.digits++;
    } else if (/\s/u.test(ch)) {
      counts.spaces++;
    } else if (/\p{P}/u.test(ch)) {
      counts.punctuation++;
    } else {
      counts.other++;
    }
  }
  let script: string;
  if (length === 0) {
    script = 'empty';
  } else if (counts.nonAscii === 0) {
    script = 'ascii';
  } else if (latin === counts.letters && counts.letters > 0) {
    script = 'latin';
  } else if (latin > 0) {
    script = 'mixed';
  } else {
    script = 'other';
  }
  const words = text.split(/[^\p{L}\p{N}']+/u).filter((w) => w !== '').length;
  return { length, codeUnits: text.length, ...counts, words, script };
}

export function createSubject(): Server {
  return createSubjectServer(join(import.meta.dirname, 'openapi.yaml'), {
    checkPalindrome: ({ body }) => {
      const { text, ignoreCase, ignoreSpaces } = body as {
        text: string;
        ignoreCase?: boolean;
        ignoreSpaces?: boolean;
      };
      return palindrome(text, ignoreCase ?? true, ignoreSpaces ?? false);
    },
    checkAnagram: ({ body }) => {
      const { first, second, ignoreCase } = body as { first: string; second: string; ignoreCase?: boolean };
      return anagram(first, second, ignoreCase ?? true);
    },
    matchText: ({ query }) =>
      match(
        query.text as string,
        query.pattern as string,
        (query.mode as string | undefined) ?? 'contains',
        (query.caseSensitive as boolean | undefined) ?? true,
      ),
    textStats: ({ query }) => stats(query.text as string),
  });
}
