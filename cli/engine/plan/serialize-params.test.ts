import { describe, expect, it } from 'vitest';
import type { IrParameter } from '../ir/types.ts';
import {
  buildPath,
  serializeCookieParam,
  serializeHeaderParam,
  serializePathParam,
  serializeQueryParam,
} from './serialize-params.ts';

function param(overrides: Partial<IrParameter>): IrParameter {
  return {
    name: 'id',
    in: 'query',
    required: false,
    style: 'form',
    explode: true,
    allowReserved: false,
    schema: {},
    examples: [],
    deprecated: false,
    ...overrides,
  };
}

// Table from the OpenAPI 3.1 "Style Examples" section (color = blue / [blue,black,brown] / {R:100,G:200,B:150}).
const array = ['blue', 'black', 'brown'];
const object = { R: 100, G: 200, B: 150 };

describe('serializePathParam', () => {
  const cases: Array<[Partial<IrParameter>, unknown, string]> = [
    [{ style: 'simple', explode: false }, 'blue', 'blue'],
    [{ style: 'simple', explode: false }, array, 'blue,black,brown'],
    [{ style: 'simple', explode: false }, object, 'R,100,G,200,B,150'],
    [{ style: 'simple', explode: true }, object, 'R=100,G=200,B=150'],
    [{ style: 'label', explode: false }, 'blue', '.blue'],
    [{ style: 'label', explode: false }, array, '.blue,black,brown'],
    [{ style: 'label', explode: true }, array, '.blue.black.brown'],
    [{ style: 'matrix', explode: false }, 'blue', ';color=blue'],
    [{ style: 'matrix', explode: false }, array, ';color=blue,black,brown'],
    [{ style: 'matrix', explode: true }, array, ';color=blue;color=black;color=brown'],
    [{ style: 'simple', explode: false }, 'a b/c', 'a%20b%2Fc'],
    [{ style: 'simple', explode: false }, 42, '42'],
  ];
  it.each(cases)('%o with %o → %s', (overrides, value, expected) => {
    const parts = serializePathParam(param({ name: 'color', in: 'path', ...overrides }), value);
    expect(parts.join('')).toBe(expected);
  });

  it('keeps a captured variable as a variable, with the style prefix as a literal', () => {
    expect(serializePathParam(param({ name: 'id', in: 'path', style: 'simple' }), { $var: 'id' })).toEqual([
      { $var: 'id' },
    ]);
    expect(serializePathParam(param({ name: 'id', in: 'path', style: 'matrix' }), { $var: 'id' })).toEqual([
      ';id=',
      { $var: 'id' },
    ]);
  });
});

describe('buildPath', () => {
  it('substitutes slots and merges literal parts', () => {
    const values = new Map([
      ['ownerId', ['7']],
      ['petId', [{ $var: 'petId' }]],
    ]);
    expect(buildPath('/owners/{ownerId}/pets/{petId}/photos', values)).toEqual([
      '/owners/7/pets/',
      { $var: 'petId' },
      '/photos',
    ]);
  });
});

describe('serializeQueryParam', () => {
  const cases: Array<[Partial<IrParameter>, unknown, Array<[string, string]>]> = [
    [{ style: 'form', explode: true }, 'blue', [['color', 'blue']]],
    [{ style: 'form', explode: true }, array, array.map((v) => ['color', v] as [string, string])],
    [{ style: 'form', explode: false }, array, [['color', 'blue,black,brown']]],
    [
      { style: 'form', explode: true },
      object,
      [
        ['R', '100'],
        ['G', '200'],
        ['B', '150'],
      ],
    ],
    [{ style: 'form', explode: false }, object, [['color', 'R,100,G,200,B,150']]],
    [{ style: 'spaceDelimited', explode: false }, array, [['color', 'blue black brown']]],
    [{ style: 'pipeDelimited', explode: false }, array, [['color', 'blue|black|brown']]],
    [
      { style: 'deepObject', explode: true },
      object,
      [
        ['color[R]', '100'],
        ['color[G]', '200'],
        ['color[B]', '150'],
      ],
    ],
    [{ style: 'form', explode: true }, true, [['color', 'true']]],
  ];
  it.each(cases)('%o with %o', (overrides, value, expected) => {
    expect(serializeQueryParam(param({ name: 'color', ...overrides }), value)).toEqual(expected);
  });

  it('sends JSON for parameters described with content', () => {
    expect(serializeQueryParam(param({ name: 'filter', contentType: 'application/json' }), { a: 1 })).toEqual(
      [['filter', '{"a":1}']],
    );
  });
});

describe('header and cookie parameters', () => {
  it('serialises headers in simple style', () => {
    expect(serializeHeaderParam(param({ in: 'header', style: 'simple', explode: false }), array)).toBe(
      'blue,black,brown',
    );
    expect(serializeHeaderParam(param({ in: 'header', style: 'simple', explode: true }), object)).toBe(
      'R=100,G=200,B=150',
    );
  });
  it('serialises cookies in form style', () => {
    expect(serializeCookieParam(param({ in: 'cookie' }), 'abc')).toBe('abc');
    expect(serializeCookieParam(param({ in: 'cookie' }), [1, 2])).toBe('1,2');
  });
});
