// Calendar periods for dashboards and reports: months and day ranges on the seller's calendar, as
// yyyy-mm-dd strings (inclusive at both ends). Pure; the ledger turns them into SQL bounds.
import { addDays, isCalendarDate, zonedTimeToUtc } from "./dates";

/** Inclusive seller-calendar dates. */
export type Period = { from: string; to: string };

/** The month (yyyy-mm) a date falls in. */
export function monthOf(date: string): string {
  return date.slice(0, 7);
}

export function addMonths(month: string, n: number): string {
  const [y, m] = month.split("-").map(Number) as [number, number];
  const index = y * 12 + (m - 1) + n;
  return `${String(Math.floor(index / 12)).padStart(4, "0")}-${String((index % 12) + 1).padStart(2, "0")}`;
}

export function previousMonth(month: string): string {
  return addMonths(month, -1);
}

/** First to last day of a month. */
export function monthPeriod(month: string): Period {
  const from = `${month}-01`;
  return { from, to: addDays(`${addMonths(month, 1)}-01`, -1) };
}

/** The last `n` months up to and including the month of `today`, oldest first. */
export function lastMonths(today: string, n: number): string[] {
  const current = monthOf(today);
  return Array.from({ length: n }, (_, i) => addMonths(current, i - (n - 1)));
}

/** The months a period touches, oldest first. */
export function monthsOf(period: Period): string[] {
  const months: string[] = [];
  for (let m = monthOf(period.from); m <= monthOf(period.to); m = addMonths(m, 1)) months.push(m);
  return months;
}

/** The `days` days ending with `today` (today included). */
export function rangeOfDays(today: string, days: number): Period {
  return { from: addDays(today, -(days - 1)), to: today };
}

/** Whole days from one date to another (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(to) - Date.parse(from)) / 86_400_000);
}

export const MAX_PERIOD_DAYS = 5 * 366;

/**
 * The calendar years a period may touch. Dates beyond 9999 have no yyyy-mm-dd form: the day after
 * 9999-12-31 makes periodInstants throw (RangeError, a 500 on report pages and the order list's
 * ?booked=9999-12), so such input is refused like any other malformed date.
 */
export const PERIOD_YEARS = { min: 1900, max: 2999 } as const;

function inPeriodYears(date: string): boolean {
  const year = Number(date.slice(0, 4));
  return year >= PERIOD_YEARS.min && year <= PERIOD_YEARS.max;
}

export type PeriodProblem = { field: "from" | "to"; message: string };

/**
 * A period from query parameters (`from`, `to`), each optional: a missing end takes the fallback's.
 * Problems name the field; the caller shows them next to it and uses the fallback meanwhile.
 */
export function parsePeriod(params: { from?: string | null; to?: string | null }, fallback: Period): { period: Period; problems: PeriodProblem[] } {
  const problems: PeriodProblem[] = [];
  const pick = (field: "from" | "to"): string => {
    const raw = params[field]?.trim();
    if (!raw) return fallback[field];
    if (!isCalendarDate(raw)) {
      problems.push({ field, message: "Enter a date as YYYY-MM-DD." });
      return fallback[field];
    }
    if (!inPeriodYears(raw)) {
      problems.push({ field, message: `Enter a date between ${PERIOD_YEARS.min} and ${PERIOD_YEARS.max}.` });
      return fallback[field];
    }
    return raw;
  };
  const from = pick("from");
  const to = pick("to");
  if (problems.length) return { period: fallback, problems };
  if (from > to) return { period: fallback, problems: [{ field: "to", message: "The end date must not be before the start date." }] };
  if (daysBetween(from, to) >= MAX_PERIOD_DAYS) return { period: fallback, problems: [{ field: "from", message: "Choose a period of at most five years." }] };
  return { period: { from, to }, problems };
}

/** "Now" for a figure: the seller's calendar date, the instant, and the seller's zone. Figures never read the clock themselves. */
export type AnalyticsClock = { today: string; now: Date; timeZone: string };

/** The instants a period spans on a zone's calendar: [start, end), midnight to midnight. */
export function periodInstants(period: Period, timeZone: string): { start: Date; end: Date } {
  const midnight = { hour: 0, minute: 0, second: 0 };
  return { start: zonedTimeToUtc(period.from, midnight, timeZone), end: zonedTimeToUtc(addDays(period.to, 1), midnight, timeZone) };
}
