/**
 * Values for string `format`s, and ways to stretch them to a required length while keeping the format.
 * Dates fall in a fixed range (2020–2025) so suites do not depend on the clock.
 * @see https://json-schema.org/draft/2020-12/json-schema-validation#section-7.3 (defined formats)
 * @see https://spec.openapis.org/oas/v3.1.0#data-types (OpenAPI formats)
 */
import type { Rng } from './rng.ts';
import { randomAlnum, randomChars, randomHex, randomUsername, randomWord } from './words.ts';

const pad2 = (n: number): string => String(n).padStart(2, '0');

function date(rng: Rng): string {
  return `${rng.int(2020, 2025)}-${pad2(rng.int(1, 12))}-${pad2(rng.int(1, 28))}`;
}

function time(rng: Rng): string {
  return `${pad2(rng.int(0, 23))}:${pad2(rng.int(0, 59))}:${pad2(rng.int(0, 59))}`;
}

function uuid(rng: Rng): string {
  const variant = rng.pick(['8', '9', 'a', 'b']);
  return `${randomHex(rng, 8)}-${randomHex(rng, 4)}-4${randomHex(rng, 3)}-${variant}${randomHex(rng, 3)}-${randomHex(rng, 12)}`;
}

const GENERATORS: Record<string, (rng: Rng) => string> = {
  email: (r) => `${randomUsername(r)}@example.com`,
  'idn-email': (r) => `${randomUsername(r)}@example.com`,
  uuid,
  date,
  'date-time': (r) => `${date(r)}T${time(r)}Z`,
  'iso-date-time': (r) => `${date(r)}T${time(r)}Z`,
  time: (r) => `${time(r)}Z`,
  'iso-time': (r) => `${time(r)}Z`,
  duration: (r) => r.pick([`P${r.int(1, 30)}D`, `PT${r.int(1, 23)}H`, `P${r.int(1, 11)}M`]),
  uri: (r) => `https://example.com/${randomWord(r)}`,
  url: (r) => `https://example.com/${randomWord(r)}`,
  iri: (r) => `https://example.com/${randomWord(r)}`,
  'uri-reference': (r) => `/${randomWord(r)}/${r.int(1, 999)}`,
  'iri-reference': (r) => `/${randomWord(r)}/${r.int(1, 999)}`,
  'uri-template': (r) => `https://example.com/${randomWord(r)}/{id}`,
  hostname: (r) => `${randomWord(r)}.example.com`,
  'idn-hostname': (r) => `${randomWord(r)}.example.com`,
  ipv4: (r) => `${r.pick(['192.0.2', '198.51.100', '203.0.113'])}.${r.int(1, 254)}`,
  ipv6: (r) => `2001:db8::${r.int(1, 0xffff).toString(16)}`,
  byte: (r) => Buffer.from(randomWord(r)).toString('base64'),
  binary: (r) => randomWord(r),
  password: (r) => `Pw-${randomAlnum(r, 10)}`,
  regex: () => '^[a-z]+$',
  'json-pointer': (r) => `/${randomWord(r)}`,
  'relative-json-pointer': (r) => `0/${randomWord(r)}`,
  'json-pointer-uri-fragment': (r) => `#/${randomWord(r)}`,
  int32: (r) => String(r.int(1, 99999)),
  int64: (r) => String(r.int(1, 99999)),
  float: (r) => `${r.int(1, 999)}.${r.int(1, 9)}`,
  double: (r) => `${r.int(1, 999)}.${r.int(1, 9)}`,
  decimal: (r) => `${r.int(1, 999)}.${pad2(r.int(0, 99))}`,
  color: (r) => `#${randomHex(r, 6)}`,
};

/** Whether there is a generator for this string format. */
export function hasFormatGenerator(format: string): boolean {
  return Object.hasOwn(GENERATORS, format);
}

/** A value of the given string format, or undefined for unknown formats. */
export function formatValue(format: string, rng: Rng): string | undefined {
  const make = GENERATORS[format];
  return make ? make(rng) : undefined;
}

