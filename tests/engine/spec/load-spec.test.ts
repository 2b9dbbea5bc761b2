import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { buildIr } from '../../../cli/engine/ir/build-ir.ts';
import { planTests } from '../../../cli/engine/plan/plan-tests.ts';
import { renderFormat } from '../../../cli/engine/render/render-format.ts';
import { canonicalHash } from '../../../cli/engine/spec/canonical-hash.ts';
import { collectRefs } from '../../../cli/engine/spec/collect-refs.ts';
import { hashSourceBytes } from '../../../cli/engine/spec/hash-source.ts';
import { loadSpec } from '../../../cli/engine/spec/load-spec.ts';
import { prefetchSpec } from '../../../cli/engine/spec/read-source.ts';
import { FORMATS } from '../../../shared/plans.ts';
import { startConnectProxy, withProxyEnv } from '../../helpers/connect-proxy.ts';
import { FEATURES, serveDirectory, specErrorOf, TMP } from './helpers.ts';

/** Every feature fixture that must load, with the version as written in it. */
const FIXTURES: Array<[string, string]> = [
  ['allof.yaml', '3.0.3'],
  ['circular-refs.yaml', '3.0.3'],
  ['discriminator-oneof.yaml', '3.0.3'],
  ['examples-everywhere.yaml', '3.0.3'],
  ['form-urlencoded.yaml', '3.0.3'],
  ['links.yaml', '3.0.3'],
  ['missing-operation-id.yaml', '3.0.3'],
  ['multi-file/openapi.yaml', '3.0.3'],
  ['multipart.yaml', '3.0.3'],
  ['nested-references.yaml', '3.0.3'],
  ['no-examples.yaml', '3.0.3'],
  ['nullable-30.yaml', '3.0.3'],
  ['nullable-31.yaml', '3.1.0'],
  ['openapi-31-const-examples.yaml', '3.1.0'],
  ['operation-without-responses.yaml', '3.0.3'],
  ['parameter-styles.yaml', '3.0.3'],
  ['path-parameter-undefined.yaml', '3.0.3'],
  ['petstore.json', '3.0.3'],
  ['references.yaml', '3.0.3'],
  ['security-schemes.yaml', '3.0.3'],
  ['servers.yaml', '3.0.3'],
  ['status-ranges.yaml', '3.0.3'],
  ['swagger-2.0-minimal.json', '2.0'],
  ['swagger-2.0.yaml', '2.0'],
  ['xml-bodies.yaml', '3.0.3'],
];

describe('the spec hash, computed when first read', () => {
  it.each(FIXTURES)('%s: planning and rendering leave the document as loaded', async (file) => {
    const spec = await loadSpec(join(FEATURES, file));
    const { ir } = buildIr(spec);
    const plan = planTests(ir, { seed: 1 });
    for (const format of FORMATS) renderFormat(format, plan, { generatorVersion: 'test' });
    const fresh = await loadSpec(join(FEATURES, file));
    expect(spec.specHash).toBe(canonicalHash(fresh.document));
    expect(spec.specHash).toBe(fresh.specHash);
  });
});

