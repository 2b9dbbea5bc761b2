/**
 * The Postman renderer: draft-07 schema conversion, the collection against the v2.1 JSON schema and the
 * postman-collection SDK, scripts that parse, the renderer contract, environment file and README. Running
 * the collection under newman is tests/e2e/postman-suite.test.ts; here one small run checks request details.
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
import { postmanRenderer } from '../../../cli/engine/render/postman/index.ts';
import { toDraft07 } from '../../../cli/engine/render/postman/schema-draft07.ts';
import { JS_RUNTIME_PLAN } from '../../fixtures/plans/js-runtime-plan.ts';
import { OTHER_ODD_PLAN, OTHER_PETSTORE_PLAN } from '../../fixtures/plans/other-odd-plan.ts';
import { TMP_ROOT, writeFiles } from '../pytest/write-files.ts';
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
  request?: { url: { raw: string }; header: Array<{ key: string; value: string }>; auth: { type: string } };
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

  test('is deterministic and writes the collection, an example environment and a README', () => {
    expect(postmanRenderer.render(structuredClone(OTHER_ODD_PLAN), OPTIONS)).toEqual(result);
    expect(result.files.map((f) => f.path)).toEqual([
      'README.md',
      'odd-api-uni-line.postman_collection.json',
      'odd-api-uni-line.postman_environment.json',
    ]);
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
      `${testScript.split('const raw =')[0]}; return DEFINITIONS;`,
    )() as object;
    const ajv = new Ajv({ strict: false, validateFormats: false });
    expect(() => ajv.compile({ definitions, allOf: [{ $ref: '#/definitions/Pet' }] })).not.toThrow();
  });

  test('declares the contract tables one compact entry per line, holding every operation and schema', () => {
    const lines = collection.event!.find((e) => e.listen === 'test')!.script.exec;
    const script = lines.join('\n');
    const [operations, definitions] = new Function(
      `${script.split('const raw =')[0]}; return [OPERATIONS, DEFINITIONS];`,
    )() as [Record<string, unknown>, Record<string, unknown>];
    expect(Object.keys(operations)).toEqual([...new Set(OTHER_ODD_PLAN.operations.map((op) => op.id))]);
    expect(definitions).toEqual(
      Object.fromEntries(Object.entries(OTHER_ODD_PLAN.schemas).map(([name, s]) => [name, toDraft07(s)])),
    );
    const open = lines.indexOf('const DEFINITIONS = {');
    const close = lines.indexOf('};', open);
    expect(close - open - 1).toBe(Object.keys(definitions).length);
  });

  test('sends credentials per request, by collection variable or a clearly invalid value', () => {
    const byName = new Map(requests(collection.item).map((item) => [item.name.split(' ')[0], item.request!]));
    expect(byName.get('echo_contract_1')?.auth).toEqual({
      type: 'basic',
      basic: [
        { key: 'username', value: '{{BASIC_AUTH_USERNAME}}', type: 'string' },
        { key: 'password', value: '{{BASIC_AUTH_PASSWORD}}', type: 'string' },
      ],
    });
    expect(byName.get('echo_contract_2')?.url.raw).toBe('{{baseUrl}}/echo?api%20key={{QUERY_KEY}}');
    expect(byName.get('echo_contract_2')?.header).toContainEqual({
      key: 'Cookie',
      value: 'session={{COOKIE_KEY}}',
    });
    expect(byName.get('listPets_auth_2')?.header).toContainEqual({
      key: 'Authorization',
      value: 'Bearer invalid-specmint-credential',
    });
    expect(byName.get('listPets_auth_1')?.auth).toEqual({ type: 'noauth' });
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

  test('README has the newman command and every variable', () => {
    const readme = result.files[0]!.contents;
    expect(readme).toContain(
      'npx newman run odd-api-uni-line.postman_collection.json --timeout-script 30000',
    );
    for (const name of ['baseUrl', 'BEARER_AUTH', 'BASIC_AUTH_PASSWORD', 'QUERY_KEY'])
      expect(readme).toContain(name);
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
    expect(multipart?.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
    expect(multipart?.body).toContain('name="note"');
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
    expect(rendered.files[0]!.contents).toContain('--timeout-script 30000');
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
