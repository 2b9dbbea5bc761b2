import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { SpecMintError } from '../errors.ts';
import { parseConfig } from './load-config.ts';

const schema = JSON.parse(
  readFileSync(new URL('./specmint.config.schema.json', import.meta.url), 'utf8'),
) as object;
const validateSchema = new Ajv2020({ allErrors: true, strict: false }).compile(schema);

function problemsOf(raw: unknown): string {
  try {
    parseConfig(JSON.stringify(raw), '/project/specmint.config.json');
    return '';
  } catch (error) {
    expect(error).toBeInstanceOf(SpecMintError);
    expect((error as SpecMintError).exitCode).toBe(1);
    return (error as Error).message;
  }
}

describe('parseConfig', () => {
  const cases: Array<{ name: string; raw: unknown; problems: string[] }> = [
    { name: 'an empty object', raw: {}, problems: [] },
    {
      name: 'a full valid config',
      raw: {
        $schema: './node_modules/specmint/cli/config/specmint.config.schema.json',
        spec: 'api/openapi.yaml',
        formats: ['pytest', 'vitest'],
        out: 'tests/api',
        seed: 42,
        tags: 'pets, owners',
        operations: ['listPets'],
        categories: 'contract,negative',
        ai: { provider: 'anthropic', model: 'claude-sonnet-4-5', baseUrl: 'https://llm.example.com' },
        sqlDialect: 'sqlite',
        apiUrl: 'https://licence.example.com/',
        pathParams: { owner: 'octocat', repo: 'hello-world' },
      },
      problems: [],
    },
    {
      name: 'path parameters that are not strings',
      raw: { pathParams: { owner: 1, repo: '' } },
      problems: ['/pathParams/owner', '/pathParams/repo'],
    },
    { name: 'path parameters as a list', raw: { pathParams: ['owner=octocat'] }, problems: ['/pathParams'] },
    {
      name: 'a misspelt format',
      raw: { formats: ['pytset'] },
      problems: ['/formats/0', 'did you mean "pytest"'],
    },
    { name: 'a duplicate format', raw: { formats: ['json', 'json'] }, problems: ['listed twice'] },
    { name: 'an empty format list', raw: { formats: [] }, problems: ['must not be empty'] },
    { name: 'a negative seed', raw: { seed: -1 }, problems: ['/seed'] },
    { name: 'a fractional seed', raw: { seed: 1.5 }, problems: ['/seed'] },
    {
      name: 'an unknown key',
      raw: { fromats: ['json'] },
      problems: ['unknown setting "fromats"', 'did you mean "formats"'],
    },
    {
      name: 'a bad AI provider and URL',
      raw: { ai: { provider: 'gemini', baseUrl: 'ftp://x' } },
      problems: ['/ai/provider', '/ai/baseUrl'],
    },
    { name: 'a bad SQL dialect', raw: { sqlDialect: 'oracle' }, problems: ['/sqlDialect'] },
    { name: 'a non-URL apiUrl', raw: { apiUrl: 'licence' }, problems: ['/apiUrl'] },
    { name: 'a blank spec', raw: { spec: ' ' }, problems: ['/spec'] },
    {
      name: 'several problems at once',
      raw: { formats: ['nope'], seed: 'x', categories: ['smoke'], colour: 1 },
      problems: ['4 problems', '/formats/0', '/seed', '/categories/0', 'colour'],
    },
  ];

  it.each(cases)('$name', ({ raw, problems }) => {
    const message = problemsOf(raw);
    if (problems.length === 0) expect(message).toBe('');
    for (const problem of problems) expect(message).toContain(problem);
    // The JSON schema given to editors agrees with the rules.
    expect(validateSchema(raw), JSON.stringify(validateSchema.errors)).toBe(problems.length === 0);
  });

  it('normalises lists and resolves paths against the file', () => {
    const config = parseConfig(
      JSON.stringify({
        spec: 'api.yaml',
        out: 'out',
        tags: 'a, b',
        formats: 'json',
        apiUrl: 'http://x.test/',
      }),
      '/project/specmint.config.json',
    );
    expect(config).toMatchObject({
      spec: '/project/api.yaml',
      out: '/project/out',
      tags: ['a', 'b'],
      formats: ['json'],
      apiUrl: 'http://x.test',
    });
    expect(parseConfig('{"spec":"https://x.test/api.json"}', '/p/specmint.config.json').spec).toBe(
      'https://x.test/api.json',
    );
  });

  it('reports the line of a JSON syntax error', () => {
    expect(() => parseConfig('{\n  "seed": 1,\n}', '/p/specmint.config.json')).toThrow(
      /specmint\.config\.json:3:1/,
    );
  });
});

describe('specmint.config.schema.json', () => {
  it('is the schema derived from the formats, categories and options (npm run build writes it)', async () => {
    const { configSchemaText } = await import('./config-schema.ts');
    const committed = readFileSync(new URL('./specmint.config.schema.json', import.meta.url), 'utf8');
    expect(committed, 'stale: run `npm run build` and commit cli/config/specmint.config.schema.json').toBe(
      configSchemaText(),
    );
  });
});
