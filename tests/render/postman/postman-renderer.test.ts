/**
 * The Postman renderer: draft-07 schema conversion, the collection against the v2.1 JSON schema and the
 * postman-collection SDK, scripts that parse, the renderer contract, collection-level credentials, the Tests tab
 * of each request, tables as folders, the hooks environment and README. Running the suite for real (checks,
 * failures, reports, hooks) is postman-checks.test.ts; here one small newman run checks request details.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { Script } from 'node:vm';
import { Ajv } from 'ajv';
import { describe, expect, test } from 'vitest';
import { joinText } from '../../../cli/engine/render/common/file-text.ts';
import { COLLECTION_TEST_RUNTIME } from '../../../cli/engine/render/postman/collection-script.ts';
import { postmanRenderer } from '../../../cli/engine/render/postman/index.ts';
import { toDraft07 } from '../../../cli/engine/render/postman/schema-draft07.ts';
import { JS_RUNTIME_PLAN } from '../../fixtures/plans/js-runtime-plan.ts';
import { OTHER_ODD_PLAN, OTHER_PETSTORE_PLAN } from '../../fixtures/plans/other-odd-plan.ts';
import { TMP_ROOT, writeFiles } from '../pytest/write-files.ts';
import { ORACLE_PLAN } from './oracle-plan.ts';
import { runNewman } from './run-newman.ts';

const OPTIONS = { generatorVersion: '9.9.9' };
const V21_SCHEMA = JSON.parse(
  readFileSync(new URL('./postman-collection-v2.1.schema.json', import.meta.url), 'utf8'),
);
const { Collection } = createRequire(import.meta.url)('postman-collection') as {
  Collection: new (
    json: unknown,
  ) => { toJSON(): unknown; forEachItem(fn: (item: { name: string }) => void): void };
};

interface Item {
  name: string;
  item?: Item[];
  request?: { url: { raw: string }; header: Array<{ key: string; value: string }>; auth?: { type: string } };
  event?: Array<{ listen: string; script: { exec: string[] } }>;
}

function collectionOf(result: ReturnType<typeof postmanRenderer.render>) {
  const file = result.files.find((f) => f.path.endsWith('.postman_collection.json'))!;
  return JSON.parse(joinText(file.contents)) as {
    item: Item[];
    event: Item['event'];
    variable: Array<{ key: string }>;
  };
}

function requests(items: Item[]): Item[] {
  return items.flatMap((item) => (item.item ? requests(item.item) : [item]));
}

describe('toDraft07', () => {
  test.each([
    ['component ref', { $ref: '#/components/schemas/Pet' }, { $ref: '#/definitions/Pet' }],
    [
      'ref with siblings goes into allOf',
      { $ref: '#/components/schemas/Pet', required: ['x'] },
      { required: ['x'], allOf: [{ $ref: '#/definitions/Pet' }] },
    ],
    [
      'tuples',
      { prefixItems: [{ type: 'string' }], items: { type: 'integer' } },
      { items: [{ type: 'string' }], additionalItems: { type: 'integer' } },
    ],
    ['dependentRequired', { dependentRequired: { a: ['b'] } }, { dependencies: { a: ['b'] } }],
    [
      'unevaluated keywords are dropped',
      { type: 'object', unevaluatedProperties: false, $id: 'x' },
      { type: 'object' },
    ],
    [
      'nested refs and enum values stay untouched',
      {
        properties: {
          $ref: { enum: [{ $ref: '#/components/schemas/X' }] },
          p: { $ref: '#/components/schemas/P' },
        },
      },
      {
        properties: { $ref: { enum: [{ $ref: '#/components/schemas/X' }] }, p: { $ref: '#/definitions/P' } },
      },
    ],
  ])('%s', (_name, input, expected) => {
    expect(toDraft07(input)).toEqual(expected);
  });
});

describe('postmanRenderer', () => {
  const result = postmanRenderer.render(OTHER_ODD_PLAN, OPTIONS);
  const collection = collectionOf(result);

  test('is deterministic and writes the collection, the run script, the hooks environment and a README', () => {
    expect(postmanRenderer.render(structuredClone(OTHER_ODD_PLAN), OPTIONS)).toEqual(result);
    expect(result.files.map((f) => f.path)).toEqual([
      '.gitignore',
      'README.md',
      'odd-api-uni-line.postman_collection.json',
      'hooks.postman_environment.json',
      'specmint-run.mjs',
    ]);
    // The hooks environment is the user's once written; everything else is SpecMint's.
    expect(result.files.filter((f) => f.once).map((f) => f.path)).toEqual(['hooks.postman_environment.json']);
    const hooks = JSON.parse(
      joinText(result.files.find((f) => f.path === 'hooks.postman_environment.json')!.contents),
    );
    expect(hooks.values.map((v: { key: string }) => v.key)).toEqual([
      'specmint.hooks.beforeRequest',
      'specmint.hooks.afterResponse',
    ]);
    expect(result.files[0]!.contents).toBe('reports/\n');
  });

  test('validates against the Postman Collection v2.1 schema and loads in the postman-collection SDK', () => {
    const ajv = new Ajv({ allErrors: true, strict: false });
    const validate = ajv.compile(V21_SCHEMA);
    for (const plan of [OTHER_ODD_PLAN, OTHER_PETSTORE_PLAN]) {
      const rendered = postmanRenderer.render(plan, OPTIONS);
      const json = collectionOf(rendered);
      expect(validate(json), ajv.errorsText(validate.errors)).toBe(true);
      const names: string[] = [];
      new Collection(json).forEachItem((item) => names.push(item.name));
      const steps = plan.cases
        .filter((c) => rendered.renderedCaseIds.includes(c.id))
        .reduce((sum, c) => sum + c.steps.length, 0);
      expect(names.length).toBe(steps);
    }
    // The validator is not a rubber stamp.
    expect(validate({ info: { name: 'x' }, item: [] })).toBe(false);
  });

  test('renders every case or reports it with its id and reason', () => {
    for (const testCase of OTHER_ODD_PLAN.cases) {
      const done = result.renderedCaseIds.includes(testCase.id);
      const told = result.diagnostics.some((d) => d.message.startsWith(`${testCase.id} `));
      expect(done !== told, testCase.id).toBe(true);
    }
  });

  test('every script parses as JavaScript', () => {
    const scripts = [
      ...(collection.event ?? []),
      ...requests(collection.item).flatMap((item) => item.event ?? []),
    ];
    expect(scripts.length).toBeGreaterThan(10);
    for (const event of scripts) {
      // Wrapped in a function: the sandbox runs scripts as function bodies.
      expect(() => new Script(`(function () {\n${event.script.exec.join('\n')}\n})`)).not.toThrow();
    }
  });

  test('the embedded schemas are valid draft-07 for the sandbox Ajv', () => {
    const testScript = collection.event!.find((e) => e.listen === 'test')!.script.exec.join('\n');
    const definitions = new Function(
      `${testScript.split(COLLECTION_TEST_RUNTIME)[0]}; return DEFINITIONS;`,
    )() as object;
    const ajv = new Ajv({ strict: false, validateFormats: false });
    expect(() => ajv.compile({ definitions, allOf: [{ $ref: '#/definitions/Pet' }] })).not.toThrow();
  });

  test('declares the contract tables one compact entry per line, holding every operation and schema', () => {
    const lines = collection.event!.find((e) => e.listen === 'test')!.script.exec;
    const script = lines.join('\n');
    const [operations, definitions] = new Function(
      `${script.split(COLLECTION_TEST_RUNTIME)[0]}; return [OPERATIONS, DEFINITIONS];`,
    )() as [Record<string, unknown>, Record<string, unknown>];
    expect(Object.keys(operations)).toEqual([...new Set(OTHER_ODD_PLAN.operations.map((op) => op.id))]);
    expect(definitions).toEqual(
      Object.fromEntries(Object.entries(OTHER_ODD_PLAN.schemas).map(([name, s]) => [name, toDraft07(s)])),
    );
    const open = lines.indexOf('const DEFINITIONS = {');
    const close = lines.indexOf('};', open);
    expect(close - open - 1).toBe(Object.keys(definitions).length);
  });

  test('credentials sit at collection level; requests that send other ones, none or invalid ones override them', () => {
    expect((collection as unknown as { auth: unknown }).auth).toEqual({
      type: 'bearer',
      bearer: [{ key: 'token', value: '{{BEARER_AUTH}}', type: 'string' }],
    });
    const byName = new Map(requests(collection.item).map((item) => [item.name.split(' ')[0], item.request!]));
    // Valid bearer credentials: inherited, no Authorization header of their own.
    for (const name of ['createPet_contract_1', 'listPets_contract_1', 'createPet_negative_1']) {
      expect(byName.get(name)?.auth, name).toBeUndefined();
      expect(
        byName.get(name)?.header.some((h) => /authorization/i.test(h.key)),
        name,
      ).toBe(false);
    }
    expect(byName.get('echo_contract_1')?.auth).toEqual({
      type: 'basic',
      basic: [
        { key: 'username', value: '{{BASIC_AUTH_USERNAME}}', type: 'string' },
        { key: 'password', value: '{{BASIC_AUTH_PASSWORD}}', type: 'string' },
      ],
    });
    expect(byName.get('echo_contract_2')?.auth).toEqual({
      type: 'apikey',
      apikey: [
        { key: 'key', value: 'api key', type: 'string' },
        { key: 'value', value: '{{QUERY_KEY}}', type: 'string' },
        { key: 'in', value: 'query', type: 'string' },
      ],
    });
    // An API key in a cookie has no Postman auth type: a Cookie header.
    expect(byName.get('echo_contract_2')?.header).toContainEqual({
      key: 'Cookie',
      value: 'session={{COOKIE_KEY}}',
    });
    expect(byName.get('listPets_auth_2')?.auth).toEqual({
      type: 'bearer',
      bearer: [{ key: 'token', value: 'invalid-specmint-credential', type: 'string' }],
    });
    expect(byName.get('listPets_auth_1')?.auth).toEqual({ type: 'noauth' });
    expect(byName.get('getHealth_contract_1')?.auth).toEqual({ type: 'noauth' });
    expect(collection.variable.map((v) => v.key)).toEqual([
      'baseUrl',
      'API_KEY_AUTH',
      'BASIC_AUTH_USERNAME',
      'BASIC_AUTH_PASSWORD',
      'BEARER_AUTH',
      'COOKIE_KEY',
      'QUERY_KEY',
    ]);
  });

  test("each request's Tests tab names its checks and calls the collection's specmint.checkResponse", () => {
    const byName = new Map(requests(collection.item).map((item) => [item.name.split(' ')[0], item]));
    const spec = (name: string) => {
      const exec = byName
        .get(name)!
        .event!.find((e) => e.listen === 'test')!
        .script.exec.join('\n');
      const call = 'specmint.checkResponse(pm, ';
      expect(exec).toContain(call);
      return JSON.parse(exec.slice(exec.indexOf(call) + call.length, exec.lastIndexOf(');')));
    };
    expect(spec('createPet_negative_1')).toMatchObject({
      case: 'createPet_negative_1',
      step: 1,
      operation: 'createPet',
      checks: {
        not_a_server_error: true,
        negative_data_rejection: { expect: ['400'] },
        status_code_conformance: true,
        content_type_conformance: true,
        response_schema_conformance: true,
      },
    });
    expect(Object.keys(spec('listPets_auth_1').checks)).toContain('auth_enforced');
    const flowStep = spec('createPet_stateful_1');
    expect(flowStep.step).toBeGreaterThan(0);
    // The collection's Tests tab defines the function every request calls.
    const collectionTests = collection.event!.find((e) => e.listen === 'test')!.script.exec.join('\n');
    expect(collectionTests).toContain('specmint.checkResponse = checkResponse;');
  });

  test('cases that differ only in their inputs are a folder with a request per case', () => {
    const pets = collection.item.find((item) => item.name === 'pets')!;
    const table = pets.item!.find((item) => item.name === 'listPets · negative · 3 cases')!;
    expect(table.item!.map((item) => item.name.split(' ')[0])).toEqual([
      'listPets_negative_1',
      'listPets_negative_2',
      'listPets_negative_3',
    ]);
  });

  test('a GET step sends no body, and the note says why in its Tests tab', () => {
    const rendered = postmanRenderer.render(ORACLE_PLAN, OPTIONS);
    const items = requests(collectionOf(rendered).item);
    const search = items.find((item) => item.name.startsWith('search_get_body'))!;
    expect((search.request as unknown as { body?: unknown }).body).toBeUndefined();
    expect(search.request!.header).toEqual([]);
    const tests = search.event!.find((e) => e.listen === 'test')!.script.exec;
    expect(tests).toContain(
      '// Note: the spec gives GET /search a request body; it is not sent (HTTP clients refuse one)',
    );
  });

  test('README has the one command, the newman command, every variable, the checks, reports and hooks', () => {
    const readme = joinText(result.files.find((f) => f.path === 'README.md')!.contents);
    expect(readme).toContain('## Run\n\n```sh\nBASE_URL=https://api.example.com node specmint-run.mjs\n```');
    expect(readme).toContain(
      'npx newman run odd-api-uni-line.postman_collection.json --timeout-script 30000 -e hooks.postman_environment.json',
    );
    for (const name of [
      'BASE_URL',
      'BEARER_AUTH',
      'BASIC_AUTH_PASSWORD',
      'QUERY_KEY',
      'SPECMINT_CHECKS',
      'SPECMINT_EXCLUDE_CHECKS',
      'SPECMINT_REPORTS',
      '`not_a_server_error`',
      '`auth_enforced`',
      'reports/junit.xml',
      'reports/coverage.json',
      'specmint.hooks.beforeRequest',
      'specmint.hooks.afterResponse',
    ]) {
      expect(readme, name).toContain(name);
    }
    // Checks the suite never runs are not listed.
    expect(readme).not.toContain('`idempotence`');
  });

  test('under newman, requests carry the exact query, headers, cookies and body', async () => {
    const seen: Array<{ url: string; headers: IncomingMessage['headers']; body: string }> = [];
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => {
        body += chunk.toString();
      });
      req.on('end', () => {
        seen.push({ url: req.url ?? '', headers: req.headers, body });
        res.writeHead(200, { 'content-type': 'application/vnd.echo+json; charset=utf-8' });
        res.end('{}');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const plan = {
      ...OTHER_ODD_PLAN,
      cases: OTHER_ODD_PLAN.cases.filter((c) => c.id.startsWith('echo_contract')),
    };
    try {
      const report = await runNewman(collectionOf(postmanRenderer.render(plan, OPTIONS)), {
        baseUrl: `http://127.0.0.1:${port}`,
        BASIC_AUTH_USERNAME: 'ann',
        BASIC_AUTH_PASSWORD: 'p:w',
        QUERY_KEY: 'qk',
        COOKIE_KEY: 'ck',
      });
      expect(report.failures).toEqual([]);
    } finally {
      server.close();
    }
    const [json, form, multipart, text] = seen;
    expect(json?.url).toBe('/echo?q=a%26b%3Dc%20d%2Be%25f&q=%C3%BC');
    expect(json?.headers.authorization).toBe(`Basic ${Buffer.from('ann:p:w').toString('base64')}`);
    expect(json?.headers['x-odd']).toBe('a "quoted" value');
    expect(json?.headers.cookie).toContain('flavour=choc-chip');
    expect(json?.headers['content-type']).toBe('application/merge-patch+json');
    expect(JSON.parse(json?.body ?? '')).toEqual(OTHER_ODD_PLAN.cases[0]!.steps[0]!.body!.value);
    expect(form?.url).toBe('/echo?api%20key=qk');
    expect(form?.headers.cookie).toContain('session=ck');
    expect(new URLSearchParams(form?.body).get('b')).toBe('true');
    // An array is one field (or part) per item under the same name (form style, exploded).
    expect(new URLSearchParams(form?.body).getAll('tags')).toEqual(['p', 'q']);
    expect(multipart?.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
    expect(multipart?.body).toContain('name="note"');
    expect(multipart?.body.match(/name="tags"/g)).toHaveLength(2);
    expect(text?.body).toBe('plain\ntext');
    expect(text?.headers.authorization).toBe(
      `Basic ${Buffer.from('invalid-specmint-user:invalid-specmint-password').toString('base64')}`,
    );
  }, 60_000);

  test("with the README's --timeout-script, a value a pattern backtracks on for ever fails instead of hanging", async () => {
    // A separate newman process, as users run it: this one has V8's linear-time regex fallback switched on.
    const server = createServer((_req, res) => {
      res.writeHead(201, { 'content-type': 'application/json' });
      const site = `https://upload.example.org/${'thumb/e5/'.repeat(8)}%28c%29.jpg`;
      res.end(JSON.stringify({ id: 1, name: 'a', site }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const rendered = postmanRenderer.render(JS_RUNTIME_PLAN, OPTIONS);
    expect(joinText(rendered.files.find((f) => f.path === 'README.md')!.contents)).toContain(
      '--timeout-script 30000',
    );
    const dir = writeFiles(join(TMP_ROOT, 'postman-runaway'), rendered.files);
    const collection = rendered.files.find((f) => f.path.endsWith('.postman_collection.json'))!.path;
    const newman = join(import.meta.dirname, '../../../node_modules/newman/bin/newman.js');
    const args = [
      newman,
      'run',
      collection,
      '--timeout-script',
      '3000',
      '--env-var',
      `baseUrl=http://127.0.0.1:${port}`,
    ];
    try {
      const run = await new Promise<{ code: number | null; output: string }>((resolve, reject) => {
        const child = spawn(process.execPath, [...args, '--env-var', 'BEARER_AUTH=t'], { cwd: dir });
        let output = '';
        child.stdout.on('data', (chunk: Buffer) => {
          output += chunk.toString();
        });
        child.stderr.on('data', (chunk: Buffer) => {
          output += chunk.toString();
        });
        const timer = setTimeout(() => child.kill('SIGKILL'), 50_000);
        child.on('error', reject);
        child.on('close', (code) => {
          clearTimeout(timer);
          resolve({ code, output });
        });
      });
      expect(run.code, run.output).toBe(1);
      expect(run.output).toMatch(/script execution timeout/);
    } finally {
      server.close();
    }
  }, 60_000);
});
