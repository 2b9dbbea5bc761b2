/** Parsing dates written in several notations, with a reason when the text is not a date. */
import { type CivilDate, civil, daysIn, isLeapYear, weekday } from './calendar.ts';

export type Notation = 'iso' | 'iso-datetime' | 'day-first' | 'month-first' | 'rfc2822' | 'unix';

export type Parsed = { valid: true; notation: Notation; date: CivilDate } | { valid: false; reason: string };

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

const ISO = /^(\d{4})-(\d{2})-(\d{2})$/;
const ISO_DATETIME =
  /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?([Zz]|[+-]\d{2}:\d{2})?$/;
const DAY_FIRST = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/;
const MONTH_FIRST = /^(\d{1,2})-(\d{1,2})-(\d{4})$/;
const RFC2822 =
  /^(?:([A-Za-z]{3}), )?(\d{1,2}) ([A-Za-z]{3}) (\d{4})(?: (\d{2}):(\d{2})(?::(\d{2}))? ([+-]\d{4}|GMT|UT|Z))?$/;
const UNIX = /^-?\d{1,11}$/;

function checked(notation: Notation, year: number, month: number, day: number): Parsed {
  if (month < 1 || month > 12) {
    return { valid: false, reason: `there is no month ${month}` };
  }
  if (day < 1) {
    return { valid: false, reason: 'days start at 1' };
  }
  if (day > daysIn(year, month)) {
    return {
      valid: false,
      reason:
        month === 2 && day === 29
          ? `${year} is not a leap year`
          : `month ${month} has only ${daysIn(year, month)} days`,
    };
  }
  return { valid: true, notation, date: { year, month, day } };
}

function checkTime(hour: number, minute: number, second: number): string | undefined {
  if (hour > 23) {
    return `there is no hour ${hour}`;
  }
  if (minute > 59) {
    return `there is no minute ${minute}`;
  }
  // 60 is a leap second.
  if (second > 60) {
    return `there is no second ${second}`;
  }
  return undefined;
}

function parseRfc2822(m: RegExpExecArray): Parsed {
  const [, dayName, day, monthName, year, hour, minute, second] = m;
  const month = MONTHS.indexOf((monthName as string).toLowerCase()) + 1;
  if (month === 0) {
    return { valid: false, reason: `unknown month name ${monthName}` };
  }
  if (hour !== undefined) {
    const wrong = checkTime(Number(hour), Number(minute), Number(second ?? 0));
    if (wrong) {
      return { valid: false, reason: wrong };
    }
  }
  const parsed = checked('rfc2822', Number(year), month, Number(day));
  if (!parsed.valid || dayName === undefined) {
    return parsed;
  }
  const index = DAYS.indexOf(dayName.toLowerCase());
  if (index < 0) {
    return { valid: false, reason: `unknown day name ${dayName}` };
  }
  if (weekday(parsed.date).slice(0, 3).toLowerCase() !== DAYS[index]) {
    return { valid: false, reason: `the date is not a ${dayName}` };
  }
  return parsed;
}

/** The date the text names, in the first notation that matches it. */
export function parseDate(text: string): Parsed {
  const value = text.trim();
  if (value === '') {
    return { valid: false, reason: 'empty' };
  }
  let m = ISO.exec(value);
  if (m) {
    return checked('iso', Number(m[1]), Number(m[2]), Number(m[3]));
  }
  m = ISO_DATETIME.exec(value);
  if (m) {
    const wrong = checkTime(Number(m[4]), Number(m[5]), Number(m[6] ?? 0));
    if (wrong) {
      return { valid: false, reason: wrong };
    }
    return checked('iso-datetime', Number(m[1]), Number(m[2]), Number(m[3]));
  }
  m = DAY_FIRST.exec(value);
  if (m) {
    return checked('day-first', Number(m[3]), Number(m[2]), Number(m[1]));
  }
  m = MONTH_FIRST.exec(value);
  if (m) {
    return checked('month-first', Number(m[3]), Number(m[1]), Number(m[2]));
  }
  m = RFC2822.exec(value);
  if (m) {
    return parseRfc2822(m);
  }
  if (UNIX.test(value)) {
    return { valid: true, notation: 'unix', date: civil(Math.floor(Number(value) / 86400)) };
  }
  if (/^\d+$/.test(value)) {
    return { valid: false, reason: 'too many digits for Unix seconds' };
  }
  return { valid: false, reason: 'no known notation' };
}

export { isLeapYear };
