// Helpers for reading a page's searchParams (a Promise of this shape in Next 16).

export type SearchParams = Record<string, string | string[] | undefined>;

/** The first value of a query parameter, trimmed; undefined when absent or empty. */
export function param(params: SearchParams, name: string, maxLength = 200): string | undefined {
  const raw = params[name];
  const value = (Array.isArray(raw) ? raw[0] : raw)?.trim();
  return value ? value.slice(0, maxLength) : undefined;
}

/** A 1-based page number; anything that is not a positive integer counts as page 1. */
export function pageParam(params: SearchParams, name = "page"): number {
  const value = param(params, name, 10);
  const n = value && /^\d+$/.test(value) ? Number(value) : 1;
  return Number.isSafeInteger(n) && n >= 1 ? n : 1;
}

/** `path?query` with the given parameters (empty values dropped), e.g. for pagination links. */
export function hrefWith(path: string, params: Record<string, string | number | undefined>): string {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== "") query.set(key, String(value));
  }
  const qs = query.toString();
  return qs ? `${path}?${qs}` : path;
}
