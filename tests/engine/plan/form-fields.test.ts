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

const body = (mediaType: string, encoding?: object) => ({
  required: true,
  content: {
    [mediaType]: {
      ...(encoding ? { encoding } : {}),
      schema: {
        type: 'object',
        required: ['urls', 'counts', 'name', 'meta'],
        properties: {
          urls: { type: 'array', minItems: 2, items: { type: 'string', format: 'uri' } },
          counts: { type: 'array', minItems: 2, items: { type: 'integer' } },
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
    // The Encoding Object says otherwise: what it writes is what is sent.
    '/form-joined': {
      post: {
        operationId: 'postFormJoined',
        requestBody: body('application/x-www-form-urlencoded', {
          urls: { style: 'form', explode: false },
          counts: { style: 'pipeDelimited' },
        }),
        responses: { '204': { description: 'ok' } },
      },
    },
    '/upload-json': {
      post: {
        operationId: 'postUploadJson',
        requestBody: body('multipart/form-data', {
          urls: { contentType: 'application/json' },
          // Style and explode are for form bodies: a multipart body still sends a part per item.
          counts: { style: 'form', explode: false },
        }),
        responses: { '204': { description: 'ok' } },
      },
    },
  },
};

async function planned() {
  mkdirSync(DIR, { recursive: true });
  const path = join(DIR, 'forms.json');
  writeFileSync(path, JSON.stringify(SPEC));
  const { ir } = await prepareSpec(path);
  return planTests(ir, { seed: 1, depth: 'quick', categories: ['contract'] });
}

/** The form or multipart fields the contract case of `operationId` sends. */
function fields(plan: Awaited<ReturnType<typeof planned>>, operationId: string): Record<string, unknown> {
  const step = plan.cases.flatMap((c) => c.steps).find((s) => s.operationId === operationId && s.body);
  return step?.body?.value as Record<string, unknown>;
}

describe('form and multipart fields', () => {
  it('send an array of scalars as one field per item, nested values as JSON text', async () => {
    const plan = await planned();
    for (const operationId of ['postForm', 'postUpload']) {
      const value = fields(plan, operationId);
      expect(Array.isArray(value.urls)).toBe(true);
      expect((value.urls as unknown[]).length).toBeGreaterThanOrEqual(2);
      for (const url of value.urls as unknown[]) expect(url).toMatch(/^https?:\/\//);
      for (const count of value.counts as unknown[]) expect(count).toMatch(/^-?\d+$/);
      expect(typeof value.name).toBe('string');
      expect(JSON.parse(value.meta as string)).toEqual({ a: expect.any(Number) });
    }
  });

  it('follow the Encoding Object where the spec writes one', async () => {
    const plan = await planned();
    const joined = fields(plan, 'postFormJoined');
    // explode: false joins the items with commas; pipeDelimited (not exploded by default) with bars.
    expect(joined.urls).toMatch(/^https?:\/\/[^,]+(,https?:\/\/[^,]+)+$/);
    expect(joined.counts).toMatch(/^-?\d+(\|-?\d+)+$/);
    const json = fields(plan, 'postUploadJson');
    // A JSON content type makes the array one JSON part.
    expect(JSON.parse(json.urls as string)).toEqual(
      expect.arrayContaining([expect.stringMatching(/^https?:/)]),
    );
    expect(Array.isArray(json.counts)).toBe(true);
  });
});
