import { describe, expect, it } from 'vitest';
import { type InputClass, inputClasses } from '../../../cli/engine/data/classes.ts';
import type { Depth } from '../../../cli/engine/data/depth.ts';
import { createRng } from '../../../cli/engine/data/rng.ts';
import type { JsonSchema } from '../../../cli/engine/ir/types.ts';
import { convert30, createValidator } from './ajv-harness.ts';
import { TABLE, TABLE_SCHEMAS } from './schema-table.ts';

const validator = createValidator(TABLE_SCHEMAS, 'request');

function classes(
  schema: JsonSchema,
  opts: { name?: string; seed?: number; depth?: Depth; description?: string; examples?: unknown[] } = {},
): InputClass[] {
  const name = opts.name ?? 'value';
  return inputClasses(schema, {
    name,
    ctx: { schemas: TABLE_SCHEMAS, rng: createRng(opts.seed ?? 1).fork(name), view: 'request' },
    depth: opts.depth ?? 'standard',
    ...(opts.description === undefined ? {} : { description: opts.description }),
    ...(opts.examples === undefined ? {} : { examples: opts.examples }),
  });
}

const keys = (list: InputClass[]): string[] => list.map((c) => c.key);
const valueAt = (list: InputClass[], key: string): unknown => list.find((c) => c.key === key)?.value;

/** Property schemas of the shared table's objects, so body properties are covered as well. */
const PROPERTY_SCHEMAS: Array<[string, JsonSchema]> = TABLE.flatMap(([name, schema]) =>
  typeof schema === 'object' && schema.properties
    ? Object.entries(schema.properties).map(([prop, sub]): [string, JsonSchema] => [`${name}.${prop}`, sub])
    : [],
);

/** Schemas whose classes are checked one by one below. */
const CASES: Array<[string, JsonSchema]> = [
  ['bounded integer', { type: 'integer', minimum: 1, maximum: 50 }],
  ['exclusive number', { type: 'number', exclusiveMinimum: 0, exclusiveMaximum: 10 }],
  ['multipleOf', { type: 'integer', multipleOf: 5, minimum: 0, maximum: 100 }],
  ['fractional multipleOf', { type: 'number', multipleOf: 0.25, minimum: -1, maximum: 1 }],
  ['unbounded number', { type: 'number' }],
  ['enum', { type: 'string', enum: ['red', 'green', 'Blue sky'] }],
  ['nullable enum (3.0)', convert30({ type: 'string', enum: ['a', 'b'], nullable: true }) as JsonSchema],
  ['pattern', { type: 'string', pattern: '^[A-Z]{3}$' }],
  ['length-limited string', { type: 'string', minLength: 2, maxLength: 8 }],
  ['date', { type: 'string', format: 'date' }],
  ['date-time', { type: 'string', format: 'date-time' }],
  ['email', { type: 'string', format: 'email', maxLength: 40 }],
  ['uri', { type: 'string', format: 'uri' }],
  ['uuid', { type: 'string', format: 'uuid' }],
  ['ipv4', { type: 'string', format: 'ipv4' }],
  ['ipv6', { type: 'string', format: 'ipv6' }],
  ['hostname', { type: 'string', format: 'hostname' }],
  ['nullable string (3.1)', { type: ['string', 'null'], maxLength: 10 }],
  ['boolean', { type: 'boolean' }],
  ['array of enums', { type: 'array', items: { type: 'string', enum: ['a', 'b', 'c'] }, uniqueItems: true }],
  ['bounded array', { type: 'array', items: { type: 'integer' }, minItems: 2, maxItems: 4 }],
  [
    'object',
    {
      type: 'object',
      required: ['name'],
      properties: { name: { type: 'string' }, age: { type: 'integer', minimum: 0 } },
    },
  ],
  [
    'oneOf',
    {
      oneOf: [
        { type: 'integer', minimum: 10 },
        { type: 'string', maxLength: 3 },
      ],
    },
  ],
  ['ref', { $ref: '#/components/schemas/Person' }],
];

