/** Date parsing and arithmetic: notations, leap years, month lengths, differences and sums of dates. */
import type { Server } from 'node:http';
import { join } from 'node:path';
import { createSubjectServer } from '../common/subject-server.ts';
import { type CivilDate, civil, dayNumber, daysIn, formatDate, isLeapYear, weekday } from './calendar.ts';
import { parseDate } from './parse.ts';

function isoDate(text: string): CivilDate {
  const [year, month, day] = text.split('-').map(Number) as [number, number, number];
  return { year, month, day };
}

/** Whole months from `a` to `b`, counted as a calendar does (Jan 31 → Feb 28 is not a whole month). */
function monthsBetween(a: CivilDate, b: CivilDate): number {
  let months = (b.year - a.year) * 12 + (b.month - a.month);
  if (months > 0 && b.day < a.day) {
    months--;
  } else if (months < 0 && b.day > a.day) {
    months++;
  }
  return months;
}

function difference(from: CivilDate, to: CivilDate, unit: string): number {
  const days = dayNumber(to) - dayNumber(from);
  switch (unit) {
    case 'weeks':
      return Math.trunc(days / 7);
    case 'months':
      return monthsBetween(from, to);
    case 'years':
      return Math.trunc(monthsBetween(from, to) / 12);
    default:
      return days;
  }
}

export function createSubject(): Server {
  return createSubjectServer(join(import.meta.dirname, 'openapi.yaml'), {
    parseDate: ({ query }) => {
      const parsed = parseDate(query.value as string);
      if (!parsed.valid) {
        return { valid: false, reason: parsed.reason };
      }
      const { date } = parsed;
      // Unix seconds can name years the `date` format cannot show.
      if (date.year < 0 || date.year > 9999) {
        return { valid: false, reason: `year ${date.year} is outside 0000-9999` };
      }
      return {
        valid: true,
        notation: parsed.notation,
        date: formatDate(date),
        weekday: weekday(date),
        leapYear: isLeapYear(date.year),
      };
    },
    daysInMonth: ({ query }) => {
      const year = query.year as number;
      return { days: daysIn(year, query.month as number), leapYear: isLeapYear(year) };
    },
    dateDifference: ({ query }) => {
      const from = isoDate(query.from as string);
      const to = isoDate(query.to as string);
      const unit = (query.unit as string | undefined) ?? 'days';
      const value = difference(from, to, unit);
      const days = dayNumber(to) - dayNumber(from);
      return { value, unit, direction: days > 0 ? 'forward' : days < 0 ? 'backward' : 'same' };
    },
    addDays: ({ query }) => {
      const start = isoDate(query.date as string);
      const end = civil(dayNumber(start) + (query.days as number));
      return {
        date: formatDate(end),
        crossedMonth: end.year !== start.year || end.month !== start.month,
        crossedYear: end.year !== start.year,
      };
    },
  });
}
