/**
 * The built-in dictionary of domain values: for kinds of input recognised by name (dates, e-mail addresses,
 * postcodes, currency codes, file names…), the values a real client sends and a real parser branches on.
 * Broad rather than tuned to one API; every value is checked against the input's schema before use.
 * Numbers are also offered as their decimal text to string inputs (`year: "2024"`). This file holds people,
 * places, contact data and codes; domain-dictionary-times.ts the rest.
 */
import { FILES, QUANTITIES, TIMES, WORDS } from './domain-dictionary-times.ts';
import { type DomainEntry, entry } from './domain-entry.ts';

export type { DomainEntry } from './domain-entry.ts';

const PEOPLE: DomainEntry[] = [
  entry('first_name', 'first name, firstname, given name, forename', [
    ['ascii', 'Ada'],
    ['accented', 'José'],
    ['diaeresis', 'Zoë'],
    ['hyphenated', 'Anne-Marie'],
    ['cjk', '太郎'],
  ]),
  entry('last_name', 'last name, lastname, surname, family name', [
    ['apostrophe', "O'Brien"],
    ['vietnamese', 'Nguyễn'],
    ['particle', 'van der Berg'],
    ['hyphenated', 'Smith-Jones'],
    ['umlaut', 'Müller'],
  ]),
  entry('name', 'name, full name, fullname, display name, author, owner, customer, person, contact', [
    ['full', 'Ada Lovelace'],
    ['apostrophe', "Seán O'Brien"],
    ['product', 'Widget 3000'],
    ['ampersand', 'Smith & Sons'],
    ['cjk', '山田 太郎'],
    ['single_letter', 'X'],
  ]),
  entry('username', 'username, user name, login, handle, nickname, screen name', [
    ['plain', 'admin'],
    ['underscore', 'user_1'],
    ['dotted', 'ada.lovelace'],
    ['non_ascii', 'zoë'],
  ]),
  entry('password', 'password, passphrase, passwd, pwd', [
    ['symbols', 'P@ssw0rd!'],
    ['passphrase', 'correct horse battery staple'],
    ['non_ascii', 'pässwörd-42'],
    ['digits', '12345678'],
  ]),
  entry('age', 'age', [
    ['newborn', 0],
    ['minor', 17],
    ['adult', 18],
    ['senior', 65],
    ['very_old', 120],
  ]),
];

const PLACES: DomainEntry[] = [
  entry('city', 'city, town, municipality, locality', [
    ['plain', 'London'],
    ['accented', 'São Paulo'],
    ['umlaut', 'Zürich'],
    ['two_words', 'New York'],
    ['apostrophe', "Xi'an"],
  ]),
  entry('country', 'country, nation', [
    ['plain', 'Norway'],
    ['two_words', 'United States'],
    ['accented', "Côte d'Ivoire"],
  ]),
  entry(
    'country_code',
    'country code, countrycode, country iso, iso country',
    [
      ['alpha2_us', 'US'],
      ['alpha2_de', 'DE'],
      ['alpha2_jp', 'JP'],
      ['alpha3', 'USA'],
      ['lower', 'gb'],
    ],
    'iso 3166, country code',
  ),
  entry('region', 'state, province, region, county, prefecture', [
    ['code', 'CA'],
    ['name', 'Bavaria'],
    ['accented', 'Île-de-France'],
  ]),
  entry('address', 'address, street, address line, line1, line 1, street address', [
    ['street', '221B Baker Street'],
    ['full', '1600 Amphitheatre Parkway, Mountain View, CA 94043'],
    ['flat', 'Flat 2, 10 Downing St.'],
    ['accented', "5 Rue de l'Église"],
  ]),
  entry(
    'postcode',
    'postcode, post code, postal code, postalcode, zip, zipcode, zip code, postal',
    [
      ['us', '94043'],
      ['uk', 'SW1A 1AA'],
      ['de', '10115'],
      ['ca', 'K1A 0B1'],
      ['pt', '1000-001'],
      ['leading_zero', '00501'],
    ],
    'postal code, zip code, postcode',
  ),
  entry('latitude', 'latitude, lat', [
    ['zero', 0],
    ['north', 51.5074],
    ['south', -33.8688],
    ['pole', 90],
    ['south_pole', -90],
  ]),
  entry('longitude', 'longitude, lng, lon', [
    ['zero', 0],
    ['west', -0.1278],
    ['east', 151.2093],
    ['antimeridian', 180],
    ['antimeridian_west', -180],
  ]),
  entry('timezone', 'timezone, time zone, tz, tzid', [
    ['utc', 'UTC'],
    ['europe', 'Europe/London'],
    ['america', 'America/New_York'],
    ['half_hour', 'Asia/Kolkata'],
    ['offset', '+05:30'],
  ]),
];