describe('inputClasses: every class validates (Ajv), 20 seeds', () => {
  it.each([...CASES, ...TABLE, ...PROPERTY_SCHEMAS])('%s', (_name, schema) => {
    for (let seed = 1; seed <= 20; seed++) {
      for (const depth of ['quick', 'standard', 'deep'] as const) {
        const list = classes(schema, { seed, depth, name: 'startDate' });
        expect(list.length).toBeGreaterThan(0);
        expect(new Set(keys(list)).size, 'keys are unique').toBe(list.length);
        for (const c of list) {
          const verdict = validator.validate(schema, c.value);
          // The typical value is synthesis's best effort; every other class must be valid.
          if (c.key !== 'typical') expect(verdict.errors, `${seed} ${depth} ${c.key}`).toEqual([]);
        }
      }
    }
  });
});

describe('inputClasses: classes per schema type', () => {
  it('numbers: landmarks, edges and one step inside them', () => {
    const list = classes({ type: 'integer', minimum: 1, maximum: 50 });
    expect(keys(list)).toEqual(['typical', 'min', 'min_plus_1', 'max_minus_1', 'max', 'small']);
    expect(list.slice(1).map((c) => c.value)).toEqual([1, 2, 49, 50, 7]);
    expect(list.find((c) => c.key === 'max')?.label).toBe('at maximum 50');
    const open = classes({ type: 'integer' });
    expect(keys(open)).toEqual([
      'typical',
      'zero',
      'one',
      'minus_one',
      'two',
      'small',
      'large',
      'large_negative',
    ]);
  });

  it('numbers: just inside exclusive bounds, a fraction for `number`', () => {
    const list = classes({ type: 'number', exclusiveMinimum: 0, exclusiveMaximum: 10 });
    expect(valueAt(list, 'min')).toBe(0.01);
    expect(valueAt(list, 'max')).toBe(9.99);
    expect(list.find((c) => c.key === 'min')?.label).toBe('just above exclusive minimum 0 (0.01)');
    expect(valueAt(list, 'fraction')).toBe(0.5);
    expect(keys(list)).not.toContain('zero');
    expect(keys(classes({ type: 'integer' }))).not.toContain('fraction');
  });

  it('numbers: multipleOf is honoured by every class', () => {
    const list = classes({ type: 'integer', multipleOf: 5, minimum: 0, maximum: 100 }, { seed: 3 });
    for (const c of list) expect((c.value as number) % 5).toBe(0);
    expect(list.map((c) => c.value)).toEqual(expect.arrayContaining([0, 5, 95, 100]));
    const quarter = classes({ type: 'number', multipleOf: 0.25, minimum: -1, maximum: 1 });
    expect(quarter.map((c) => c.value)).toEqual(expect.arrayContaining([-1, -0.75, 0.75, 1, 0, 0.25, 0.5]));
  });

  it('strings: lengths, kinds of text, non-ASCII', () => {
    const list = classes({ type: 'string', maxLength: 20 }, { name: 'remark' });
    expect(keys(list)).toEqual(
      expect.arrayContaining([
        'empty',
        'one_char',
        'max_length',
        'mixed_case',
        'spaces_punctuation',
        'digits',
        'non_ascii',
        'cjk',
        'emoji',
      ]),
    );
    expect([...(valueAt(list, 'max_length') as string)]).toHaveLength(20);
    expect(valueAt(list, 'non_ascii')).toBe('Zoë Ångström');
    expect(list.find((c) => c.key === 'non_ascii')?.label).toBe('non-ASCII text "Zoë Ångström"');
    // minLength drops the empty and one-character classes and adds one at minLength.
    const min = classes({ type: 'string', minLength: 2, maxLength: 8 });
    expect(keys(min)).not.toContain('empty');
    expect(keys(min)).not.toContain('one_char');
    expect([...(valueAt(min, 'min_length') as string)]).toHaveLength(2);
  });

  it('strings: each enum value, and null when the schema allows it', () => {
    expect(keys(classes({ type: 'string', enum: ['red', 'green', 'Blue sky'] })).sort()).toEqual([
      'enum_blue_sky',
      'enum_green',
      'enum_red',
    ]);
    const nullable = classes(convert30({ type: 'string', enum: ['a', 'b'], nullable: true }) as JsonSchema);
    expect(keys(nullable).sort()).toEqual(['enum_a', 'enum_b', 'null']);
    expect(keys(classes({ type: ['string', 'null'], maxLength: 10 }))).toContain('null');
  });

  it('strings: the canonical examples of each format', () => {
    expect(keys(classes({ type: 'string', format: 'date' }, { name: 'x' }))).toEqual(
      expect.arrayContaining(['date_leap_day', 'date_epoch', 'date_year_end', 'date_century']),
    );
    expect(classes({ type: 'string', format: 'ipv6' }).map((c) => c.value)).toEqual(
      expect.arrayContaining(['::1', '::', '2001:db8::1']),
    );
    expect(keys(classes({ type: 'string', format: 'email' }))).toContain('email_plus_tag');
    expect(keys(classes({ type: 'string', format: 'uuid' }))).toContain('uuid_nil');
    // A format's examples that break another keyword are dropped.
    const short = classes({ type: 'string', format: 'email', maxLength: 16 });
    expect(keys(short)).toContain('email_plain');
    expect(keys(short)).not.toContain('email_plus_tag');
  });

  it('strings: a pattern keeps only matching kinds and adds other matches', () => {
    const list = classes({ type: 'string', pattern: '^[A-Z]{3}$' });
    for (const c of list) expect(c.value).toMatch(/^[A-Z]{3}$/);
    expect(keys(list)).toEqual(expect.arrayContaining(['pattern_match_1', 'pattern_match_2']));
  });

  it('booleans, arrays and objects', () => {
    expect(keys(classes({ type: 'boolean' })).sort()).toEqual(['false', 'true']);
    const arrays = classes({ type: 'array', items: { type: 'integer' }, maxItems: 4 });
    expect(keys(arrays)).toEqual(expect.arrayContaining(['empty', 'one_item', 'several', 'max_items']));
    expect(valueAt(arrays, 'empty')).toEqual([]);
    expect(valueAt(arrays, 'max_items')).toHaveLength(4);
    const enums = classes({
      type: 'array',
      items: { type: 'string', enum: ['a', 'b', 'c'] },
      uniqueItems: true,
    });
    expect(enums.map((c) => c.value)).toContainEqual(['a', 'b', 'c']);
    const objects = classes({
      type: 'object',
      required: ['name'],
      properties: { name: { type: 'string' }, age: { type: 'integer', minimum: 0 } },
    });
    expect(Object.keys(valueAt(objects, 'required_only') as object)).toEqual(['name']);
    expect(Object.keys(valueAt(objects, 'all_properties') as object).sort()).toEqual(['age', 'name']);
  });

  it('oneOf: one class per branch', () => {
    const list = classes({
      oneOf: [
        { type: 'integer', minimum: 10 },
        { type: 'string', maxLength: 3 },
      ],
    });
    expect(list.map((c) => typeof c.value).sort()).toEqual(expect.arrayContaining(['number', 'string']));
  });
});

