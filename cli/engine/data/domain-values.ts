/**
 * Domain values from names: the input's name is split into words (`startDate`, `start_date`, `date-from` →
 * `start date`, `date from`) and matched against the {@link DOMAIN_DICTIONARY}; its description is searched
 * for the entries' phrases. The values of the matching entries become candidate classes.
 */
import { type InputClass, show } from './class-keys.ts';
import { DOMAIN_DICTIONARY, type DomainEntry } from './domain-dictionary.ts';

/** The words of an identifier, lower case: camelCase, PascalCase, snake_case, kebab-case, dots (`ipv4` stays one word). */
export function nameWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w !== '');
}

interface Match {
  entry: DomainEntry;
  /** 2: the match ends at the name's last word (its head noun); 1: elsewhere in the name; 0: description. */
  place: number;
  /** Words matched. */
  length: number;
  order: number;
}

/** Where `phrase` (words) occurs in `words`: the best placement, or undefined. */
function findPhrase(words: readonly string[], phrase: readonly string[]): number | undefined {
  let best: number | undefined;
  for (let i = 0; i + phrase.length <= words.length; i++) {
    if (phrase.every((w, j) => words[i + j] === w))
      best = i + phrase.length === words.length ? 2 : (best ?? 1);
  }
  return best;
}

/** Each entry's names as word lists, split once. */
const ENTRY_WORDS: ReadonlyArray<ReadonlyArray<readonly string[]>> = DOMAIN_DICTIONARY.map((entry) =>
  entry.names.map((name) => name.split(/[^a-z0-9]+/).filter((w) => w !== '')),
);

/** Text as words separated by single spaces (dots kept, as in `e.164`), padded so phrases match whole words. */
function spaced(text: string): string {
  // A dot ending a sentence is not part of a word.
  const words = text.toLowerCase().replace(/[^\p{L}\p{N}.]+|\.(?![\p{L}\p{N}])/gu, ' ');
  return ` ${words.trim().replace(/ +/g, ' ')} `;
}

/** Each entry's description phrases, normalised like descriptions. */
const ENTRY_PHRASES: ReadonlyArray<readonly string[]> = DOMAIN_DICTIONARY.map((entry) =>
  entry.phrases.map(spaced),
);

/** Matches by name and description, remembered: the same names recur across a spec (`owner`, `page`). */
const matchCache = new Map<string, DomainEntry[]>();
const MATCH_CACHE_LIMIT = 10_000;

/** The dictionary entries an input matches, best first. */
export function matchDomain(name: string, description?: string): DomainEntry[] {
  const cacheKey = `${name}\u0000${description ?? ''}`;
  let found = matchCache.get(cacheKey);
  if (!found) {
    found = computeMatches(name, description).map((m) => m.entry);
    if (matchCache.size >= MATCH_CACHE_LIMIT) matchCache.clear();
    matchCache.set(cacheKey, found);
  }
  return found;
}

/** Every entry the input matches, with where, best first. */
function computeMatches(name: string, description: string | undefined): Match[] {
  const words = nameWords(name);
  const joined = words.join('');
  const described = description ? spaced(description) : '';
  const matches: Match[] = [];
  DOMAIN_DICTIONARY.forEach((entry, order) => {
    let best: Match | undefined;
    for (const phrase of ENTRY_WORDS[order] as ReadonlyArray<readonly string[]>) {
      // `postalcode` written as one word still matches `postal code`.
      const place =
        findPhrase(words, phrase) ?? (phrase.length > 1 && joined === phrase.join('') ? 2 : undefined);
      if (place === undefined) continue;
      const m = { entry, place, length: phrase.length, order };
      if (!best || m.place > best.place || (m.place === best.place && m.length > best.length)) best = m;
    }
    if (
      !best &&
      described !== '' &&
      (ENTRY_PHRASES[order] as readonly string[]).some((p) => described.includes(p))
    )
      best = { entry, place: 0, length: 0, order };
    if (best) matches.push(best);
  });
  matches.sort((a, b) => b.place - a.place || b.length - a.length || a.order - b.order);
  return matches;
}

/** Entries whose values are a closed set a server checks (an IANA zone name, a country code). */
const CLOSED_VOCABULARIES = new Set(['timezone', 'country_code']);

/**
 * Whether an input's name says it holds a value of a closed set (`X-Timezone`, `countryCode`): text that only fits
 * its schema (`y`, `zz/zzz…`) names no zone, and a server that checks refuses it, as specs say in prose.
 */
export function closedVocabulary(name: string): boolean {
  const [first] = matchDomain(name);
  return first !== undefined && CLOSED_VOCABULARIES.has(first.id);
}

const typicalCache = new Map<string, string | undefined>();

/**
 * Entries whose values have a shape a server parses (a date, a number, an address on the network, a code from
 * a standard): for these a plain word is an input the server is likely to reject though the schema says only
 * "a string". Free-text entries (names, tags, search terms, words) are left out: any word does, and the words
 * vary where the dictionary's one typical value would not.
 */
const SHAPED: ReadonlySet<string> = new Set([
  'ip',
  'host',
  'port',
  'mac',
  'age',
  'country_code',
  'latitude',
  'longitude',
  'timezone',
  'iban',
  'bic',
  'card',
  'isbn',
  'barcode',
  'uuid',
  'color',
  'media_type',
  'date',
  'time',
  'year',
  'month',
  'day',
  'weekday',
  'hour',
  'minute',
  'second',
  'duration',
  'epoch',
  'temperature',
  'measure',
  'percent',
  'money',
  'count',
  'page',
  'limit',
]);

/**
 * A typical text for an input called `name` whose schema says no more than "a string" (or nothing at all): the
 * first value of the {@link SHAPED} dictionary entry its head noun names (`date`, `created_at` → `2024-02-29`;
 * `timezone` → `UTC`), as text; a number is taken only when positive (the entries open with their edge
 * values, `0` for a page). Undefined when the name's best match is not at its end (`dateFormat` is a format,
 * not a date) or not a shaped entry (`phoneNumber` is a phone number, not a number).
 */
export function typicalDomainText(name: string): string | undefined {
  if (typicalCache.has(name)) return typicalCache.get(name);
  // The entry the head noun names (the best match, if it ends the name), when it is a shaped one.
  const best = computeMatches(name, undefined)[0];
  let text: string | undefined;
  if (best?.place === 2 && SHAPED.has(best.entry.id)) {
    const values = best.entry.values.map(([, value]) => value);
    const value = values.find((v) => typeof v === 'string' || (typeof v === 'number' && v > 0)) ?? values[0];
    text = typeof value === 'string' || typeof value === 'number' ? String(value) : undefined;
  }
  if (typicalCache.size >= MATCH_CACHE_LIMIT) typicalCache.clear();
  typicalCache.set(name, text);
  return text;
}

/**
 * Candidate domain classes for an input, best first (`domain_<entry>_<value>`), unchecked. Numbers are
 * offered as text to string inputs.
 */
export function domainCandidates(name: string, opts: { description?: string; type?: string }): InputClass[] {
  const out: InputClass[] = [];
  for (const entry of matchDomain(name, opts.description)) {
    for (const [key, raw] of entry.values) {
      const value = opts.type === 'string' && typeof raw === 'number' ? String(raw) : raw;
      out.push({
        key: `domain_${entry.id}_${key}`,
        label: `${entry.id.replace(/_/g, ' ')}: ${key.replace(/_/g, ' ')} ${show(value)}`,
        value,
      });
    }
  }
  return out;
}