const CONTACT: DomainEntry[] = [
  entry(
    'email',
    'email, e mail, mail, email address, e mail address',
    [
      ['plain', 'user@example.com'],
      ['plus_tag', 'first.last+tag@example.co.uk'],
      ['upper', 'ADA@EXAMPLE.COM'],
    ],
    'email address, e-mail address',
  ),
  entry(
    'phone',
    'phone, telephone, tel, mobile, cell, fax, msisdn, phone number',
    [
      ['e164', '+14155552671'],
      ['us', '(415) 555-2671'],
      ['uk', '+44 20 7946 0958'],
      ['local', '555-0100'],
      ['jp', '+81-3-1234-5678'],
    ],
    'phone number, e.164',
  ),
  entry('url', 'url, uri, link, href, website, homepage, webhook, callback, redirect uri, endpoint', [
    ['https', 'https://example.com'],
    ['localhost', 'http://localhost:8080/path?q=1'],
    ['idn', 'https://例え.jp/パス'],
  ]),
  entry('host', 'host, hostname, domain, server, fqdn', [
    ['domain', 'example.com'],
    ['localhost', 'localhost'],
    ['subdomain', 'api.example.co.uk'],
    ['ip', '127.0.0.1'],
  ]),
  entry(
    'ip',
    'ip, ip address, ipv4, ipv6, ipaddr, remote addr, client ip',
    [
      ['v4', '192.0.2.1'],
      ['loopback', '127.0.0.1'],
      ['v6_loopback', '::1'],
      ['v6', '2001:db8::1'],
    ],
    'ip address',
  ),
  entry('port', 'port', [
    ['http', 80],
    ['https', 443],
    ['alt', 8080],
    ['lowest', 1],
    ['highest', 65535],
  ]),
  entry('mac', 'mac, mac address', [
    ['colons', '00:1A:2B:3C:4D:5E'],
    ['dashes', '00-1a-2b-3c-4d-5e'],
  ]),
];

const CODES: DomainEntry[] = [
  entry(
    'currency',
    'currency, currency code, ccy',
    [
      ['usd', 'USD'],
      ['eur', 'EUR'],
      ['jpy', 'JPY'],
      ['chf', 'CHF'],
      ['lower', 'gbp'],
    ],
    'iso 4217, currency code',
  ),
  entry(
    'language',
    'language, lang, locale, language code, hl, culture',
    [
      ['en', 'en'],
      ['en_us', 'en-US'],
      ['pt_br', 'pt-BR'],
      ['script', 'zh-Hans'],
      ['underscore', 'de_DE'],
    ],
    'iso 639, bcp 47, language tag',
  ),
  entry('iban', 'iban, account number, bank account', [
    ['de', 'DE89370400440532013000'],
    ['gb', 'GB82WEST12345698765432'],
    ['spaced', 'NO93 8601 1117 947'],
  ]),
  entry('bic', 'bic, swift, swift code, bic code', [
    ['eight', 'DEUTDEFF'],
    ['eleven', 'NWBKGB2LXXX'],
  ]),
  entry('card', 'card number, card, credit card, pan', [
    ['visa', '4111111111111111'],
    ['mastercard', '5500005555555559'],
    ['amex', '378282246310005'],
    ['spaced', '4111 1111 1111 1111'],
  ]),
  entry('sku', 'sku, product code, item code, article number, part number, model number', [
    ['dashed', 'SKU-12345'],
    ['variant', 'ABC-001-XL'],
    ['digits', '0001'],
  ]),
  entry('isbn', 'isbn', [
    ['isbn13', '978-3-16-148410-0'],
    ['isbn10', '0451450523'],
    ['isbn10_x', '080442957X'],
  ]),
  entry('barcode', 'ean, barcode, upc, gtin', [
    ['ean13', '4006381333931'],
    ['upc', '036000291452'],
  ]),
  entry('uuid', 'uuid, guid', [
    ['v4', '123e4567-e89b-42d3-a456-426614174000'],
    ['nil', '00000000-0000-0000-0000-000000000000'],
    ['upper', 'F47AC10B-58CC-4372-A567-0E02B2C3D479'],
  ]),
  entry('id', 'id, identifier, key, ref, reference', [
    ['one', 1],
    ['answer', 42],
    ['zero', 0],
    ['slug', 'abc-123'],
  ]),
  entry('tax_id', 'vat, vat number, tax id, tin, ein', [
    ['gb', 'GB123456789'],
    ['de', 'DE123456789'],
    ['us', '12-3456789'],
  ]),
  entry('hash', 'hash, sha, sha1, sha256, md5, checksum, digest, etag', [
    ['md5', 'd41d8cd98f00b204e9800998ecf8427e'],
    ['sha256', 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'],
  ]),
  entry('token', 'token, api key, apikey, access token, refresh token, jwt, nonce', [
    ['hex', 'tok_0123456789abcdef'],
    ['jwt', 'eyJhbGciOiJub25lIn0.eyJzdWIiOiIxIn0.'],
  ]),
  entry('version', 'version, semver, release, ver', [
    ['semver', '1.0.0'],
    ['prerelease', '2.10.3-beta.1'],
    ['prefixed', 'v1'],
    ['zero', '0.0.1'],
  ]),
  entry('color', 'color, colour', [
    ['hex', '#ff0000'],
    ['name', 'red'],
    ['short_hex', '#FFF'],
    ['rgb', 'rgb(0, 128, 255)'],
  ]),
  entry(
    'media_type',
    'mime, mime type, media type, mediatype, content type, mimetype',
    [
      ['json', 'application/json'],
      ['text', 'text/plain; charset=utf-8'],
      ['image', 'image/png'],
    ],
    'media type, mime type',
  ),
  entry('slug', 'slug, permalink', [
    ['words', 'hello-world'],
    ['single', 'a'],
    ['dated', 'post-2024-02-29'],
  ]),
  entry('tag', 'tag, tags, label, labels, category, categories, topic', [
    ['word', 'news'],
    ['symbols', 'c++'],
    ['non_ascii', 'zoë'],
    ['spaced', 'a b'],
  ]),
];

/** Every entry; earlier entries win ties. */
export const DOMAIN_DICTIONARY: readonly DomainEntry[] = [
  ...CONTACT,
  ...PEOPLE,
  ...PLACES,
  ...CODES,
  ...TIMES,
  ...FILES,
  ...QUANTITIES,
  ...WORDS,
];