describe('inputClasses: the typical value, keys and depth', () => {
  it('quick gives one class: the value a single-input plan sends', () => {
    const list = classes({ type: 'integer', minimum: 1, maximum: 500 }, { depth: 'quick' });
    expect(list).toHaveLength(1);
    expect(list[0]?.value).toBe(classes({ type: 'integer', minimum: 1, maximum: 500 })[0]?.value);
    expect(classes({ type: 'string' }, { examples: ['x1', 'x2'], depth: 'quick' })).toEqual([
      { key: 'spec_example_1', label: 'example from the spec "x1"', value: 'x1' },
    ]);
  });

  it('a given typical value comes first', () => {
    const list = inputClasses(
      { type: 'integer' },
      {
        name: 'n',
        typical: { value: 12 },
        ctx: { schemas: {}, rng: createRng(1), view: 'request' },
        depth: 'standard',
      },
    );
    expect(list[0]).toEqual({ key: 'typical', label: 'typical value 12', value: 12 });
  });

  it('keys do not depend on the seed (except the typical value giving way to the class it equals)', () => {
    const schemas: JsonSchema[] = [
      { type: 'integer', minimum: 1, maximum: 50 },
      { type: 'string', maxLength: 30 },
      { type: 'string', format: 'date-time' },
      { type: 'array', items: { type: 'string' } },
    ];
    for (const schema of schemas) {
      const named = (seed: number) => keys(classes(schema, { seed })).filter((k) => k !== 'typical');
      const reference = new Set(named(1));
      for (let seed = 2; seed <= 10; seed++) {
        const other = new Set(named(seed));
        // At most the one class the typical value equalled differs.
        const diff =
          [...reference].filter((k) => !other.has(k)).length +
          [...other].filter((k) => !reference.has(k)).length;
        expect(diff, JSON.stringify(schema)).toBeLessThanOrEqual(2);
      }
    }
  });

  it('is deterministic for a seed', () => {
    for (const [, schema] of CASES)
      expect(classes(schema, { seed: 4 })).toEqual(classes(schema, { seed: 4 }));
  });

  it('merges duplicates: 0 at the minimum is one class', () => {
    const list = classes({ type: 'integer', minimum: 0, maximum: 10 }, { seed: 2 });
    expect(list.filter((c) => c.value === 0)).toHaveLength(1);
    expect(keys(list)).toContain('min');
    expect(keys(list)).not.toContain('zero');
  });
});

