/**
 * Form and multipart bodies: one field per property, and an array of scalars as one field per item under the
 * property's name (OpenAPI's default for both media types: `style: form` with `explode: true`, a part per
 * item). Servers read repeated fields back as the array; a JSON text in one field is a string to them
 * (bench:precision: Twilio's `OptInImageUrls` answered 422).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { prepareSpec } from '../../../cli/engine/pipeline.ts';
import { planTests } from '../../../cli/engine/plan/plan-tests.ts';

const DIR = join(import.meta.dirname, '../../.tmp/form-fields');

const body = (mediaType: string) => ({
  required: true,
  content: {
    [mediaType]: {
      schema: {
        type: 'object',
        required: ['urls', 'name', 'meta'],
        properties: {
          urls: { type: 'array', minItems: 2, items: { type: 'string', format: 'uri' } },
          counts: { type: 'array', items: { type: 'integer' } },
          name: { type: 'string' },
          meta: { type: 'object', required: ['a'], properties: { a: { type: 'integer' } } },
        },
      },
    },
  },
});

const SPEC = {
  openapi: '3.0.3',
  info: { title: 'Forms', version: '1' },
  paths: {
    '/form': {
      post: {
        operationId: 'postForm',
        requestBody: body('application/x-www-form-urlencoded'),
        responses: { '204': { description: 'ok' } },
      },
    },
    '/upload': {
      post: {
        operationId: 'postUpload',
        requestBody: body('multipart/form-data'),
        responses: { '204': { description: 'ok' } },
      },
    },
  },
};

describe('form and multipart fields', () => {
  it('send an array of scalars as one field per item, nested values as JSON text', async () => {
    mkdirSync(DIR, { recursive: true });
    const path = join(DIR, 'forms.json');
    writeFileSync(path, JSON.stringify(SPEC));
    const { ir } = await prepareSpec(path);
    const plan = planTests(ir, { seed: 1, depth: 'quick', categories: ['contract'] });
    for (const kind of ['form', 'multipart']) {
      const step = plan.cases.flatMap((c) => c.steps).find((s) => s.body?.kind === kind);
      const value = step?.body?.value as Record<string, unknown>;
      expect(Array.isArray(value.urls)).toBe(true);
      expect((value.urls as unknown[]).length).toBeGreaterThanOrEqual(2);
      for (const url of value.urls as unknown[]) expect(url).toMatch(/^https?:\/\//);
      if (value.counts !== undefined)
        for (const count of value.counts as unknown[]) expect(count).toMatch(/^-?\d+$/);
      expect(typeof value.name).toBe('string');
      expect(JSON.parse(value.meta as string)).toEqual({ a: expect.any(Number) });
    }
  });
});
