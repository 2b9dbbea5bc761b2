/**
 * A literal the spec gives for a place (a parameter's or body's example, a schema's example or default) is
 * sent as a valid value only when the spec's own schema for that place accepts it: a server that keeps the
 * spec's promise refuses a string sent for an object, a value outside the enum, a number past the maximum.
 * A synthesised valid value takes its place (bench:precision: real specs contradict their examples).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { prepareSpec } from '../../../cli/engine/pipeline.ts';
import { planTests } from '../../../cli/engine/plan/plan-tests.ts';

const DIR = join(import.meta.dirname, '../../.tmp/contradicting-examples');

const SPEC = {
  openapi: '3.0.3',
  info: { title: 'Contradictions', version: '1' },
  paths: {
    '/orders': {
      get: {
        operationId: 'listOrders',
        parameters: [
          {
            name: 'limit',
            in: 'query',
            required: true,
            example: 500,
            schema: { type: 'integer', minimum: 1, maximum: 50 },
          },
          {
            name: 'state',
            in: 'query',
            required: false,
            examples: { wrong: { value: 'pending' }, right: { value: 'open' } },
            schema: { type: 'string', enum: ['open', 'closed'] },
          },
          {
            name: 'X-Shop',
            in: 'header',
            required: true,
            example: 'not-a-number',
            schema: { type: 'integer' },
          },
        ],
        responses: { '200': { description: 'ok' } },
      },
      post: {
        operationId: 'createOrder',
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: {
                type: 'object',
                required: ['item', 'shipping'],
                properties: {
                  item: { type: 'string', minLength: 2, example: 'x' },
                  shipping: {
                    type: 'object',
                    required: ['city'],
                    properties: { city: { type: 'string' } },
                    example: '{"city": "Lyon"}',
                  },
                },
              },
              example: '{"item": "book"}',
            },
          },
        },
        responses: { '201': { description: 'made' } },
      },
    },
    '/notes': {
      post: {
        operationId: 'createNote',
        requestBody: {
          required: true,
          content: {
            'application/xml': {
              schema: { type: 'object', properties: { text: { type: 'string' } } },
              example: '<note><text>hi</text></note>',
            },
          },
        },
        responses: { '201': { description: 'made' } },
      },
    },
  },
};

async function plan(depth: 'quick' | 'standard') {
  mkdirSync(DIR, { recursive: true });
  const path = join(DIR, 'contradictions.json');
  writeFileSync(path, JSON.stringify(SPEC));
  const { ir } = await prepareSpec(path);
  return planTests(ir, { seed: 1, depth, categories: ['contract'] });
}

describe('examples the spec contradicts', () => {
  for (const depth of ['quick', 'standard'] as const) {
    it(`are never sent as valid values (${depth})`, async () => {
      const { cases } = await plan(depth);
      const steps = cases.flatMap((c) => c.steps);
      const list = steps.filter((s) => s.method === 'GET');
      const create = steps.filter((s) => s.method === 'POST' && s.path.join('') === '/orders');
      expect(list.length).toBeGreaterThan(0);
      expect(create.length).toBeGreaterThan(0);
      for (const step of list) {
        const limit = step.query.find(([name]) => name === 'limit')?.[1];
        expect(Number(limit)).toBeGreaterThanOrEqual(1);
        expect(Number(limit)).toBeLessThanOrEqual(50);
        const state = step.query.find(([name]) => name === 'state')?.[1];
        if (state !== undefined) expect(['open', 'closed']).toContain(state);
        expect(step.headers['X-Shop']).toMatch(/^-?\d+$/);
      }
      for (const step of create) {
        const body = step.body?.value as Record<string, unknown>;
        expect(typeof body).toBe('object');
        expect(typeof body.item).toBe('string');
        expect((body.item as string).length).toBeGreaterThanOrEqual(2);
        expect(typeof body.shipping).toBe('object');
        expect(typeof (body.shipping as Record<string, unknown>).city).toBe('string');
      }
    });
  }

  it('an optional parameter takes the first example its schema accepts', async () => {
    const { cases } = await plan('quick');
    const list = cases.flatMap((c) => c.steps).find((s) => s.method === 'GET');
    expect(list?.query.find(([name]) => name === 'state')?.[1]).toBe('open');
  });

  it("a text body's string example is the document as sent, whatever its schema parses it to", async () => {
    const { cases } = await plan('quick');
    const note = cases.flatMap((c) => c.steps).find((s) => s.path.join('') === '/notes');
    expect(note?.body?.value).toBe('<note><text>hi</text></note>');
  });
});