describe('inputClasses: literals of the spec and domain values', () => {
  it('examples, default and quoted words become classes when they validate', () => {
    const list = classes(
      {
        type: 'string',
        maxLength: 12,
        default: 'kelvin',
        example: 'celsius',
        description: 'Use `rankine` only if told.',
      },
      {
        description: "Either 'celsius' or \"fahrenheit\"; don't use 'a very long unit name'.",
        examples: ['reaumur'],
      },
    );
    expect(keys(list)).toEqual(
      expect.arrayContaining([
        'spec_example_1',
        'spec_example_2',
        'spec_default',
        'spec_literal_fahrenheit',
        'spec_literal_rankine',
      ]),
    );
    expect(valueAt(list, 'spec_example_2')).toBe('reaumur');
    // Too long for maxLength 12: dropped. "don't" quotes nothing.
    expect(keys(list).some((k) => k.includes('very_long'))).toBe(false);
    expect(keys(list).some((k) => k.startsWith('spec_literal_t'))).toBe(false);
    const numbers = classes(
      { type: 'integer', maximum: 100 },
      { description: 'Pass "42" for the answer, `500` is too big.' },
    );
    expect(valueAt(numbers, 'spec_literal_42')).toBe(42);
    expect(keys(numbers)).not.toContain('spec_literal_500');
  });

  it('names choose domain values; only valid ones are kept, up to the depth limit', () => {
    const dates = classes({ type: 'string' }, { name: 'start_date' });
    expect(keys(dates).filter((k) => k.startsWith('domain_date_'))).toEqual([
      'domain_date_iso',
      'domain_date_iso_datetime',
      'domain_date_rfc2822',
      'domain_date_dmy',
      'domain_date_mdy',
      'domain_date_unix',
    ]);
    const deep = classes({ type: 'string' }, { name: 'start_date', depth: 'deep' });
    expect(keys(deep)).toEqual(expect.arrayContaining(['domain_date_not_leap', 'domain_date_month_13']));
    // A `date` format keeps only real days of the calendar.
    const formatted = classes({ type: 'string', format: 'date' }, { name: 'start_date', depth: 'deep' });
    expect(formatted.map((c) => c.value)).not.toContain('2023-02-29');
    expect(valueAt(deep, 'domain_date_unix')).toBe('1709214300');
    const years = classes({ type: 'integer', minimum: 1950, maximum: 2050 }, { name: 'year' });
    expect(years.map((c) => c.value)).toEqual(expect.arrayContaining([2024, 2023, 2000, 1970]));
    expect(years.map((c) => c.value)).not.toContain(1900);
    const codes = classes({ type: 'string', pattern: '^[A-Z]{3}$' }, { name: 'currency' });
    expect(codes.map((c) => c.value)).toEqual(expect.arrayContaining(['USD', 'EUR', 'JPY', 'CHF']));
  });
});
