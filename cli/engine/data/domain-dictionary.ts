/**
 * The built-in dictionary of domain values: for kinds of input recognised by name (dates, e-mail addresses,
 * postcodes, currency codes, file names…), the values a real client sends and a real parser branches on.
 * Broad rather than tuned to one API; every value is checked against the input's schema before use.
 * Numbers are also offered as their decimal text to string inputs (`year: "2024"`).
 */

/** One kind of input. */
export interface DomainEntry {
  /** Key fragment: entry `date` and value `iso` give the class key `domain_date_iso`. */
  id: string;
  /** Names that select the entry, as lower-case words (`postal code` matches `postalCode`, `postal_code`). */
  names: readonly string[];
  /** Phrases that select the entry when they appear in the input's description (lower case, whole words). */
  phrases: readonly string[];
  /** Values in order of preference: [value key, value]. */
  values: ReadonlyArray<readonly [string, unknown]>;
}

type Values = ReadonlyArray<readonly [string, unknown]>;

const entry = (id: string, names: string, values: Values, phrases = ''): DomainEntry => ({
  id,
  names: names.split(',').map((n) => n.trim()),
  phrases: phrases === '' ? [] : phrases.split(',').map((p) => p.trim()),
  values,
});

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

const DATE_VALUES: Values = [
  ['iso', '2024-02-29'],
  ['iso_datetime', '2024-02-29T13:45:00Z'],
  ['rfc2822', 'Thu, 29 Feb 2024 13:45:00 +0000'],
  ['dmy', '29/02/2024'],
  ['mdy', '02-29-2024'],
  ['unix', 1709214300],
  // Well-formed but not a day of the calendar: the checks a date parser has for them are branches too.
  ['not_leap', '2023-02-29'],
  ['year_end', '2023-12-31'],
  ['april_31', '2024-04-31'],
  ['month_13', '2024-13-01'],
  ['millennium', '1999-12-31T23:59:59.999Z'],
  ['century', '2100-02-28'],
  ['old', '1900-01-01'],
  ['unix_ms', 1709214300000],
  ['long_form', 'February 29, 2024'],
];

const TIMES: DomainEntry[] = [
  entry(
    'date',
    'date, dob, birthday, birthdate, birth date, deadline, due, expiry, expires, expiration, created, ' +
      'updated, modified, since, until, timestamp, datetime, date time, at, published, issued',
    DATE_VALUES,
    'iso 8601, rfc 3339, rfc 2822, yyyy-mm-dd, dd/mm/yyyy, mm-dd-yyyy, unix timestamp',
  ),
  entry('time', 'time, clock, time of day', [
    ['hm', '00:00'],
    ['hm_last', '23:59'],
    ['hms', '12:30:45'],
    ['twelve_hour', '9:05 PM'],
    ['hour_24', '24:00'],
  ]),
  entry('year', 'year, yr, yyyy', [
    ['leap', 2024],
    ['common', 2023],
    ['leap_century', 2000],
    ['century', 1900],
    ['future_century', 2100],
    ['epoch', 1970],
  ]),
  entry('month', 'month, mm, mon', [
    ['january', 1],
    ['february', 2],
    ['december', 12],
    ['name', 'January'],
    ['abbreviation', 'feb'],
  ]),
  entry('day', 'day, dd, day of month, dom', [
    ['first', 1],
    ['feb_end', 28],
    ['leap_day', 29],
    ['thirtieth', 30],
    ['last', 31],
  ]),
  entry('weekday', 'weekday, day of week, dow, week day', [
    ['monday', 'Monday'],
    ['abbreviation', 'sun'],
    ['zero', 0],
    ['seventh', 7],
  ]),
  entry('hour', 'hour, hours, hh', [
    ['midnight', 0],
    ['noon', 12],
    ['last', 23],
  ]),
  entry('minute', 'minute, minutes', [
    ['zero', 0],
    ['last', 59],
  ]),
  entry('second', 'second, seconds, sec, secs', [
    ['zero', 0],
    ['last', 59],
  ]),
  entry('duration', 'duration, timeout, ttl, interval, delay, elapsed, period, wait', [
    ['zero', 0],
    ['one', 1],
    ['half_minute', 30],
    ['hour', 3600],
    ['day', 86400],
    ['iso', 'PT30S'],
    ['compact', '1h30m'],
  ]),
  entry('epoch', 'epoch, unix, unixtime, unix time, unix timestamp', [
    ['zero', 0],
    ['leap_day', 1709214300],
    ['y2038', 2147483647],
    ['y2100', 4102444800],
  ]),
];

