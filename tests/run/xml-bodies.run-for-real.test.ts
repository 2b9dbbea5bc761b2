/**
 * XML request bodies for real: a generated pytest suite runs against a small server that reads its bodies with
 * a real XML parser (Python's ElementTree) and keeps the spec's promises: 201 for a pet document named as the
 * spec's XML Objects say, 400 for anything else. Every test passes (before, valid cases sent JSON text and got
 * 400: a false alarm), and a server that no longer accepts the attribute the spec declares is caught.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatFiles } from '../helpers/format-files.ts';
import { PythonServers } from '../helpers/python-server.ts';
import { findPythons, pythonSkipReason } from '../render/pytest/python-env.ts';
import { runPytest } from '../render/pytest/run-pytest.ts';
import { writeFiles } from '../render/pytest/write-files.ts';
import { RUN_ROOT } from './runners.ts';

const pythons = findPythons();
const skip = pythonSkipReason(pythons);
const python = pythons[0]?.command ?? 'python3';
const DIR = join(RUN_ROOT, 'xml-bodies');

const SPEC = join(import.meta.dirname, '../fixtures/specs/features/xml-bodies.yaml');

/** The server: `fault` = 'id-as-element' reads the id from a child element instead of the declared attribute. */
const SERVER = `
import sys, xml.etree.ElementTree as ET
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
FAULT = sys.argv[2]
class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args): pass
    def reply(self, code):
        self.send_response(code); self.send_header('Content-Length', '0'); self.end_headers()
    def do_POST(self):
        if self.path != '/pets': return self.reply(404)
        body = self.rfile.read(int(self.headers.get('Content-Length') or 0))
        if not (self.headers.get('Content-Type') or '').startswith('application/xml'): return self.reply(400)
        try: pet = ET.fromstring(body)
        except ET.ParseError: return self.reply(400)
        name = pet.find('name')
        pet_id = pet.findtext('id') if FAULT == 'id-as-element' else pet.get('id')
        if pet.tag != 'pet' or name is None or not (name.text or '').strip(): return self.reply(400)
        if pet_id is None or not pet_id.isdigit() or int(pet_id) < 1: return self.reply(400)
        tags = pet.find('tags')
        if tags is not None and any(child.tag != 'tag' or not (child.text or '') for child in tags): return self.reply(400)
        return self.reply(201)
    def refuse(self): self.reply(405 if self.path == '/pets' else 404)
    do_GET = do_PUT = do_PATCH = do_DELETE = refuse
ThreadingHTTPServer(('127.0.0.1', int(sys.argv[1])), Handler).serve_forever()
`;

const servers = new PythonServers(python, join(DIR, 'server.py'), '/pets');

let suite = '';

beforeAll(async () => {
  if (skip) return;
  mkdirSync(DIR, { recursive: true });
  writeFileSync(join(DIR, 'server.py'), SERVER);
  const files = await formatFiles(SPEC, 'pytest', {
    depth: 'standard',
    categories: ['contract', 'negative', 'boundary'],
  });
  suite = writeFiles(join(DIR, 'pytest'), files);
}, 60_000);

afterAll(() => {
  servers.stopAll();
});

describe.skipIf(skip !== undefined)('XML request bodies against a server that parses XML', () => {
  it('pass everywhere on a server that keeps the spec', async () => {
    const report = await runPytest({ python, dir: suite, env: { BASE_URL: await servers.start('none') } });
    expect(report.tests).toBeGreaterThan(2);
    expect(report.failures, report.output.slice(-3000)).toEqual([]);
    expect(report.exitCode).toBe(0);
  }, 120_000);

  it('fail where a server no longer reads the attribute the spec declares', async () => {
    const report = await runPytest({
      python,
      dir: suite,
      env: { BASE_URL: await servers.start('id-as-element') },
    });
    expect(report.failed, report.output.slice(-3000)).toBeGreaterThan(0);
    expect(report.failures.join('\n')).toMatch(/positive_data_acceptance|contract/);
  }, 120_000);
});
