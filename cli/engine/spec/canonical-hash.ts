import { createHash } from 'node:crypto';

/**
 * Canonical JSON of a value: no whitespace, and the members of every object in one fixed order whatever the
 * order they were written in — keys that are array indexes (`"0"`, `"200"`, `"404"`) first in ascending
 * numeric order, then every other key in UTF-16 code unit order. (That is the order in which JavaScript
 * enumerates an object whose keys were inserted sorted, which lets the native `JSON.stringify` do the
 * writing.) `undefined` members are dropped and numbers/strings are written as `JSON.stringify` writes them.
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sorted(value)) ?? 'null';
}

/** Hex sha256 of {@link canonicalJson}. */
export function canonicalHash(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value)).digest('hex');
}

/**
 * `value` with the keys of every object inserted in sorted order. Objects and arrays that already are
 * (most of a spec: keys written in order, or members that needed no copy) are returned as they are, so
 * only the unsorted objects and the path to them are copied; the native serialiser then writes the lot
 * without calling back into JavaScript for every member (about twice as fast as a replacer function on
 * GitHub's 13 MB description).
 */
function sorted(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const item = value[i];
      const canonical = sorted(item);
      if (canonical !== item && copy === undefined) copy = value.slice(0, i);
      if (copy !== undefined) copy.push(canonical);
    }
    return copy ?? value;
  }
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record);
  let inOrder = true;
  for (let i = 1; i < keys.length; i++) {
    if ((keys[i - 1] as string) > (keys[i] as string)) {
      inOrder = false;
      break;
    }
  }
  let values: unknown[] | undefined;
  for (let i = 0; i < keys.length; i++) {
    const item = record[keys[i] as string];
    const canonical = sorted(item);
    if (canonical !== item && values === undefined) {
      values = new Array<unknown>(keys.length);
      for (let j = 0; j < i; j++) values[j] = record[keys[j] as string];
    }
    if (values !== undefined) values[i] = canonical;
  }
  if (inOrder && values === undefined) return value;
  const order = keys.map((_, i) => i);
  if (!inOrder) order.sort((a, b) => ((keys[a] as string) < (keys[b] as string) ? -1 : 1));
  const copy: Record<string, unknown> = {};
  for (const i of order) {
    const key = keys[i] as string;
    const item = values === undefined ? record[key] : values[i];
    if (key === '__proto__') {
      Object.defineProperty(copy, key, { value: item, enumerable: true, writable: true, configurable: true });
    } else copy[key] = item;
  }
  return copy;
}