const FILES: DomainEntry[] = [
  entry('path', 'path, dir, directory, folder, filepath, file path', [
    ['root', '/'],
    ['absolute', '/usr/local/bin'],
    ['relative', 'docs/readme.md'],
    ['windows', 'C:\\Users\\Public'],
    ['dot_dot', 'a/b/../c'],
    ['home', '~/notes.txt'],
  ]),
  entry('file_name', 'filename, file name, file, attachment, document', [
    ['pdf', 'report.pdf'],
    ['double_extension', 'archive.tar.gz'],
    ['dotfile', '.env'],
    ['spaces', 'my file (1).txt'],
    ['accented', 'résumé.docx'],
    ['no_extension', 'README'],
  ]),
  entry('extension', 'extension, ext, suffix, file type', [
    ['plain', 'pdf'],
    ['dotted', '.txt'],
    ['double', 'tar.gz'],
    ['upper', 'JPG'],
  ]),
];

const QUANTITIES: DomainEntry[] = [
  entry('unit', 'unit, units, uom, unit of measure', [
    ['mass', 'kg'],
    ['length', 'm'],
    ['time', 's'],
    ['degree', '°C'],
    ['speed', 'km/h'],
    ['percent', '%'],
  ]),
  entry('temperature', 'temperature, temp, celsius, fahrenheit, kelvin', [
    ['freezing', 0],
    ['body', 37],
    ['boiling', 100],
    ['crossover', -40],
    ['absolute_zero', -273.15],
  ]),
  entry('measure', 'weight, mass, height, length, width, depth, distance, radius, diameter, area, volume', [
    ['unit', 1],
    ['tenth', 0.1],
    ['person_height', 1.75],
    ['person_weight', 70.5],
    ['thousand', 1000],
  ]),
  entry('percent', 'percent, percentage, pct, ratio, rate, discount, probability, share', [
    ['zero', 0],
    ['half', 50],
    ['full', 100],
    ['fraction', 0.5],
    ['odd', 12.5],
  ]),
  entry('money', 'amount, price, cost, total, balance, fee, salary, subtotal, tax, tip', [
    ['zero', 0],
    ['cent', 0.01],
    ['everyday', 9.99],
    ['whole', 20],
    ['million', 1_000_000],
    ['text', '19.99'],
    ['formatted', '$1,000.00'],
  ]),
  entry('count', 'quantity, qty, count, number of, items, n, num, size, capacity', [
    ['zero', 0],
    ['one', 1],
    ['two', 2],
    ['ten', 10],
    ['many', 1000],
    ['with_unit', '5 kg'],
  ]),
  entry('page', 'page, offset, skip, page number', [
    ['zero', 0],
    ['one', 1],
    ['two', 2],
    ['far', 100],
  ]),
  entry('limit', 'limit, per page, perpage, page size, pagesize, max results, top, max', [
    ['one', 1],
    ['ten', 10],
    ['fifty', 50],
    ['hundred', 100],
  ]),
];

const WORDS: DomainEntry[] = [
  entry(
    'yes_no',
    'enabled, active, confirm, confirmed, accept, accepted, agree, consent, answer, flag, toggle, visible, ' +
      'hidden, verified, allow, allowed, opt in, subscribe, subscribed, bool, boolean',
    [
      ['yes', 'yes'],
      ['no', 'no'],
      ['true', 'true'],
      ['false', 'false'],
      ['on', 'on'],
      ['off', 'off'],
      ['y', 'Y'],
      ['n', 'N'],
      ['one', '1'],
      ['zero', '0'],
    ],
    'yes or no, true or false, on or off',
  ),
  entry('number_words', 'number, numeral, num, digits, figure, in words', [
    ['zero', 'zero'],
    ['one', 'one'],
    ['compound', 'forty-two'],
    ['hundred', 'one hundred'],
    ['grouped', '1,000'],
    ['decimal', '3.14'],
    ['negative', '-7'],
    ['exponent', '1e3'],
    ['hex', '0x1F'],
  ]),
  entry('search', 'q, query, search, keyword, keywords, term, filter, search term', [
    ['word', 'foo'],
    ['two_words', 'a b'],
    ['wildcard', '*'],
    ['phrase', '"exact phrase"'],
    ['symbols', 'C++'],
    ['non_ascii', 'ü'],
  ]),
  entry('sort', 'sort, order, order by, sort by, orderby, sortby, direction', [
    ['asc', 'asc'],
    ['desc', 'desc'],
    ['field', 'name'],
    ['descending_field', '-created_at'],
    ['field_direction', 'name:asc'],
  ]),
  entry('pattern', 'pattern, regex, regexp, glob, wildcard, mask, matcher', [
    ['star', 'a*'],
    ['anchored', '^a.*z$'],
    ['glob', '*.txt'],
    ['question', '?'],
    ['alternation', 'a|b'],
    ['class', '[abc]'],
  ]),
  entry(
    'text',
    'text, word, words, string, phrase, sentence, message, comment, content, body, description, note, ' +
      'notes, input, title, subject, caption, summary',
    [
      ['word', 'hello'],
      ['punctuated', 'Hello, World!'],
      ['palindrome', 'racecar'],
      ['pangram', 'The quick brown fox jumps over the lazy dog'],
      ['accented', 'naïve café'],
      ['blank', '   '],
      ['multiline', 'line one\nline two'],
    ],
  ),
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
