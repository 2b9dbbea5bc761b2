/**
 * Canonical examples of string formats: the values a parser of that format usually has a branch for (leap
 * day, epoch, offsets, fractions of a second, IPv6 shorthand, plus-addressing…). Each is checked against the
 * schema before use, so a format ajv-formats checks more strictly only loses examples.
 * @see https://json-schema.org/draft/2020-12/json-schema-validation#section-7.3
 * @see https://spec.openapis.org/oas/v3.1.0#data-types
 */

/** One example: a key fragment (`leap_day`), what it shows, and the value. */
export interface FormatExample {
  key: string;
  label: string;
  value: string;
}

const ex = (key: string, label: string, value: string): FormatExample => ({ key, label, value });

const DATES = [
  ex('leap_day', 'leap day', '2024-02-29'),
  ex('epoch', 'Unix epoch', '1970-01-01'),
  ex('year_end', 'last day of a year', '2023-12-31'),
  ex('century', 'non-leap century year', '2100-02-28'),
];

const DATE_TIMES = [
  ex('utc', 'UTC', '2024-02-29T13:45:00Z'),
  ex('epoch', 'Unix epoch', '1970-01-01T00:00:00Z'),
  ex('offset', 'with a UTC offset', '2023-06-15T08:30:00+02:00'),
  ex('fraction', 'with fractional seconds', '2023-12-31T23:59:59.999Z'),
  ex('lower_t', 'lower-case t and z', '2023-01-01t00:00:00z'),
];

const TIMES = [
  ex('midnight', 'midnight UTC', '00:00:00Z'),
  ex('last_second', 'last second of the day', '23:59:59Z'),
  ex('offset', 'with an offset', '12:30:00+02:00'),
  ex('fraction', 'with fractional seconds', '08:15:30.250Z'),
];

const EMAILS = [
  ex('plain', 'plain address', 'user@example.com'),
  ex('plus_tag', 'dotted and plus-tagged', 'first.last+tag@example.co.uk'),
  ex('upper', 'upper case', 'ADA@EXAMPLE.COM'),
  ex('subdomain', 'sub-domain and digits', 'dev-42@mail.example.org'),
];

const URIS = [
  ex('https', 'https URL', 'https://example.com'),
  ex('full', 'port, path, query and fragment', 'http://example.com:8080/a/b?q=1&r=two#frag'),
  ex('urn', 'URN', 'urn:isbn:0451450523'),
  ex('mailto', 'mailto URI', 'mailto:user@example.com'),
];

const URI_REFERENCES = [
  ex('absolute', 'absolute URL', 'https://example.com/a'),
  ex('path', 'relative path', 'docs/readme.md'),
  ex('query', 'query only', '?page=2'),
  ex('fragment', 'fragment only', '#top'),
];

const UUIDS = [
  ex('v4', 'version 4 UUID', '123e4567-e89b-42d3-a456-426614174000'),
  ex('nil', 'nil UUID', '00000000-0000-0000-0000-000000000000'),
  ex('upper', 'upper-case UUID', 'F47AC10B-58CC-4372-A567-0E02B2C3D479'),
];

const IPV4 = [
  ex('loopback', 'loopback', '127.0.0.1'),
  ex('zero', 'all zeros', '0.0.0.0'),
  ex('broadcast', 'broadcast', '255.255.255.255'),
  ex('doc', 'documentation range', '192.0.2.10'),
];

const IPV6 = [
  ex('loopback', 'loopback', '::1'),
  ex('unspecified', 'unspecified', '::'),
  ex('doc', 'documentation prefix', '2001:db8::1'),
  ex('full', 'all eight groups', '2001:0db8:85a3:0000:0000:8a2e:0370:7334'),
  ex('mapped', 'IPv4-mapped', '::ffff:192.0.2.1'),
];

const HOSTNAMES = [
  ex('localhost', 'localhost', 'localhost'),
  ex('domain', 'domain name', 'example.com'),
  ex('hyphen', 'sub-domain with a hyphen', 'api-v2.example.co.uk'),
  ex('single_char', 'one-letter label', 'a.io'),
];

const DURATIONS = [
  ex('day', 'one day', 'P1D'),
  ex('hours_minutes', 'hours and minutes', 'PT1H30M'),
  ex('full', 'every part', 'P1Y2M3DT4H5M6S'),
  ex('weeks', 'weeks', 'P2W'),
];

const BYTES = [
  ex('hello', 'base64 text', 'aGVsbG8='),
  ex('padded', 'two padding characters', 'YQ=='),
  ex('empty', 'empty', ''),
];

const JSON_POINTERS = [
  ex('root', 'whole document', ''),
  ex('nested', 'nested member', '/a/b/0'),
  ex('escaped', 'escaped characters', '/a~1b/c~0d'),
];

const REGEXES = [ex('anchored', 'anchored pattern', '^[a-z]+$'), ex('alternation', 'alternation', 'a|b')];

const NUMERIC_STRINGS = [
  ex('zero', 'zero', '0'),
  ex('negative', 'negative', '-1'),
  ex('large', 'large', '9007199254740991'),
];

const DECIMALS = [
  ex('zero', 'zero', '0'),
  ex('fraction', 'fraction', '0.5'),
  ex('negative', 'negative', '-12.75'),
];

const BY_FORMAT: Record<string, readonly FormatExample[]> = {
  date: DATES,
  'date-time': DATE_TIMES,
  'iso-date-time': DATE_TIMES,
  time: TIMES,
  'iso-time': TIMES,
  email: EMAILS,
  'idn-email': [...EMAILS, ex('unicode', 'non-ASCII local part', 'zoë@example.com')],
  uri: URIS,
  url: URIS,
  iri: [...URIS, ex('unicode', 'non-ASCII path', 'https://example.com/zoë')],
  'uri-reference': URI_REFERENCES,
  'iri-reference': URI_REFERENCES,
  uuid: UUIDS,
  ipv4: IPV4,
  ipv6: IPV6,
  hostname: HOSTNAMES,
  'idn-hostname': [...HOSTNAMES, ex('unicode', 'non-ASCII label', 'bücher.example')],
  duration: DURATIONS,
  byte: BYTES,
  'json-pointer': JSON_POINTERS,
  regex: REGEXES,
  int32: NUMERIC_STRINGS,
  int64: NUMERIC_STRINGS,
  decimal: DECIMALS,
  double: DECIMALS,
  float: DECIMALS,
};

/** The canonical examples of a string format (none for formats without a table). */
export function formatExamples(format: string): readonly FormatExample[] {
  return Object.hasOwn(BY_FORMAT, format) ? (BY_FORMAT[format] as readonly FormatExample[]) : [];
}
