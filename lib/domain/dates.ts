// Calendar arithmetic in a time zone with nothing but Intl: a quotation is valid "until the end
// of the day, in the company's time zone, N days after submission".

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

/** "2026-12-10 23:59 (Europe/Berlin)": an instant as people in that zone read it. */
export function formatInZone(instant: Date, timeZone: string): string {
  const p = partsIn(timeZone, instant);
  return `${dateIn(timeZone, instant)} ${String(p.hour).padStart(2, "0")}:${String(p.minute).padStart(2, "0")} (${timeZone})`;
}
