/**
 * Resources that refer to each other (tests/fixtures/specs/features/references.yaml): a body property that
 * holds another resource's id is bound to one a setup step creates; a resource created under another but read
 * at the top level has that creator; items nested under a parent are created in the parent the request names;
 * each case's setup sends values of its own (a server may keep some unique); a reference to something nothing
 * creates, and a range whose ends are reversed, may meet the declared validation errors.
 */
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { conforms } from '../../../cli/engine/data/check.ts';
import type { ApiIr } from '../../../cli/engine/ir/types.ts';
import { prepareSpec } from '../../../cli/engine/pipeline.ts';
import { planTests } from '../../../cli/engine/plan/plan-tests.ts';
import { hasReversedRange, isRangePair, rangesAmong } from '../../../cli/engine/plan/range-order.ts';
import type { TestCase, TestPlan, TestStep } from '../../../cli/engine/plan/types.ts';

const SPEC = join(import.meta.dirname, '../../fixtures/specs/features/references.yaml');

let ir: ApiIr;
let quick: TestPlan;
let standard: TestPlan;

beforeAll(async () => {
  ir = (await prepareSpec(SPEC)).ir;
  quick = planTests(ir, { seed: 1 });
  standard = planTests(ir, { seed: 1, depth: 'standard' });
});

const bodyOf = (step: TestStep | undefined) => step?.body?.value as Record<string, unknown> | undefined;
const cases = (plan: TestPlan, operationId: string, category = 'contract'): TestCase[] =>
  plan.cases.filter((c) => c.operationId === operationId && c.category === category);

describe('a body property that holds the id of another resource', () => {
  it('is the id of a venue a setup step creates, and the request must then succeed', () => {
    const [typical] = cases(quick, 'createEvent');
    expect(typical?.steps.map((s) => s.operationId)).toEqual(['createVenue', 'createEvent']);
    const variable = Object.keys(typical?.steps[0]?.capture ?? {})[0];
    expect(typical?.steps[0]?.capture).toEqual({ [variable as string]: '/id' });
    expect(bodyOf(typical?.steps[1])?.venueId).toEqual({ $var: variable });
    expect(typical?.steps[1]?.expect.status).toEqual(['201']);
  });

  it('is never varied at standard depth: a made-up id would name nothing', () => {
    const contract = cases(standard, 'createEvent');
    expect(contract.length).toBeGreaterThan(5);
    for (const c of contract) {
      const venueId = bodyOf(c.steps.at(-1))?.venueId;
      expect(venueId === undefined || JSON.stringify(venueId).includes('$var'), c.title).toBe(true);
    }
  });

  it('stays the created venue in a negative case that breaks another property, and in boundary cases', () => {
    const negatives = cases(quick, 'createEvent', 'negative').filter((c) => c.title.includes('title'));
    const boundaries = cases(quick, 'createEvent', 'boundary');
    expect(negatives.length).toBeGreaterThan(0);
    expect(boundaries.length).toBeGreaterThan(0);
    for (const c of [...negatives, ...boundaries]) {
      expect(c.steps[0]?.operationId, c.title).toBe('createVenue');
      expect(JSON.stringify(bodyOf(c.steps.at(-1))?.venueId), c.title).toContain('$var');
    }
  });

  it('is bound in the setup of the resources made from such bodies too (an event needs its venue)', () => {
    const [read] = cases(quick, 'getEvent');
    expect(read?.steps.map((s) => s.operationId)).toEqual(['createVenue', 'createEvent', 'getEvent']);
    const venue = Object.keys(read?.steps[0]?.capture ?? {})[0];
    expect(bodyOf(read?.steps[1])?.venueId).toEqual({ $var: venue });
  });

  it('is the same venue in a replacing PUT of a lifecycle, whose read-back expects it', () => {
    const flow = quick.cases.find((c) => c.operationId === 'createEvent' && c.title.startsWith('Lifecycle'));
    const put = flow?.steps.find((s) => s.operationId === 'replaceEvent');
    const venue = Object.keys(flow?.steps[0]?.capture ?? {})[0];
    expect(bodyOf(put)?.venueId).toEqual({ $var: venue });
  });

  it('that names a resource nothing creates lets a request that sends it meet the declared 4xx', () => {
    const sending = cases(standard, 'createEvent').filter((c) => bodyOf(c.steps.at(-1))?.organizerId);
    expect(sending.length).toBeGreaterThan(0);
    for (const c of sending)
      expect(c.steps.at(-1)?.expect.status).toEqual(expect.arrayContaining(['400', '422']));
  });
});

