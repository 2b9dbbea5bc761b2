/**
 * XML request bodies are written as XML, named the way the spec's XML Objects say (xml-body.ts); before, a
 * value went out as JSON text under an XML content type, and a server that reads XML refused every valid
 * request (bench:precision: the apisetu specs).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { JsonSchema } from '../../../cli/engine/ir/types.ts';
import { prepareSpec } from '../../../cli/engine/pipeline.ts';
import { planTests } from '../../../cli/engine/plan/plan-tests.ts';
import { isXmlMediaType, xmlBody } from '../../../cli/engine/plan/xml-body.ts';

const PROLOG = '<?xml version="1.0" encoding="UTF-8"?>\n';

const SCHEMAS: Record<string, JsonSchema> = {
  Pet: {
    type: 'object',
    xml: { name: 'pet' },
    properties: {
      id: { type: 'integer', xml: { attribute: true } },
      name: { type: 'string' },
      photoUrls: { type: 'array', xml: { wrapped: true }, items: { type: 'string', xml: { name: 'url' } } },
      tags: { type: 'array', items: { $ref: '#/components/schemas/Tag' } },
      owner: { $ref: '#/components/schemas/Owner' },
    },
  },
  Tag: { type: 'object', xml: { name: 'tag' }, properties: { name: { type: 'string' } } },
  Owner: { type: 'object', properties: { first: { type: 'string' } } },
  Dog: { allOf: [{ $ref: '#/components/schemas/Pet' }, { properties: { bark: { type: 'boolean' } } }] },
  Book: {
    type: 'object',
    xml: { name: 'book', prefix: 'bk', namespace: 'https://example.com/books' },
    properties: { title: { type: 'string' }, pages: { type: 'integer', xml: { name: 'page-count' } } },
  },
};

describe('xmlBody', () => {
  it('names elements and attributes as the XML Objects say: attribute, wrapped array, items name, component', () => {
    const value = {
      id: 7,
      name: 'Rex & "Co" <1>',
      photoUrls: ['https://a.example', 'https://b.example'],
      tags: [{ name: 'good' }, { name: 'boy' }],
      owner: { first: 'Ann' },
    };
    expect(xmlBody(value, { $ref: '#/components/schemas/Pet' }, SCHEMAS)).toBe(
      `${PROLOG}<pet id="7"><name>Rex &amp; "Co" &lt;1&gt;</name>` +
        '<photoUrls><url>https://a.example</url><url>https://b.example</url></photoUrls>' +
        '<tag><name>good</name></tag><tag><name>boy</name></tag>' +
        '<owner><first>Ann</first></owner></pet>',
    );
  });

  it('takes the root name from the component when the schema names none, and properties from allOf members', () => {
    expect(xmlBody({ name: 'Rex', bark: true }, { $ref: '#/components/schemas/Dog' }, SCHEMAS)).toBe(
      `${PROLOG}<Dog><name>Rex</name><bark>true</bark></Dog>`,
    );
  });

  it('qualifies names with the prefix and declares the namespace', () => {
    expect(xmlBody({ title: 'Dune', pages: 412 }, { $ref: '#/components/schemas/Book' }, SCHEMAS)).toBe(
      `${PROLOG}<bk:book xmlns:bk="https://example.com/books"><title>Dune</title><page-count>412</page-count></bk:book>`,
    );
  });

  it('names an inline root that names nothing "data", and drops characters XML cannot carry', () => {
    expect(xmlBody({ note: 'a\u0001b' }, { type: 'object' }, SCHEMAS)).toBe(
      `${PROLOG}<data><note>ab</note></data>`,
    );
  });

  it('knows XML media types', () => {
    for (const type of ['application/xml', 'text/xml; charset=utf-8', 'application/atom+xml'])
      expect(isXmlMediaType(type), type).toBe(true);
    for (const type of ['application/json', 'text/plain', 'application/xml-dtd'])
      expect(isXmlMediaType(type), type).toBe(false);
  });
});

describe('an operation whose only request body is XML', () => {
  it('sends its valid cases XML named as the spec says, not JSON text', async () => {
    const { ir } = await prepareSpec('tests/fixtures/specs/features/xml-bodies.yaml');
    const plan = planTests(ir, { depth: 'standard' });
    const valid = plan.cases.filter((c) => c.category === 'contract');
    expect(valid.length).toBeGreaterThan(0);
    for (const c of valid) {
      const body = c.steps.at(-1)?.body;
      expect(body?.mediaType).toBe('application/xml');
      expect(String(body?.value)).toMatch(
        /^<\?xml version="1.0" encoding="UTF-8"\?>\n<pet id="\d+"><name>[^<]+<\/name>(<tags>(<tag>[^<]+<\/tag>)*<\/tags>)?<\/pet>$/,
      );
    }
  });

  it('expects success strictly where the spec names the root element, and accepts a 4xx too where it does not', async () => {
    const named = await prepareSpec('tests/fixtures/specs/features/xml-bodies.yaml');
    const strict = planTests(named.ir, {})
      .cases.find((c) => c.category === 'contract')
      ?.steps.at(-1);
    expect(strict?.expect.status).toEqual(['201']);
    expect(strict?.note ?? '').not.toContain('root element');

    const dir = join(import.meta.dirname, '../../.tmp/xml-body');
    mkdirSync(dir, { recursive: true });
    const spec = join(dir, 'inline-root.json');
    const inline = { type: 'object', required: ['name'], properties: { name: { type: 'string' } } };
    writeFileSync(
      spec,
      JSON.stringify({
        openapi: '3.0.3',
        info: { title: 'Inline XML', version: '1' },
        paths: {
          '/notes': {
            post: {
              requestBody: { required: true, content: { 'application/xml': { schema: inline } } },
              responses: { '201': { description: 'created' }, '400': { description: 'bad' } },
            },
          },
        },
      }),
    );
    const guessed = await prepareSpec(spec);
    const step = planTests(guessed.ir, {})
      .cases.find((c) => c.category === 'contract')
      ?.steps.at(-1);
    expect(String(step?.body?.value)).toContain('<data><name>');
    expect(step?.expect.status).toEqual(['201', '4XX']);
    expect(step?.note).toContain('names no root element');
  });
});
