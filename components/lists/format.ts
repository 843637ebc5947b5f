// Display formats for list and detail pages. Times are not here: they are shown in the viewer's
// zone with components/lists/date-time.tsx (formatters in lib/domain/dates.ts).

const integer = new Intl.NumberFormat("en-GB");

export function formatCount(n: number): string {
  return integer.format(n);
}
