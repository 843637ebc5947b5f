import { formatInZone, formatLocalDateTime, zoneLabel } from "@/lib/domain/dates";

/**
 * An instant as the viewer reads it (zone from lib/time-zone.ts getViewerTimeZone), inside a
 * <time> carrying the exact instant. The zone is named after the time; in a table cell pass
 * `zone={false}` and name it once in the column header with `zonedHeader`.
 */
export function DateTime({
  value,
  timeZone,
  zone = true,
  seconds = false,
  empty = "—",
  testId,
}: {
  value: Date | null | undefined;
  timeZone: string;
  zone?: boolean;
  seconds?: boolean;
  empty?: string;
  testId?: string;
}) {
  if (!value) return <>{empty}</>;
  return (
    <time dateTime={value.toISOString()} data-testid={testId}>
      {zone ? formatInZone(value, timeZone, { seconds }) : formatLocalDateTime(value, timeZone, { seconds })}
    </time>
  );
}

/** "Updated (Europe/Berlin)": a column header naming the zone of the times under it. */
export function zonedHeader(label: string, timeZone: string): string {
  return `${label} ${zoneLabel(timeZone)}`;
}
