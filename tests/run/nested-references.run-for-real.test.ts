/**
 * Ids below a body's top level, for real: a generated suite (`--depth standard`, every category) runs against a
 * small server for tests/fixtures/specs/features/nested-references.yaml that refuses an order naming a product
 * it does not hold, or a coupon (nothing in the API makes one), with the declared 422. The suite creates a
 * product first and names it in the order's line; an order whose lines name made-up products (an input class
 * of the whole array) accepts the 422. Every test passes (before, every valid order named a made-up product
 * and failed), and a server that refuses every order is caught.
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
const DIR = join(RUN_ROOT, 'nested-references');

const SPEC = join(import.meta.dirname, '../fixtures/specs/features/nested-references.yaml');

/** The server: `fault` = 'orders-refused' refuses every order as naming an unknown product. */
const SERVER = `
import json, re, sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
FAULT = sys.argv[2]
products, orders = {}, {}
EMAIL = re.compile(r'^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$')
def integer(value, low, high): return isinstance(value, int) and not isinstance(value, bool) and low <= value <= high
def text(value, low, high): return isinstance(value, str) and low <= len(value) <= high
class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args): pass
    def reply(self, code, body=None):
        data = b'' if body is None else json.dumps(body).encode()
        self.send_response(code)
        if body is not None: self.send_header('Content-Type', 'application/json')
        self.send_header('Content-Length', str(len(data))); self.end_headers(); self.wfile.write(data)
    def problem(self, code, message): self.reply(code, {'message': message})
    def body(self):
        try: value = json.loads(self.rfile.read(int(self.headers.get('Content-Length') or 0)) or b'null')
        except ValueError: return None
        return value if isinstance(value, dict) else None
    def order_problem(self, body):
        if body is None: return 400, 'body'
        email = body.get('customerEmail')
        if not text(email, 3, 120) or not EMAIL.match(email): return 400, 'customerEmail'
        items = body.get('items')
        if not isinstance(items, list) or not 1 <= len(items) <= 10: return 400, 'items'
        for line in items:
            if not isinstance(line, dict) or not integer(line.get('productId'), 1, 2**53) or not integer(line.get('quantity'), 1, 99):
                return 400, 'items'
        promotion = body.get('promotion', {})
        if 'promotion' in body:
            if not isinstance(promotion, dict): return 400, 'promotion'
            if 'couponId' in promotion and not text(promotion['couponId'], 1, 20): return 400, 'couponId'
            if 'note' in promotion and not text(promotion['note'], 0, 60): return 400, 'note'
        if FAULT == 'orders-refused' or any(line['productId'] not in products for line in items):
            return 422, 'no such product'
        if 'couponId' in promotion: return 422, 'no such coupon'
        return None
    def do_GET(self):
        parts = self.path.split('?')[0].strip('/').split('/')
        if parts == ['coupons']: return self.reply(200, [])
        if len(parts) == 2 and parts[0] in ('products', 'orders'):
            store = products if parts[0] == 'products' else orders
            key = int(parts[1]) if parts[1].isdigit() else None
            return self.reply(200, store[key]) if key in store else self.problem(404, 'not found')
        return self.refuse()
    def do_POST(self):
        parts = self.path.strip('/').split('/')
        body = self.body()
        if parts == ['products']:
            if body is None or not text(body.get('sku'), 3, 24): return self.problem(400, 'sku')
            if not text(body.get('name'), 1, 80): return self.problem(400, 'name')
            price = body.get('price')
            if isinstance(price, bool) or not isinstance(price, (int, float)) or not 0 <= price <= 100000: return self.problem(400, 'price')
            if any(p['sku'] == body['sku'] for p in products.values()): return self.problem(409, 'sku in use')
            product = {'id': len(products) + 1, 'sku': body['sku'], 'name': body['name'], 'price': price}
            products[product['id']] = product
            return self.reply(201, product)
        if parts == ['orders']:
            problem = self.order_problem(body)
            if problem: return self.problem(*problem)
            order = {'id': len(orders) + 1, 'customerEmail': body['customerEmail'], 'items': body['items']}
            if 'promotion' in body: order['promotion'] = body['promotion']
            orders[order['id']] = order
            return self.reply(201, order)
        return self.refuse()
    def refuse(self): self.problem(405, 'method not allowed')
    do_PUT = do_PATCH = do_DELETE = refuse
ThreadingHTTPServer(('127.0.0.1', int(sys.argv[1])), Handler).serve_forever()
`;

const servers = new PythonServers(python, join(DIR, 'server.py'), '/coupons');

let suite = '';

beforeAll(async () => {
  if (skip) return;
  mkdirSync(DIR, { recursive: true });
  writeFileSync(join(DIR, 'server.py'), SERVER);
  suite = writeFiles(join(DIR, 'pytest'), await formatFiles(SPEC, 'pytest', { depth: 'standard' }));
}, 60_000);

afterAll(() => {
  servers.stopAll();
});

describe.skipIf(skip !== undefined)('ids below the top level of a body, against a server that checks', () => {
  it('pass everywhere on a server that keeps the spec', async () => {
    const report = await runPytest({ python, dir: suite, env: { BASE_URL: await servers.start('none') } });
    expect(report.tests).toBeGreaterThan(40);
    expect(report.failures, report.output.slice(-3000)).toEqual([]);
    expect(report.exitCode).toBe(0);
  }, 180_000);

  it('fail where the server refuses every order', async () => {
    const report = await runPytest({
      python,
      dir: suite,
      env: { BASE_URL: await servers.start('orders-refused') },
    });
    expect(report.failed, report.output.slice(-3000)).toBeGreaterThan(0);
    expect(report.failures.join('\n')).toMatch(/createOrder/);
  }, 180_000);
});