/** Extends `value` to exactly `length` characters by inserting letters at a place the format tolerates. */
type Stretcher = (value: string, length: number, rng: Rng) => string | undefined;

function insertAt(value: string, at: number, length: number, rng: Rng): string | undefined {
  const missing = length - value.length;
  if (missing < 0 || at < 0) return undefined;
  return value.slice(0, at) + randomChars(rng, missing) + value.slice(at);
}

/** RFC 5321's limits on a mailbox: a local part of 64 octets at most, 254 in all (its path is 256). */
const MAX_LOCAL_PART = 64;
const MAX_MAILBOX = 254;

/**
 * Grows a host name to `length`: its first label up to 63 characters, then more labels in front of it (RFC
 * 1035's limit per label).
 */
function growHostname(value: string, length: number, rng: Rng): string | undefined {
  let out = value;
  while (out.length < length) {
    const first = out.indexOf('.');
    const room = 63 - (first < 0 ? out.length : first);
    const need = length - out.length;
    if (room > 0) out = randomChars(rng, Math.min(room, need)) + out;
    else out = `${randomChars(rng, Math.max(1, Math.min(62, need - 1)))}.${out}`;
  }
  return out.length === length ? out : undefined;
}

/**
 * An address grown to `length` the way RFC 5321 allows: the local part up to 64 characters, then the domain
 * label by label. A longer local part is refused by servers that check the RFC's limits, so an address of 254
 * characters (a common maxLength) is mostly domain; none can be longer than 254.
 */
function growMailbox(value: string, length: number, rng: Rng): string | undefined {
  const at = value.lastIndexOf('@');
  if (at <= 0 || length > MAX_MAILBOX) return undefined;
  const local = value.slice(0, at);
  const grownLocal = Math.min(MAX_LOCAL_PART, local.length + length - value.length);
  const withLocal = insertAt(value, at, value.length + grownLocal - local.length, rng);
  if (withLocal === undefined) return undefined;
  const newAt = withLocal.lastIndexOf('@');
  const domain = growHostname(withLocal.slice(newAt + 1), length - newAt - 1, rng);
  return domain === undefined ? undefined : `${withLocal.slice(0, newAt + 1)}${domain}`;
}

const STRETCHERS: Record<string, Stretcher> = {
  email: growMailbox,
  'idn-email': growMailbox,
  uri: (v, n, r) => insertAt(v, v.length, n, r),
  url: (v, n, r) => insertAt(v, v.length, n, r),
  iri: (v, n, r) => insertAt(v, v.length, n, r),
  'uri-reference': (v, n, r) => insertAt(v, 1, n, r),
  'json-pointer': (v, n, r) => insertAt(v, v.length, n, r),
  hostname: growHostname,
  binary: (v, n, r) => insertAt(v, v.length, n, r),
  password: (v, n, r) => insertAt(v, v.length, n, r),
  byte: (v, n, r) => (n % 4 === 0 && n >= v.length ? randomChars(r, n - v.length, 'ABCD') + v : undefined),
};

/**
 * `value` (of `format`, or free text when `format` is undefined) brought to exactly `length` characters:
 * truncated free text, or a stretched value. Undefined when the format cannot have that length.
 */
export function fitLength(
  value: string,
  length: number,
  format: string | undefined,
  rng: Rng,
): string | undefined {
  if (value.length === length) return value;
  if (format === undefined || !hasFormatGenerator(format)) {
    if (value.length < length) return value + randomChars(rng, length - value.length);
    // No trailing blanks: text parameters and headers are often trimmed, which would change the length.
    const cut = value.slice(0, length);
    const body = cut.trimEnd();
    return body + randomChars(rng, cut.length - body.length);
  }
  if (value.length > length) return undefined;
  const stretch = STRETCHERS[format];
  return stretch ? stretch(value, length, rng) : undefined;
}
