/** Dates for people: "1 January 2027", "in 26 days". Billing periods are UTC, so are these. */

const DAY_MS = 24 * 60 * 60 * 1000;
const LONG_DATE = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  timeZone: 'UTC',
});

/** Whole UTC calendar days from `now` to `date` (negative when past). */
function calendarDaysUntil(date: Date, now: Date): number {
  const day = (value: Date) => Date.UTC(value.getUTCFullYear(), value.getUTCMonth(), value.getUTCDate());
  return Math.round((day(date) - day(now)) / DAY_MS);
}

/** "resets on 1 January 2027 (in 26 days)" for a period ending (exclusive) at `periodEnd`. */
export function describeReset(periodEnd: Date | string, now: Date = new Date()): string {
  const end = new Date(periodEnd);
  const days = calendarDaysUntil(end, now);
  const when = days <= 0 ? 'today' : days === 1 ? 'tomorrow' : `in ${days} days`;
  return `resets on ${LONG_DATE.format(end)} (${when})`;
}