describe('resources created under another resource', () => {
  it('read at the top level: created by the nested creator, under an event made first', () => {
    const [read] = cases(quick, 'getBooking');
    expect(read?.steps.map((s) => s.operationId)).toEqual([
      'createVenue',
      'createEvent',
      'createBooking',
      'getBooking',
    ]);
    expect(read?.steps.at(-1)?.expect.status).toEqual(['200']);
  });

  it('read under their parent: created in the very parent the request names', () => {
    const [read] = cases(quick, 'getTicket');
    expect(read?.steps.filter((s) => s.operationId === 'createEvent')).toHaveLength(1);
    const event = Object.keys(read?.steps.find((s) => s.operationId === 'createEvent')?.capture ?? {})[0];
    const create = read?.steps.find((s) => s.operationId === 'createTicket');
    expect(create?.path).toContainEqual({ $var: event });
    expect(read?.steps.at(-1)?.path).toContainEqual({ $var: event });
  });
});

describe('setup steps', () => {
  it('send values of their own in every case, still valid (a server may keep a code unique)', () => {
    const venues = quick.cases
      .flatMap((c) => c.steps.slice(0, -1))
      .filter((s) => s.operationId === 'createVenue')
      .map((s) => bodyOf(s) as Record<string, unknown>);
    expect(venues.length).toBeGreaterThan(3);
    const codes = venues.map((v) => v.code);
    expect(new Set(codes).size).toBe(codes.length);
    const env = { schemas: ir.schemas, view: 'request' as const };
    for (const venue of venues)
      expect(conforms({ $ref: '#/components/schemas/VenueWrite' }, venue, env)).toBe(true);
  });

  it('are deterministic', () => {
    expect(JSON.stringify(planTests(ir, { seed: 1 }))).toBe(JSON.stringify(quick));
  });
});

describe('ranges', () => {
  it('pairs the two ends of a range by name', () => {
    expect(isRangePair('startsAt', 'endsAt')).toBe(true);
    expect(isRangePair('from', 'to')).toBe(true);
    expect(isRangePair('minPrice', 'maxPrice')).toBe(true);
    expect(isRangePair('price_min', 'price_max')).toBe(true);
    expect(isRangePair('checkIn', 'checkOut')).toBe(true);
    expect(isRangePair('endsAt', 'startsAt')).toBe(false);
    expect(isRangePair('startsAt', 'endsOn')).toBe(false);
    expect(isRangePair('firstName', 'lastName')).toBe(false);
    expect(isRangePair('a', 'b')).toBe(false);
  });

  it('finds a range that ends before or where it starts, or of which only one end is sent', () => {
    const range = (entries: Record<string, unknown>, names: string[] = []) =>
      hasReversedRange(new Map(Object.entries(entries)), rangesAmong([...Object.keys(entries), ...names]));
    expect(range({ startsAt: '2024-01-02T00:00:00Z', endsAt: '2024-01-01T00:00:00Z' })).toBe(true);
    expect(range({ startsAt: '2024-01-01T00:00:00Z', endsAt: '2024-01-01T00:00:00Z' })).toBe(true);
    expect(range({ startsAt: '2024-01-01T00:00:00Z', endsAt: '2024-01-02T00:00:00Z' })).toBe(false);
    expect(range({ min: 5, max: 3 })).toBe(true);
    expect(range({ min: 3, max: 5 })).toBe(false);
    expect(range({ endsAt: '2024-01-01T00:00:00Z' }, ['startsAt', 'endsAt'])).toBe(true);
    // Not comparable: words are not a range, whatever their names say.
    expect(range({ from: 'berlin', to: 'amsterdam' })).toBe(false);
    // Three sides of a triangle are no range: equal and reversed values stay strict.
    expect(range({ a: 3, b: 2, c: 1 })).toBe(false);
  });

  it('lets a valid request whose range is reversed meet the declared validation errors, and only that one', () => {
    const contract = cases(standard, 'createEvent');
    const time = (c: TestCase, name: string) => Date.parse(String(bodyOf(c.steps.at(-1))?.[name]));
    const reversed = contract.filter((c) => time(c, 'endsAt') <= time(c, 'startsAt'));
    const ordered = contract.filter(
      (c) => time(c, 'endsAt') > time(c, 'startsAt') && !bodyOf(c.steps.at(-1))?.organizerId,
    );
    expect(reversed.length).toBeGreaterThan(0);
    expect(ordered.length).toBeGreaterThan(0);
    for (const c of reversed) expect(c.steps.at(-1)?.expect.status).toEqual(['201', '400', '422']);
    for (const c of ordered) expect(c.steps.at(-1)?.expect.status).toEqual(['201']);
  });
});
