// Reading and writing the catalogue's query string (?q=&category=&inStock=1&sort=&page=).
// Pure: no I/O, so pages and tests share one definition of what a valid parameter is.
import { catalogSorts, type CatalogSort } from "@/db/queries/catalog";

export type CatalogSearchParams = Record<string, string | string[] | undefined>;

export type CatalogQuery = {
  q?: string;
  category?: string;
  inStock: boolean;
  sort?: CatalogSort;
  page: number;
};

const MAX_TEXT = 200;

function first(sp: CatalogSearchParams, name: string): string | undefined {
  const raw = sp[name];
  const value = (Array.isArray(raw) ? raw[0] : raw)?.trim();
  return value ? value : undefined;
}

function isSort(value: string | undefined): value is CatalogSort {
  return value !== undefined && (catalogSorts as readonly string[]).includes(value);
}

/** Unknown sorts are ignored, not errors: old or hand-edited links still show the catalogue. */
export function parseCatalogParams(sp: CatalogSearchParams): CatalogQuery {
  const q = first(sp, "q")?.slice(0, MAX_TEXT).trim();
  const category = first(sp, "category")?.slice(0, MAX_TEXT);
  const inStock = ["1", "true", "on"].includes(first(sp, "inStock") ?? "");
  const sort = first(sp, "sort");
  // Nine digits at most keeps the SQL offset far inside the safe integer range.
  const pageText = first(sp, "page");
  const page = pageText && /^\d{1,9}$/.test(pageText) ? Math.max(1, Number(pageText)) : 1;
  return {
    q: q || undefined,
    category,
    inStock,
    sort: isSort(sort) ? sort : undefined,
    page,
  };
}

/**
 * A catalogue link: `extra` first (e.g. the staff preview's company), then the search with
 * `overrides` applied. Empty values and page 1 are left out so equal searches have equal URLs.
 */
export function catalogHref(
  basePath: string,
  params: Partial<CatalogQuery>,
  overrides: Partial<CatalogQuery> = {},
  extra: Record<string, string> = {},
): string {
  const merged = { ...params, ...overrides };
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(extra)) if (value) query.set(key, value);
  if (merged.q) query.set("q", merged.q);
  if (merged.category) query.set("category", merged.category);
  if (merged.inStock) query.set("inStock", "1");
  if (merged.sort) query.set("sort", merged.sort);
  if (merged.page && merged.page > 1) query.set("page", String(merged.page));
  const qs = query.toString();
  return qs ? `${basePath}?${qs}` : basePath;
}
