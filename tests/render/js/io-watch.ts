/**
 * Watches for I/O, clock and randomness while a synchronous function runs: the conformance suite uses it to
 * show that renderers are pure. Spies call through (so a renderer behaves as usual) and record the call.
 * ESM named imports of builtins (`import { readFileSync } from 'node:fs'`) see the spies because
 * `syncBuiltinESMExports` copies them onto the modules' export bindings.
 */
import childProcess from 'node:child_process';
import nodeCrypto from 'node:crypto';
import fs from 'node:fs';
import fsPromises from 'node:fs/promises';
import http from 'node:http';
import https from 'node:https';
import { syncBuiltinESMExports } from 'node:module';
import net from 'node:net';
import { type MockInstance, vi } from 'vitest';

type AnyObject = Record<string, unknown>;

function functionNames(target: object): string[] {
  return Object.keys(target).filter(
    (name) => typeof (target as AnyObject)[name] === 'function' && !/^[A-Z]/.test(name),
  );
}

/** Runs `fn` and returns what it touched (`fs.readFileSync`, `Date.now`, `process.env.HOME`, …). */
export function watchIo<T>(fn: () => T): { value: T; touched: string[] } {
  const touched: string[] = [];
  const spies: MockInstance[] = [];
  const spyAll = (target: object, label: string, names = functionNames(target)): void => {
    for (const name of names) {
      const descriptor = Object.getOwnPropertyDescriptor(target, name);
      // A few builtins are read-only (e.g. node:crypto getRandomValues); they cannot be watched this way.
      if (descriptor && !descriptor.configurable && !descriptor.writable) continue;
      const spy = vi.spyOn(target as AnyObject, name as never) as unknown as MockInstance;
      spy.mockName(`${label}.${name}`);
      spies.push(spy);
    }
  };
  const RealDate = Date;
  const realEnv = process.env;
  try {
    spyAll(fs, 'fs');
    spyAll(fsPromises, 'fs/promises');
    spyAll(http, 'http', ['request', 'get', 'createServer']);
    spyAll(https, 'https', ['request', 'get', 'createServer']);
    spyAll(net, 'net', ['connect', 'createConnection', 'createServer']);
    spyAll(childProcess, 'child_process');
    spyAll(nodeCrypto, 'crypto', [
      'randomBytes',
      'randomUUID',
      'randomInt',
      'randomFillSync',
      'getRandomValues',
    ]);
    spyAll(globalThis, 'globalThis', [
      'fetch',
      'setTimeout',
      'setInterval',
      'setImmediate',
      'queueMicrotask',
    ]);
    spyAll(Math, 'Math', ['random']);
    spyAll(Date, 'Date', ['now']);
    spyAll(performance, 'performance', ['now']);
    spyAll(process, 'process', ['hrtime', 'cwd', 'uptime', 'memoryUsage']);
    spyAll(globalThis.crypto, 'webcrypto', ['randomUUID', 'getRandomValues']);
    syncBuiltinESMExports();

    globalThis.Date = new Proxy(RealDate, {
      construct(target, args, newTarget) {
        if (args.length === 0) touched.push('new Date()');
        return Reflect.construct(target, args, newTarget);
      },
      apply(target, thisArg, args) {
        touched.push('Date()');
        return Reflect.apply(target, thisArg, args);
      },
    });
    process.env = new Proxy(realEnv, {
      get(target, key) {
        if (typeof key === 'string') touched.push(`process.env.${key}`);
        return Reflect.get(target, key);
      },
    });
    const value = fn();
    for (const spy of spies) {
      if (spy.mock.calls.length > 0) touched.push(spy.getMockName());
    }
    return { value, touched };
  } finally {
    process.env = realEnv;
    globalThis.Date = RealDate;
    for (const spy of spies) spy.mockRestore();
    syncBuiltinESMExports();
  }
}
