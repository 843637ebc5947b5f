// Calendar arithmetic in a time zone with nothing but Intl: a quotation is valid "until the end
// of the day, in the company's time zone, N days after submission".
//
// Display rule: an instant is always shown in the viewer's zone and the zone is named next to it
// (or in the table header above it), so a customer and the seller talking about one order never
// misread each other's "14:05". Calendar dates (due date, paid-on, price-list validity) are plain
// yyyy-mm-dd strings and are shown as they are: they are no instants, shifting them would change the day.

import { isCustomerRole, type Role } from "./roles";

// A formatter costs ~0.1 ms to build; submitting an order asks for dates five times.
const formatters = new Map<string, Intl.DateTimeFormat>();

function partsIn(timeZone: string, instant: Date) {
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    formatters.set(timeZone, format);
  }
  const parts = format.formatToParts(instant);
  const get = (t: string) => Number(parts.find((p) => p.type === t)?.value);
  return { year: get("year"), month: get("month"), day: get("day"), hour: get("hour"), minute: get("minute"), second: get("second") };
}

/** The zone's offset from UTC at an instant, in milliseconds (Berlin in summer: +2 h). */
export function zoneOffsetMs(timeZone: string, instant: Date): number {
  const p = partsIn(timeZone, instant);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return asUtc - Math.floor(instant.getTime() / 1000) * 1000;
}

/** The calendar date (yyyy-mm-dd) of an instant in a zone. */
export function dateIn(timeZone: string, instant: Date): string {
  const p = partsIn(timeZone, instant);
  return `${p.year}-${String(p.month).padStart(2, "0")}-${String(p.day).padStart(2, "0")}`;
}

/**
 * True for a yyyy-mm-dd string naming a day that exists (years 0001–9999): "2026-02-30", month 00 or 13,
 * day 00 and year 0000 are refused here, so they never reach PostgreSQL (which rejects them with an error).
 */
export function isCalendarDate(text: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (y < 1 || mo < 1 || mo > 12 || d < 1) return false;
  // Day 0 of the next month is the last day of this one; setUTCFullYear keeps years below 100 as they are.
  const last = new Date(0);
  last.setUTCFullYear(y, mo, 0);
  return d <= last.getUTCDate();
}

export function addDays(isoDate: string, days: number): string {
  const [y, m, d] = isoDate.split("-").map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

/** The UTC instant at which a local wall-clock time happens in the zone. */
export function zonedTimeToUtc(isoDate: string, time: { hour: number; minute: number; second: number; ms?: number }, timeZone: string): Date {
  const [y, m, d] = isoDate.split("-").map(Number) as [number, number, number];
  const wall = Date.UTC(y, m - 1, d, time.hour, time.minute, time.second, time.ms ?? 0);
  // Two passes settle the offset also next to a daylight-saving change.
  let guess = wall - zoneOffsetMs(timeZone, new Date(wall));
  guess = wall - zoneOffsetMs(timeZone, new Date(guess));
  return new Date(guess);
}

/** The last millisecond of the day `days` days after `from`, on the zone's calendar. */
export function endOfDayAfter(from: Date, days: number, timeZone: string): Date {
  const nextMidnight = zonedTimeToUtc(addDays(dateIn(timeZone, from), days + 1), { hour: 0, minute: 0, second: 0 }, timeZone);
  return new Date(nextMidnight.getTime() - 1);
}

/**
 * The zone a viewer reads times in: customers their company's, staff the seller's (one zone for
 * everyone inside the seller, whichever customer's record they look at).
 */
export function viewerTimeZone(viewer: { role: Role }, zones: { company: string | null | undefined; seller: string }): string {
  return isCustomerRole(viewer.role) && zones.company ? zones.company : zones.seller;
}

type TimeOptions = { seconds?: boolean };

/** "2026-12-10 23:59" (or "23:59:59"): the wall-clock time in the zone, for a cell under a header naming the zone. */
export function formatLocalDateTime(instant: Date, timeZone: string, options: TimeOptions = {}): string {
  const p = partsIn(timeZone, instant);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${dateIn(timeZone, instant)} ${pad(p.hour)}:${pad(p.minute)}${options.seconds ? `:${pad(p.second)}` : ""}`;
}

/** "2026-12-10 23:59 (Europe/Berlin)": an instant as people in that zone read it, the zone named. */
export function formatInZone(instant: Date, timeZone: string, options: TimeOptions = {}): string {
  return `${formatLocalDateTime(instant, timeZone, options)} ${zoneLabel(timeZone)}`;
}

/** "(Europe/Berlin)": the zone as named next to a time or in a column header. */
export function zoneLabel(timeZone: string): string {
  return `(${timeZone})`;
}

/** The earlier of two yyyy-mm-dd dates. */
export function earlierDate(a: string, b: string): string {
  return a <= b ? a : b;
}
