/**
 * Realistic short strings chosen by property name (`email` → an address, `city` → a city, `name` → a name).
 * Word lists are small and fixed so generated suites stay readable and deterministic.
 */
import { typicalDomainText } from './domain-values.ts';
import type { Rng } from './rng.ts';

const FIRST_NAMES = [
  'Ada',
  'Alan',
  'Grace',
  'Linus',
  'Margaret',
  'Dennis',
  'Barbara',
  'Ken',
  'Frances',
  'Edsger',
];
const LAST_NAMES = ['Lovelace', 'Turing', 'Hopper', 'Torvalds', 'Hamilton', 'Ritchie', 'Liskov', 'Thompson'];
const NAMES = ['Rex', 'Luna', 'Milo', 'Nova', 'Atlas', 'Juniper', 'Orion', 'Willow', 'Pepper', 'Maple'];
const WORDS = ['alpha', 'bravo', 'cedar', 'delta', 'ember', 'falcon', 'garnet', 'harbor', 'iris', 'jasper'];
const CITIES = ['Oslo', 'Lisbon', 'Kyoto', 'Denver', 'Nairobi', 'Porto', 'Quebec', 'Tallinn'];
const COUNTRIES = ['Norway', 'Portugal', 'Japan', 'Kenya', 'Canada', 'Estonia', 'Chile', 'Iceland'];
const STREETS = ['Main Street', 'Elm Road', 'Harbor Lane', 'Station Avenue', 'Mill Way'];
const COLORS = ['red', 'green', 'blue', 'amber', 'teal', 'violet'];
const SENTENCES = [
  'A short description.',
  'Created by the test suite.',
  'Sample text for testing.',
  'Nothing to see here.',
  'An example value.',
];
const TITLES = ['Quarterly report', 'Release notes', 'Weekly sync', 'Bug triage', 'Launch plan'];
const LETTERS = 'abcdefghijklmnopqrstuvwxyz';
const ALNUM = 'abcdefghijklmnopqrstuvwxyz0123456789';
const HEX = '0123456789abcdef';

/** `n` random characters drawn from `alphabet`. */
export function randomChars(rng: Rng, n: number, alphabet: string = LETTERS): string {
  let out = '';
  for (let i = 0; i < n; i++) out += alphabet[rng.int(0, alphabet.length - 1)];
  return out;
}

/** `n` lower-case hex digits. */
export function randomHex(rng: Rng, n: number): string {
  return randomChars(rng, n, HEX);
}

/** A lower-case alphanumeric run of `n` characters. */
export function randomAlnum(rng: Rng, n: number): string {
  return randomChars(rng, n, ALNUM);
}

/** A plain lower-case word. */
export function randomWord(rng: Rng): string {
  return rng.pick(WORDS);
}

/** A login-style user name. */
export function randomUsername(rng: Rng): string {
  return `${rng.pick(FIRST_NAMES).toLowerCase()}${rng.int(1, 99)}`;
}

type Maker = (rng: Rng) => string;

/** Name patterns in priority order; the first whose regex matches the property name wins. */
const HINTS: Array<[RegExp, Maker]> = [
  [/e-?mail/i, (r) => `${randomUsername(r)}@example.com`],
  [/(^|_)(first_?name|given_?name|forename)$|^firstName$|^givenName$/i, (r) => r.pick(FIRST_NAMES)],
  [/(last_?name|surname|family_?name)$|^lastName$|^familyName$/i, (r) => r.pick(LAST_NAMES)],
  [
    /(^|_)(full_?name|display_?name)$|^fullName$|^displayName$/i,
    (r) => `${r.pick(FIRST_NAMES)} ${r.pick(LAST_NAMES)}`,
  ],
  [/(user_?name|login|handle|author|owner|assignee)$/i, randomUsername],
  [/(url|uri|href|link|homepage|website)$/i, (r) => `https://example.com/${randomWord(r)}`],
  [/phone|mobile|fax/i, (r) => `+1555${r.int(1000000, 9999999)}`],
  [/city|town/i, (r) => r.pick(CITIES)],
  [/country/i, (r) => r.pick(COUNTRIES)],
  [/street|address/i, (r) => `${r.int(1, 99)} ${r.pick(STREETS)}`],
  [/zip|postal|postcode/i, (r) => String(r.int(10000, 99999))],
  [/colou?r/i, (r) => r.pick(COLORS)],
  [/(^|_)(sha|hash|digest|checksum)$|Sha$|Hash$/i, (r) => randomHex(r, 40)],
  [
    /(description|comment|body|message|summary|note|notes|bio|text|content|reason)$/i,
    (r) => r.pick(SENTENCES),
  ],
  [/(title|subject|headline)$/i, (r) => r.pick(TITLES)],
  [/(token|secret|password|passwd|key|nonce)$/i, (r) => randomAlnum(r, 16)],
  [/(^|_)(id|uuid|guid)$|[a-z]Id$/, (r) => `id-${randomAlnum(r, 8)}`],
  [/slug/i, (r) => `${randomWord(r)}-${randomWord(r)}`],
  [/(path|file|filename)$/i, (r) => `docs/${randomWord(r)}.md`],
  [/(branch|ref)$/i, (r) => r.pick(['main', 'develop', `feature/${randomWord(r)}`])],
  [/(locale|lang|language)$/i, (r) => r.pick(['en', 'de', 'fr', 'ja', 'pt'])],
  [/currency/i, (r) => r.pick(['USD', 'EUR', 'NOK', 'JPY'])],
  [/version/i, (r) => `${r.int(1, 3)}.${r.int(0, 9)}.${r.int(0, 9)}`],
  [/name$/i, (r) => r.pick(NAMES)],
];

/** The first matching maker per hint, cached: property names repeat across a spec (`id`, `url`, `name`). */
const makers = new Map<string, Maker | null>();

/**
 * A realistic short string for a property called `hint`: from the name patterns above, else the domain
 * dictionary's typical value for the name's head noun (a date for `date`), else a plain word.
 */
export function hintedString(rng: Rng, hint: string | undefined): string {
  if (hint) {
    const make = makerFor(hint);
    if (make) return make(rng);
    const typical = typicalDomainText(hint);
    if (typical !== undefined) return typical;
  }
  return randomWord(rng);
}

function makerFor(hint: string): Maker | null {
  let make = makers.get(hint);
  if (make === undefined) {
    make = HINTS.find(([re]) => re.test(hint))?.[1] ?? null;
    makers.set(hint, make);
  }
  return make;
}

/** The singular of a plural property name, for naming array items (`tags` → `tag`). */
export function singular(name: string | undefined): string | undefined {
  if (!name) return name;
  if (/ies$/.test(name)) return `${name.slice(0, -3)}y`;
  if (/(ss|us)$/.test(name)) return name;
  if (/s$/.test(name)) return name.slice(0, -1);
  return name;
}
