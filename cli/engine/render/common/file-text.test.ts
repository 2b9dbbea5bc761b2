import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  isEncoded,
  joinText,
  LARGE_TEXT,
  LazyArray,
  prettyJson,
  textLength,
  textParts,
  wholeOrParts,
} from './file-text.ts';

/** A small deterministic generator of JSON-like values, with the cases JSON.stringify treats specially. */
function randomValue(next: () => number, depth: number): unknown {
  const pick = Math.floor(next() * (depth > 5 ? 6 : 10));
  switch (pick) {
    case 0:
      return null;
    case 1:
      return next() < 0.5;
    case 2:
      return [0, -0, 1.5, -7, 1e21, 2 ** 53][Math.floor(next() * 6)];
    case 3:
      return ['', 'plain', 'line\nbreak', 'tab\t"quote"', '\u2028\u2029', 'é 🦄 \ud800'][
        Math.floor(next() * 6)
      ];
    case 4:
      return undefined;
    case 5:
      return Number.NaN;
    case 6:
    case 7: {
      const length = Math.floor(next() * 5);
      return Array.from({ length }, () => randomValue(next, depth + 1));
    }
    default: {
      const out: Record<string, unknown> = {};
      const length = Math.floor(next() * 5);
      for (let i = 0; i < length; i++)
        out[['a', 'b c', '200', '__x', 'ключ'][i] as string] = randomValue(next, depth + 1);
      return out;
    }
  }
}

function lcg(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

describe('prettyJson', () => {
  it('writes what JSON.stringify(value, null, 2) writes, plus a newline', () => {
    for (let seed = 1; seed <= 500; seed++) {
      const value = { root: randomValue(lcg(seed), 0), list: [randomValue(lcg(seed * 7), 0)] };
      expect(prettyJson(value)).toBe(`${JSON.stringify(value, null, 2)}\n`);
    }
  });

  it('splits long arrays deep down (and objects holding one) the same way', () => {
    const next = lcg(42);
    const long = (n: number) => Array.from({ length: n }, () => randomValue(next, 3));
    const value = {
      item: [
        { name: 'a', item: long(300) },
        { name: 'b', item: [[{ deep: long(257) }]] },
      ],
      x: long(256),
    };
    const parts = prettyJson(value, 0);
    expect(joinText(parts)).toBe(`${JSON.stringify(value, null, 2)}\n`);
    expect(textParts(parts).length).toBeGreaterThan(557);
  });

  it('handles top-level scalars, empty containers and omitted members', () => {
    for (const value of [null, 1, 'x', [], {}, [undefined], { a: undefined }, { a: [[[]]], b: {} }]) {
      expect(prettyJson(value)).toBe(`${JSON.stringify(value, null, 2)}\n`);
    }
  });

  it('keeps a text too large for one string in parts that concatenate to the same bytes', () => {
    const value = { cases: Array.from({ length: 200 }, (_, i) => ({ id: `case_${i}`, steps: [{ n: i }] })) };
    const whole = `${JSON.stringify(value, null, 2)}\n`;
    const parts = prettyJson(value, 1000);
    expect(Array.isArray(parts)).toBe(true);
    expect(textParts(parts).length).toBeGreaterThan(200);
    expect(joinText(parts)).toBe(whole);
    expect(textLength(parts)).toBe(whole.length);
    // No part is anywhere near the whole: a file far past V8's string limit fits in memory.
    expect(Math.max(...textParts(parts).map((part) => part.length))).toBeLessThan(200);
  });
});

describe('prettyJson of a large value', () => {
  it('stays in the parts it is written in from LARGE_TEXT characters on, and is one string below that', () => {
    const large = { items: Array.from({ length: LARGE_TEXT / 16 }, (_, index) => `item ${index}`) };
    const text = prettyJson(large);
    expect(Array.isArray(text)).toBe(true);
    expect(joinText(text)).toBe(`${JSON.stringify(large, null, 2)}\n`);
    expect(prettyJson({ small: true })).toBe('{\n  "small": true\n}\n');
  });
});

describe('prettyJson past the spill size', () => {
  it('encodes what it has written every spill size as UTF-8: the chunks are the text, hashed', () => {
    for (let seed = 1; seed <= 60; seed++) {
      const next = lcg(seed);
      const value = { list: Array.from({ length: 80 }, () => randomValue(next, 2)), tail: 'é 🦄' };
      const text = `${JSON.stringify(value, null, 2)}\n`;
      const spilled = prettyJson(value, LARGE_TEXT - 1, 200);
      if (!isEncoded(spilled)) throw new Error(`seed ${seed}: not spilled`);
      expect(spilled.chunks.length).toBeGreaterThan(1);
      expect(Buffer.concat(spilled.chunks).toString('utf8')).toBe(text);
      // Each chunk is whole characters: decoded one by one they are the text too.
      expect(joinText(spilled)).toBe(text);
      expect(textLength(spilled)).toBe(text.length);
      expect(spilled.sha256).toBe(createHash('sha256').update(text).digest('hex'));
    }
  });

  it('stays text below the spill size', () => {
    expect(prettyJson({ a: [1, 2, 3] }, LARGE_TEXT - 1, 10_000)).toBe(
      '{\n  "a": [\n    1,\n    2,\n    3\n  ]\n}\n',
    );
  });
});

describe('LazyArray', () => {
  it('is written as the array of its items, each made once, in order, as it is written', () => {
    const made: number[] = [];
    const lazy = (n: number) =>
      new LazyArray(n, (i) => {
        made.push(i);
        return { id: i, steps: [{ n: i }] };
      });
    const value = {
      folders: [
        { name: 'a', item: lazy(3) },
        { name: 'b', item: lazy(0) },
      ],
      deep: [[[lazy(2)]]],
    };
    const expected = JSON.stringify(
      {
        folders: [
          { name: 'a', item: lazy(3).toJSON() },
          { name: 'b', item: [] },
        ],
        deep: [[[lazy(2).toJSON()]]],
      },
      null,
      2,
    );
    made.length = 0;
    expect(prettyJson(value)).toBe(`${expected}\n`);
    expect(made).toEqual([0, 1, 2, 0, 1]);
  });
});

describe('wholeOrParts', () => {
  it('joins parts that fit in one string and keeps the others', () => {
    expect(wholeOrParts(['ab', 'c'], 3)).toBe('abc');
    expect(wholeOrParts(['ab', 'cd'], 3)).toEqual(['ab', 'cd']);
    expect(textParts('abc')).toEqual(['abc']);
    expect(textLength('abc')).toBe(3);
  });
});