describe('loadSpec: every feature fixture', () => {
  it('covers every fixture file', async () => {
    const files = (await readdir(FEATURES)).filter((f) => /\.(ya?ml|json)$/.test(f));
    expect(FIXTURES.map(([f]) => f).filter((f) => !f.includes('/'))).toEqual(files.sort());
  });

  it.each(FIXTURES)('%s loads as one bundled OpenAPI 3 document (source %s)', async (file, version) => {
    const spec = await loadSpec(join(FEATURES, file));
    expect(spec.sourceVersion).toBe(version);
    expect(spec.origin).toBe(join(FEATURES, file));
    expect(String(spec.document.openapi)).toMatch(/^3\.[01]\./);
    expect(spec.specHash).toMatch(/^[0-9a-f]{64}$/);
    expect(spec.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    // Internal refs only, and plain JSON (circular refs stay refs, never object cycles).
    expect(collectRefs(spec.document).filter((site) => !site.ref.startsWith('#'))).toEqual([]);
    expect(JSON.parse(JSON.stringify(spec.document))).toEqual(spec.document);
  });
});

describe('loadSpec: the bytes another thread can hash', () => {
  const dir = join(TMP, 'bytes');
  beforeAll(() => mkdir(dir, { recursive: true }));

  it.each(FIXTURES)('%s: as JSON, hashed from its bytes, the same spec hash', async (file) => {
    const spec = await loadSpec(join(FEATURES, file));
    const bundledOrConverted = file.startsWith('multi-file/') || file.startsWith('swagger-2.0');
    // The document is not the file's parse, or the file is YAML (parsing it again costs more than hashing).
    if (bundledOrConverted || !file.endsWith('.json')) expect(spec.sourceBytes).toBeUndefined();
    if (bundledOrConverted) return;
    const json = join(dir, `${file.replace(/\W/g, '_')}.json`);
    await writeFile(json, JSON.stringify(spec.document, null, 1));
    const again = await loadSpec(json);
    expect(again.sourceBytes).toBeInstanceOf(Uint8Array);
    expect(hashSourceBytes(again.sourceBytes as Uint8Array, again.origin)).toBe(spec.specHash);
    expect(again.specHash).toBe(spec.specHash);
  });

  it('the same with a byte-order mark and text beyond ASCII; never for stdin', async () => {
    const doc = JSON.parse(await readFile(join(FEATURES, 'petstore.json'), 'utf8'));
    const text = JSON.stringify({ ...doc, info: { ...doc.info, title: 'Café — 日本 🦄' } }, null, 2);
    await writeFile(join(dir, 'bom.json'), `\ufeff${text}`);
    const spec = await loadSpec(join(dir, 'bom.json'));
    expect(spec.document.info).toMatchObject({ title: 'Café — 日本 🦄' });
    expect(hashSourceBytes(spec.sourceBytes as Uint8Array, spec.origin)).toBe(spec.specHash);
    expect((await loadSpec('-', { stdin: Readable.from([text]) })).sourceBytes).toBeUndefined();
  });
});

describe('loadSpec: a spec file read ahead', () => {
  it('the next load of that path takes the bytes read ahead; the one after reads again', async () => {
    const dir = join(TMP, 'ahead');
    await mkdir(dir, { recursive: true });
    const file = join(dir, 'spec.json');
    const doc = JSON.parse(await readFile(join(FEATURES, 'petstore.json'), 'utf8'));
    await writeFile(file, JSON.stringify({ ...doc, info: { ...doc.info, title: 'Before' } }));
    prefetchSpec(file);
    // Let the read finish before the file changes.
    await new Promise((resolve) => setTimeout(resolve, 50));
    await writeFile(file, JSON.stringify({ ...doc, info: { ...doc.info, title: 'After' } }));
    expect((await loadSpec(file)).document.info).toMatchObject({ title: 'Before' });
    expect((await loadSpec(file)).document.info).toMatchObject({ title: 'After' });
  });

  it('a file that cannot be read ahead fails its load as any missing file does', async () => {
    const missing = join(TMP, 'ahead', 'missing.yaml');
    prefetchSpec(missing);
    expect((await specErrorOf(loadSpec(missing))).code).toBe('SPEC_NOT_FOUND');
  });
});

describe('loadSpec: sources and formats', () => {
  const dir = join(TMP, 'sources');
  beforeAll(() => mkdir(dir, { recursive: true }));

  it('detects JSON and YAML by content, not extension', async () => {
    const json = await readFile(join(FEATURES, 'petstore.json'), 'utf8');
    await writeFile(join(dir, 'json-content.yaml'), json);
    await writeFile(join(dir, 'yaml-content.json'), stringify(JSON.parse(json)));
    const a = await loadSpec(join(dir, 'json-content.yaml'));
    const b = await loadSpec(join(dir, 'yaml-content.json'));
    const c = await loadSpec(join(FEATURES, 'petstore.json'));
    expect(a.document).toEqual(c.document);
    expect(b.document).toEqual(c.document);
  });

  it('reads stdin for -', async () => {
    const text = await readFile(join(FEATURES, 'allof.yaml'), 'utf8');
    const spec = await loadSpec('-', { stdin: Readable.from([text.slice(0, 50), text.slice(50)]) });
    expect(spec.origin).toBe('<stdin>');
    expect(spec.specHash).toBe((await loadSpec(join(FEATURES, 'allof.yaml'))).specHash);
  });

  it('hashes the canonical document: same for reordered keys and JSON vs YAML, different for a change', async () => {
    const doc = JSON.parse(await readFile(join(FEATURES, 'petstore.json'), 'utf8'));
    const reversed = (value: unknown): unknown =>
      Array.isArray(value)
        ? value.map(reversed)
        : typeof value === 'object' && value !== null
          ? Object.fromEntries(
              Object.entries(value)
                .reverse()
                .map(([k, v]) => [k, reversed(v)]),
            )
          : value;
    await writeFile(join(dir, 'reordered.yaml'), stringify(reversed(doc)));
    doc.info.title = 'Changed';
    await writeFile(join(dir, 'changed.json'), JSON.stringify(doc));
    const original = await loadSpec(join(FEATURES, 'petstore.json'));
    expect((await loadSpec(join(dir, 'reordered.yaml'))).specHash).toBe(original.specHash);
    expect((await loadSpec(join(dir, 'changed.json'))).specHash).not.toBe(original.specHash);
  });

  it('converts Swagger 2.0 to OpenAPI 3.0 and keeps the source version', async () => {
    const spec = await loadSpec(join(FEATURES, 'swagger-2.0.yaml'));
    expect(spec.document.openapi).toBe('3.0.0');
    expect(spec.document.swagger).toBeUndefined();
    expect(spec.sourceVersion).toBe('2.0');
    expect(Object.keys((spec.document.components as { schemas: object }).schemas)).toEqual(['Pet']);
    expect(spec.diagnostics.map((d) => d.code)).toContain('SWAGGER2_PATCHED');
  });

  it('bundles multi-file refs into internal refs, circular ones staying refs', async () => {
    const spec = await loadSpec(join(FEATURES, 'multi-file/openapi.yaml'));
    const refs = collectRefs(spec.document).map((s) => s.ref);
    expect(refs.length).toBeGreaterThan(0);
    expect(refs.every((r) => r.startsWith('#/'))).toBe(true);
    expect(JSON.stringify(spec.document)).toContain('No such pet.');
  });

  it('bundles referenced files whose names need URL encoding, and reports missing ones', async () => {
    const spaced = join(dir, 'spaced');
    await mkdir(spaced, { recursive: true });
    await writeFile(join(spaced, 'my schemas.yaml'), 'Pet:\n  type: object\n');
    const root = (ref: string) =>
      `openapi: 3.0.3\ninfo: {title: t, version: "1"}\npaths:\n  /p:\n    get:\n      responses:\n        "200":\n          description: ok\n          content:\n            application/json:\n              schema: {$ref: "${ref}"}\n`;
    await writeFile(join(spaced, 'ok.yaml'), root('my schemas.yaml#/Pet'));
    await writeFile(join(spaced, 'missing.yaml'), root('other schemas.yaml#/Pet'));
    const { ir } = buildIr(await loadSpec(join(spaced, 'ok.yaml')));
    expect(ir.operations[0]?.responses[0]?.contents[0]?.schema).toEqual({ type: 'object' });
    const error = await specErrorOf(loadSpec(join(spaced, 'missing.yaml')));
    expect(error.message).toContain(`${join(spaced, 'other schemas.yaml')}: file not found`);
  });

  it('resolves relative $refs of a spec on stdin against the working directory', async () => {
    const text = await readFile(join(FEATURES, 'multi-file/openapi.yaml'), 'utf8');
    const cwd = process.cwd();
    process.chdir(join(FEATURES, 'multi-file'));
    try {
      const spec = await loadSpec('-', { stdin: Readable.from([text]) });
      expect(spec.specHash).toBe((await loadSpec(join(FEATURES, 'multi-file/openapi.yaml'))).specHash);
    } finally {
      process.chdir(cwd);
    }
  });

  it('warns (does not fail) for an operation without responses, with the line', async () => {
    const spec = await loadSpec(join(FEATURES, 'operation-without-responses.yaml'));
    expect(spec.diagnostics).toEqual([
      expect.objectContaining({
        severity: 'warning',
        code: 'OPERATION_WITHOUT_RESPONSES',
        pointer: '/paths/~1ping/get',
        line: 7,
      }),
    ]);
  });
});

describe('loadSpec: URLs (loopback server)', () => {
  let server: Awaited<ReturnType<typeof serveDirectory>>;
  beforeAll(async () => {
    server = await serveDirectory(FEATURES, {
      '/slow.yaml': () => {
        // Never answers: the load must time out.
      },
    });
  });
  afterAll(() => server.close());

  it('localOnly (another thread loading the same file) fails rather than fetch a file a $ref names by URL', async () => {
    let fetched = 0;
    const counted = await serveDirectory(FEATURES, {
      '/counted/components.yaml': async (_req, res) => {
        fetched += 1;
        res.writeHead(200, { 'content-type': 'application/yaml' });
        res.end(await readFile(join(FEATURES, 'multi-file/components.yaml')));
      },
    });
    try {
      const dir = join(TMP, 'local-only');
      await mkdir(dir, { recursive: true });
      const root = join(dir, 'openapi.yaml');
      const text = await readFile(join(FEATURES, 'multi-file/openapi.yaml'), 'utf8');
      await writeFile(root, text.replaceAll('./components.yaml', `${counted.url}/counted/components.yaml`));
      const error = await specErrorOf(loadSpec(root, { localOnly: true }));
      expect(error.message).toContain('counted/components.yaml');
      expect(fetched).toBe(0);
      // Loaded as usual, it is fetched.
      const spec = await loadSpec(root);
      expect(fetched).toBeGreaterThan(0);
      expect(JSON.stringify(spec.document)).toContain('Pet');
    } finally {
      await counted.close();
    }
  });

  it('loads a spec from a URL, with relative $refs fetched relative to it', async () => {
    const url = `${server.url}/multi-file/openapi.yaml`;
    const spec = await loadSpec(url);
    expect(spec.origin).toBe(url);
    expect(spec.specHash).toBe((await loadSpec(join(FEATURES, 'multi-file/openapi.yaml'))).specHash);
  });

  it('resolves relative server URLs against the spec URL', async () => {
    const spec = await loadSpec(`${server.url}/servers.yaml`);
    const { ir } = buildIr(spec);
    expect(ir.servers.map((s) => s.url)).toEqual(['https://eu.api.example.com/v2', `${server.url}/relative`]);
  });

  it('reports a 404 clearly', async () => {
    const error = await specErrorOf(loadSpec(`${server.url}/nope.yaml`));
    expect(error.code).toBe('SPEC_FETCH_FAILED');
    expect(error.message).toBe(`Could not fetch spec ${server.url}/nope.yaml: HTTP 404 Not Found`);
    expect(error.hint).toContain('check the path');
    expect(error.exitCode).toBe(1);
  });

  it('reports a missing referenced file under a URL', async () => {
    const error = await specErrorOf(loadSpec(`${server.url}/invalid/missing-external-file.yaml`));
    expect(error.code).toBe('SPEC_REF_UNRESOLVED');
    expect(error.message).toContain(`${server.url}/invalid/does-not-exist.yaml: HTTP 404 Not Found`);
    expect(error.message).toContain(':14:15');
  });

  it('goes through HTTP_PROXY (CONNECT), and not for hosts in NO_PROXY', async () => {
    // A minimal forward proxy tunnelling every CONNECT to the fixture server: spec.invalid has no address,
    // so the spec loads only through it.
    const proxy = await startConnectProxy(Number(new URL(server.url).port));
    const { tunnels } = proxy;
    try {
      await withProxyEnv(proxy.url, 'bypass.invalid', async () => {
        // The relative $ref is fetched through the proxy too.
        const spec = await loadSpec('http://spec.invalid/multi-file/openapi.yaml');
        expect(spec.specHash).toBe((await loadSpec(join(FEATURES, 'multi-file/openapi.yaml'))).specHash);
        expect(new Set(tunnels)).toEqual(new Set(['spec.invalid:80']));
        const count = tunnels.length;
        const error = await specErrorOf(loadSpec('http://bypass.invalid/allof.yaml', { timeoutMs: 2000 }));
        expect(error.code).toBe('SPEC_FETCH_FAILED');
        expect(tunnels).toHaveLength(count);
      });
    } finally {
      await proxy.close();
    }
  });

  it('reports connection refused', async () => {
    const closed = await serveDirectory(FEATURES);
    await closed.close();
    const error = await specErrorOf(loadSpec(`${closed.url}/allof.yaml`));
    expect(error.message).toBe(`Could not fetch spec ${closed.url}/allof.yaml: connection refused`);
    // A spec URL that cannot be reached is a network failure (DESIGN.md: exit 5), not bad input.
    expect(error.exitCode).toBe(5);
  });

  it('gives up after timeoutMs', async () => {
    const error = await specErrorOf(loadSpec(`${server.url}/slow.yaml`, { timeoutMs: 200 }));
    expect(error.message).toContain('no answer within 200 ms');
  });
});

describe('loadSpec: document shapes from the wild', () => {
  const dir = join(TMP, 'wild');
  beforeAll(() => mkdir(dir, { recursive: true }));

  it('accepts duplicate YAML keys with a warning (the later wins, as in JSON)', async () => {
    await writeFile(
      join(dir, 'dup.yaml'),
      'openapi: 3.0.3\ninfo: {title: a, version: "1"}\ninfo: {title: b, version: "1"}\npaths: {}\n',
    );
    const spec = await loadSpec(join(dir, 'dup.yaml'));
    expect((spec.document.info as { title: string }).title).toBe('b');
    expect(spec.diagnostics).toEqual([
      expect.objectContaining({ severity: 'warning', code: 'YAML_DUPLICATE_KEY', line: 3 }),
    ]);
  });

  it('accepts a 3.1 document with only webhooks', async () => {
    const doc = parse(await readFile(join(FEATURES, 'openapi-31-const-examples.yaml'), 'utf8'));
    delete doc.paths;
    await writeFile(join(dir, 'webhooks-only.yaml'), stringify(doc));
    const spec = await loadSpec(join(dir, 'webhooks-only.yaml'));
    expect(spec.diagnostics.map((d) => d.code)).toEqual(['NO_PATHS']);
    expect(buildIr(spec).ir.operations).toEqual([]);
  });
});
