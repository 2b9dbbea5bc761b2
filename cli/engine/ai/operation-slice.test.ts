import { beforeAll, describe, expect, test } from 'vitest';
import { loadPetstoreIr } from '../../../tests/ai/petstore-ir.ts';
import type { ApiIr, IrOperation } from '../ir/types.ts';
import { sliceOperation } from './operation-slice.ts';

let ir: ApiIr;
const op = (id: string): IrOperation => ir.operations.find((o) => o.id === id) as IrOperation;

beforeAll(async () => {
  ir = await loadPetstoreIr();
});

describe('sliceOperation', () => {
  test('inlines referenced schemas and keeps only what the operation needs', () => {
    const slice = sliceOperation(ir, op('createPet'));
    expect(slice).toMatchObject({
      operationId: 'createPet',
      method: 'POST',
      path: '/pets',
      summary: 'Create a pet',
    });
    const text = JSON.stringify(slice);
    expect(text).not.toContain('$ref');
    expect(text).toContain('"microchip"');
    expect(text).toContain('"available"'); // PetStatus, two refs deep
    expect(text).not.toContain('NewOwner');
    expect(slice.requestBody?.examples).toEqual([expect.objectContaining({ name: 'Rex' })]);
    expect(slice.responses.map((r) => r.status)).toEqual(['201', '400', '401']);
  });

  test('redact drops summaries, descriptions and examples', () => {
    const slice = sliceOperation(ir, op('createPet'), { redact: true });
    const text = JSON.stringify(slice);
    expect(text).not.toMatch(/"(summary|description|example|examples)"/);
    expect(text).not.toContain('Rex');
    expect(text).toContain('"pattern"');
  });

  test('stops at the reference depth and on cycles', () => {
    const cyclic: ApiIr = {
      ...ir,
      schemas: {
        Node: {
          type: 'object',
          properties: { next: { $ref: '#/components/schemas/Node' }, label: { type: 'string' } },
        },
      },
    };
    const base = op('createPet');
    const withCycle: IrOperation = {
      ...base,
      requestBody: {
        required: true,
        contents: [
          { mediaType: 'application/json', schema: { $ref: '#/components/schemas/Node' }, examples: [] },
        ],
      },
    };
    const slice = sliceOperation(cyclic, withCycle, { maxRefDepth: 5 });
    expect(slice.requestBody?.schema).toEqual({
      type: 'object',
      properties: {
        next: { $comment: 'schema Node (not expanded)', type: 'object' },
        label: { type: 'string' },
      },
    });
  });
});
