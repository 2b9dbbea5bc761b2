import { describe, expect, it } from 'vitest';
import { DOMAIN_DICTIONARY } from './domain-dictionary.ts';
import { domainCandidates, matchDomain, nameWords, typicalDomainText } from './domain-values.ts';
import { createRng } from './rng.ts';
import { synthesizeValid } from './synthesize.ts';

const ids = (name: string, description?: string): string[] => matchDomain(name, description).map((e) => e.id);

describe('nameWords', () => {
  it.each([
    ['startDate', ['start', 'date']],
    ['start_date', ['start', 'date']],
    ['date-from', ['date', 'from']],
    ['HTTPStatusCode', ['http', 'status', 'code']],
    ['user.emailAddress', ['user', 'email', 'address']],
    ['ipv4', ['ipv4']],
    ['X-Request-ID', ['x', 'request', 'id']],
  ])('%s', (name, words) => {
    expect(nameWords(name)).toEqual(words);
  });
});

describe('matchDomain', () => {
  it.each([
    ['startDate', 'date'],
    ['start_date', 'date'],
    ['date-from', 'date'],
    ['created_at', 'date'],
    ['birthday', 'date'],
    ['emailAddress', 'email'],
    ['billing_address', 'address'],
    ['postalCode', 'postcode'],
    ['zip', 'postcode'],
    ['countryCode', 'country_code'],
    ['country', 'country'],
    ['currency', 'currency'],
    ['locale', 'language'],
    ['firstName', 'first_name'],
    ['last_name', 'last_name'],
    ['userName', 'username'],
    ['fileName', 'file_name'],
    ['filePath', 'path'],
    ['phoneNumber', 'phone'],
    ['api_key', 'token'],
    ['per_page', 'limit'],
    ['isEnabled', 'yes_no'],
    ['sku', 'sku'],
    ['iban', 'iban'],
    ['latitude', 'latitude'],
    ['temperature', 'temperature'],
    ['q', 'search'],
    ['sortBy', 'sort'],
    ['pattern', 'pattern'],
  ])('%s → %s first', (name, id) => {
    expect(ids(name)[0]).toBe(id);
  });

  it('the head noun wins: the last word of the name decides first', () => {
    expect(ids('dateFormat')).toContain('date');
    expect(ids('nameLength')[0]).toBe('measure');
    expect(ids('emailAddress')).toEqual(expect.arrayContaining(['email', 'address']));
  });

  it('descriptions select entries by phrase when the name says nothing', () => {
    expect(ids('value', 'An ISO 4217 code, e.g. USD.')).toEqual(['currency']);
    expect(ids('v', 'The postal code of the shipping address')).toContain('postcode');
    expect(ids('contact', 'Their e-mail address.')).toContain('email');
    expect(ids('msisdn_or_other', 'A phone number in E.164 form.')).toContain('phone');
    expect(ids('value')).toEqual([]);
  });

  it('matches nothing for names it does not know', () => {
    expect(ids('frobnicate')).toEqual([]);
    expect(ids('a')).toEqual([]);
  });
});

describe('domainCandidates', () => {
  it('keys name the entry and the value; numbers become text for strings', () => {
    const dates = domainCandidates('due', { type: 'string' });
    expect(dates.slice(0, 6).map((c) => c.key)).toEqual([
      'domain_date_iso',
      'domain_date_iso_datetime',
      'domain_date_rfc2822',
      'domain_date_dmy',
      'domain_date_mdy',
      'domain_date_unix',
    ]);
    expect(dates.map((c) => c.value)).toEqual(
      expect.arrayContaining([
        '2024-02-29',
        'Thu, 29 Feb 2024 13:45:00 +0000',
        '29/02/2024',
        '02-29-2024',
        '1709214300',
      ]),
    );
    expect(
      domainCandidates('due', { type: 'integer' }).find((c) => c.key === 'domain_date_unix')?.value,
    ).toBe(1709214300);
  });

  it('the dictionary is broad: people, places, contact, codes, dates, files, units, yes/no, numbers as words', () => {
    const all = new Set(DOMAIN_DICTIONARY.map((e) => e.id));
    for (const id of [
      'name',
      'city',
      'email',
      'phone',
      'address',
      'postcode',
      'country_code',
      'currency',
      'language',
      'iban',
      'sku',
      'uuid',
      'date',
      'path',
      'file_name',
      'unit',
      'count',
      'yes_no',
      'number_words',
    ])
      expect(all, id).toContain(id);
    const keys = DOMAIN_DICTIONARY.flatMap((e) => e.values.map(([k]) => `${e.id}_${k}`));
    expect(new Set(keys).size).toBe(keys.length);
  });
});

describe('typicalDomainText', () => {
  it.each([
    ['date', '2024-02-29'],
    ['created_at', '2024-02-29'],
    ['startDate', '2024-02-29'],
    ['timezone', 'UTC'],
    ['year', '2024'],
    ['page', '1'],
    ['amount', '0.01'],
    ['clientIp', '192.0.2.1'],
  ])('%s → %s (the head noun names a shaped entry: its first ordinary value, as text)', (name, text) => {
    expect(typicalDomainText(name)).toBe(text);
  });

  it.each(['dateFormat', 'tag', 'title', 'status', 'number', 'query', 'city', 'phoneNumber', 'searchTerm'])(
    '%s → none (not at the head, free text, or not known: a plain word does)',
    (name) => {
      expect(typicalDomainText(name)).toBeUndefined();
    },
  );

  it('gives valid values their shape where the schema is silent, and leaves declared shapes and free text alone', () => {
    const value = synthesizeValid(
      {
        type: 'object',
        // `date` is required but declared nowhere (Codat's bank transactions): any value is valid, a date is likely.
        required: ['date', 'due', 'stamp', 'tag'],
        properties: {
          due: { type: 'string' },
          stamp: { type: 'string', format: 'date-time' },
          tag: { type: 'string' },
          updatedAt: { type: 'string', pattern: '^[0-9]{8}$' },
        },
      },
      { schemas: {}, rng: createRng(1), view: 'request' },
    ) as Record<string, unknown>;
    expect(value.date).toBe('2024-02-29');
    expect(value.due).toBe('2024-02-29');
    expect(value.stamp).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    expect(typeof value.tag).toBe('string');
    expect(value.tag).not.toBe('2024-02-29');
    if (value.updatedAt !== undefined) expect(value.updatedAt).toMatch(/^[0-9]{8}$/);
  });
});
