/**
 * The second half of the domain dictionary: dates and times in several notations, paths and file names,
 * units and quantities, and words (yes/no, numbers written out, search terms, sort orders, patterns, text).
 */
import { type DomainEntry, entry, type Values } from './domain-entry.ts';

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

export const TIMES: DomainEntry[] = [
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

export const FILES: DomainEntry[] = [
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

export const QUANTITIES: DomainEntry[] = [
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

export const WORDS: DomainEntry[] = [
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
