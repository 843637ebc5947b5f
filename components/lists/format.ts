// Display formats for list and detail pages. Staff see times in UTC so that everyone
// reading the same record (and the audit trail) talks about the same moment.

const dateTime = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });
const integer = new Intl.NumberFormat("en-GB");

export function formatDateTime(value: Date | null | undefined, empty = "Never"): string {
  return value ? `${dateTime.format(value)} UTC` : empty;
}

/** ISO 8601 in UTC to the second, e.g. 2026-03-01T09:30:00Z. */
export function isoUtc(value: Date): string {
  return `${value.toISOString().slice(0, 19)}Z`;
}

export function formatCount(n: number): string {
  return integer.format(n);
}
