/**
 * The JSON Schema of specmint.config.json (for editors, through its `$schema`), derived from the same
 * constants the config rules check: the formats and their options, the categories, the AI providers.
 * `npm run build` writes it to cli/config/specmint.config.schema.json; a test keeps the committed file equal.
 */
import { AI_PROVIDERS } from '../../shared/contracts.ts';
import { FORMATS } from '../../shared/plans.ts';
import { DEPTHS } from '../engine/data/depth.ts';
import { CATEGORIES } from '../engine/plan/types.ts';
import { allFormatOptions } from '../engine/render/formats.ts';

/** A list setting: an array of known values, or the same as one comma-separated string. */
function enumListSchema(description: string, values: readonly string[]): object {
  const alternatives = values.join('|');
  return {
    description,
    oneOf: [
      { type: 'array', minItems: 1, uniqueItems: true, items: { enum: values } },
      { type: 'string', pattern: `^\\s*(${alternatives})\\s*(,\\s*(${alternatives})\\s*)*$` },
    ],
  };
}

const NON_BLANK = { type: 'string', minLength: 1, pattern: '\\S' } as const;
const STRINGS = { oneOf: [{ type: 'array', items: { type: 'string' } }, { type: 'string' }] } as const;

/** The schema object. */
export function buildConfigSchema(): Record<string, unknown> {
  const formatOptions = Object.fromEntries(
    allFormatOptions().map((option) => [
      option.key,
      {
        description: `${option.description[0]?.toUpperCase()}${option.description.slice(1)}. Default ${option.default}.`,
        enum: option.values,
      },
    ]),
  );
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    title: 'SpecMint project configuration (specmint.config.json)',
    description: 'Defaults for `specmint generate`. Flags beat these values; SPECMINT_API_URL beats apiUrl.',
    type: 'object',
    additionalProperties: false,
    properties: {
      $schema: { type: 'string', minLength: 1 },
      spec: { description: 'OpenAPI file (relative to this file), URL, or - for stdin.', ...NON_BLANK },
      formats: enumListSchema('Formats to generate (list, or comma-separated string).', FORMATS),
      out: { description: 'Output folder (relative to this file). Default ./specmint-tests.', ...NON_BLANK },
      seed: { description: 'Seed for synthesised data. Default 1.', type: 'integer', minimum: 0 },
      tags: { description: 'Only operations with one of these tags.', ...STRINGS },
      operations: { description: 'Only these operations (operationId or METHOD path id).', ...STRINGS },
      categories: enumListSchema('Test categories to generate. Default all.', CATEGORIES),
      depth: {
        description:
          'Inputs per case: quick (one), standard (every input’s classes combined pairwise), deep (more classes, every pair). Default standard.',
        enum: DEPTHS,
      },
      pathParams: {
        description:
          'Values for path parameters that name resources which exist (e.g. {"owner": "octocat", "repo": "hello-world"}): sent as given, so the operations under them expect success and their create → read → delete flows are generated. --path-param name=value beats an entry here.',
        type: 'object',
        additionalProperties: { type: 'string', minLength: 1 },
      },
      ai: {
        description:
          'AI-enhanced cases with your own key (Pro and Enterprise; custom models and endpoints: Enterprise).',
        type: 'object',
        additionalProperties: false,
        required: ['provider'],
        properties: {
          provider: { enum: AI_PROVIDERS },
          model: NON_BLANK,
          baseUrl: { type: 'string', pattern: '^https?://' },
        },
      },
      ...formatOptions,
      apiUrl: {
        description: 'Licence server URL. SPECMINT_API_URL beats it.',
        type: 'string',
        pattern: '^https?://',
      },
    },
  };
}

/** The schema file's text. */
export function configSchemaText(): string {
  return `${JSON.stringify(buildConfigSchema(), null, 2)}\n`;
}
