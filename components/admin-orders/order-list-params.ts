// The order list's query parameters behind the sales dashboard's links. Anything malformed is
// ignored (the list shows unfiltered on that point), never an error page.

/** `expiring`: open quotations valid for at most this many more seller days, 1 to 90. */
export function expiringParam(raw: string | undefined): number | undefined {
  if (!raw || !/^\d{1,2}$/.test(raw)) return undefined;
  const n = Number(raw);
  return n >= 1 && n <= 90 ? n : undefined;
}

/** `booked`: a month (yyyy-mm, 2000 to 2999) whose booked orders to list; 9999-12 would make periodInstants throw (a 500). */
export function bookedParam(raw: string | undefined): string | undefined {
  return raw && /^\d{4}-(0[1-9]|1[0-2])$/.test(raw) && raw >= "2000-01" && raw <= "2999-12" ? raw : undefined;
}
