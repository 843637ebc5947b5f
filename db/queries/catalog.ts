import "server-only";
import { and, eq, inArray, isNull, sql, type SQL } from "drizzle-orm";
import { inventory, priceListAssignments, priceLists, products } from "@/db/schema";
import { queryRows, type DbOrTx } from "@/db/client";
import { statement } from "@/db/prepared";
import { isUuid } from "@/lib/domain/ids";
import { inAssortment, productInAssortment, productsTableInAssortment } from "@/db/queries/assortments";
import { availability, type Availability } from "@/lib/domain/catalog";
import { companyConversion } from "@/db/queries/exchange-rates";
import { activeList, resolveUnitPrice, type Conversion, type PriceListForPricing, type ProductForPricing, type ResolvedPrice, type Tier } from "@/lib/domain/pricing";

export const CATALOG_PAGE_SIZE = 24;
/**
 * A relevance search ranks at most this many matches. Ranking reads every candidate, so an
 * uncapped common word ("bolt" in 10,000 names) would cost time in proportion to the catalogue;
 * past this many the page says so and asks for a narrower search.
 */
export const CATALOG_RANKED_MATCHES = 500;
export const catalogSorts = ["relevance", "name", "price_asc", "price_desc", "sku"] as const;
export type CatalogSort = (typeof catalogSorts)[number];

export type CatalogParams = {
  q?: string;
  category?: string;
  inStock?: boolean;
  sort?: CatalogSort;
  page?: number;
  /** ISO date the prices are for (the company's "today"). */
  date: string;
  pageSize?: number;
};

export type CatalogRow = {
  id: string;
  sku: string;
  name: string;
  category: string;
  unit: string;
  taxRateBp: number;
  minOrderQuantity: number;
  orderMultiple: number;
  price: ResolvedPrice;
  stock: Availability;
  /** The product's image (/images/products/{imageId}-{width}.webp), or null. */
  imageId: string | null;
};

export type CatalogResult = {
  rows: CatalogRow[];
  hasNext: boolean;
  page: number;
  listName: string | null;
  /** Nothing matched the words as typed; the rows match the nearest words found in product names. */
  fuzzy: boolean;
  /** A relevance search matched more than CATALOG_RANKED_MATCHES products: only that many are listed. */
  capped: boolean;
};

/** The price lists assigned to a company (all of them; the pricing function picks the valid one). */
async function companyLists(db: DbOrTx, companyId: string | null) {
  if (!companyId) return [];
  return db
    .select({ id: priceLists.id, name: priceLists.name, currency: priceLists.currency, validFrom: priceLists.validFrom, validTo: priceLists.validTo })
    .from(priceLists)
    .innerJoin(priceListAssignments, eq(priceListAssignments.priceListId, priceLists.id))
    .where(eq(priceListAssignments.companyId, companyId));
}

type CompanyList = Awaited<ReturnType<typeof companyLists>>[number];

/** How a search's words select and rank products (`p` is the products row). */
type Match = {
  /** Every match: the whole search vector, or a SKU prefix. */
  any: SQL;
  /** The matches in the SKU or name (weight A of the search vector): a subset of `any`. */
  strong: SQL;
  rank: SQL;
};

/** A row count written into the SQL text, so a cached generic plan still knows its LIMIT and OFFSET. */
function int(n: number): SQL {
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`Not a row count: ${n}`);
  return sql.raw(String(n));
}

/** The words as typed: full text on sku/name/category/description (GIN) or a SKU prefix (btree). */
function exactMatch(q: string): Match {
  const tsQuery = sql`websearch_to_tsquery('english', ${q})`;
  // The prefix is a range, not LIKE $1: a prepared statement's generic plan cannot use an index
  // for LIKE with a parameter, but it can for a range.
  const prefix = q.toLowerCase();
  const prefixEnd = prefix.slice(0, -1) + String.fromCodePoint(prefix.codePointAt(prefix.length - 1)! + 1);
  const skuPrefix = sql`(lower(p.sku) ~>=~ ${prefix} and lower(p.sku) ~<~ ${prefixEnd})`;
  return {
    any: sql`(p.search_vector @@ ${tsQuery} or ${skuPrefix})`,
    // The same expression as the index products_search_a_idx.
    strong: sql`(ts_filter(p.search_vector, '{a}') @@ ${tsQuery} or ${skuPrefix})`,
    rank: sql`(ts_rank(p.search_vector, ${tsQuery}) + case when lower(p.sku) = ${prefix} then 10 else 0 end)`,
  };
}

/**
 * Typo tolerance: each search word (up to 8; stop words left out) is replaced by the up to three
 * most similar words that appear in product names (trigram similarity at least pg_trgm's 0.3,
 * looked up in the small catalog_words table, not in every product), then searched as full text:
 * every word must match one of its replacements, and the closest replacements rank first. Null
 * when a word has no similar word at all.
 */
async function typoMatch(db: DbOrTx, q: string): Promise<Match | null> {
  // Split like to_tsvector('simple'), which made the words in catalog_words: letters and digits.
  const tokens = [...new Set(q.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [])].slice(0, 8);
  if (tokens.length === 0) return null;
  // One subquery per word with the word as a constant: a lateral join over the words made
  // PostgreSQL scan the whole word table instead of using its trigram index.
  const rows = await queryRows<{ searchable: boolean; words: string[] }>(
    db,
    sql.join(
      tokens.map(
        (t) => sql`(select numnode(plainto_tsquery('english', ${t})) > 0 as searchable,
          array(select c.word from catalog_words c where c.word % ${t} group by c.word order by similarity(c.word, ${t}) desc, c.word limit 3) as words)`,
      ),
      sql` union all `,
    ),
  );
  const alternatives = rows.filter((r) => r.searchable).map((r) => r.words);
  if (alternatives.length === 0 || alternatives.some((words) => words.length === 0)) return null;
  const word = (w: string) => sql`plainto_tsquery('english', ${w})`;
  const combine = (parts: SQL[], op: "||" | "&&") => parts.reduce((a, b) => sql`(${a} ${sql.raw(op)} ${b})`);
  const tsQuery = combine(alternatives.map((words) => combine(words.map(word), "||")), "&&");
  const closest = combine(alternatives.map((words) => word(words[0]!)), "&&");
  return {
    any: sql`(p.search_vector @@ ${tsQuery})`,
    strong: sql`(ts_filter(p.search_vector, '{a}') @@ ${tsQuery})`,
    rank: sql`(ts_rank(p.search_vector, ${tsQuery}) + ts_rank(p.search_vector, ${closest}))`,
  };
}

/**
 * Whether anything matches at all, whatever the filters (decides exact or typo-tolerant per
 * search). Not `select 1 … limit 1`: with a LIMIT, PostgreSQL expected an early hit and scanned
 * the table for a word that matches nothing. A CTE is planned for all its rows (the GIN index)
 * and still read only as far as needed.
 */
async function anyMatch(db: DbOrTx, companyId: string | null, match: Match): Promise<boolean> {
  const [row] = await queryRows<{ found: boolean }>(db, sql`
    with m as materialized (select 1 from products p where p.archived_at is null and ${productInAssortment(companyId, "p")} and ${match.any})
    select exists (select 1 from m) as found`);
  return row?.found === true;
}

type RawCatalogRow = {
  id: string;
  sku: string;
  name: string;
  category: string;
  unit: string;
  tax_rate_bp: number;
  min_order_quantity: number;
  order_multiple: number;
  low_stock_threshold: number;
  base_price_minor: string;
  currency: string;
  on_hand: number | null;
  reserved: number | null;
  contract_price_minor: string | null;
  image_id: string | null;
};

/**
 * What a catalogue row shows, for the ids of one page (a CTE `page`). Stock and the contract price
 * are correlated subqueries, one primary-key probe each for the page's rows only. Only the
 * company's active list is read, so another company's contract prices never reach the result.
 */
function pageRows(listId: string | null, extra: SQL = sql``): SQL {
  return sql`
    select ${extra} p.id, p.sku, p.name, p.category, p.unit, p.tax_rate_bp, p.min_order_quantity, p.order_multiple, p.low_stock_threshold,
      p.base_price_minor::text as base_price_minor, p.currency,
      (select i.on_hand from inventory i where i.product_id = p.id) as on_hand,
      (select i.reserved from inventory i where i.product_id = p.id) as reserved,
      ${listId ? sql`(select e.unit_price_minor::text from price_list_entries e where e.product_id = p.id and e.price_list_id = ${listId})` : sql`null::text`} as contract_price_minor,
      (select pi.id from product_images pi where pi.product_id = p.id) as image_id
    from page join products p on p.id = page.id`;
}

/** One page in name, SKU or base price order: an index scan in that order when the filters allow. */
function sortedPage(filters: SQL, sort: "name" | "sku" | "price_asc" | "price_desc", listId: string | null, offset: number, limit: number): SQL {
  const order = {
    name: ["p.name, p.id", "page.name, page.id"],
    sku: ["p.sku, p.id", "page.sku, page.id"],
    price_asc: ["p.base_price_minor, p.name, p.id", "page.price, page.name, page.id"],
    price_desc: ["p.base_price_minor desc, p.name, p.id", "page.price desc, page.name, page.id"],
  }[sort];
  return sql`
    with page as materialized (
      select p.id, p.name, p.sku, p.base_price_minor as price from products p where ${filters}
      order by ${sql.raw(order[0]!)} limit ${int(limit)} offset ${int(offset)}
    )
    ${pageRows(listId)}
    order by ${sql.raw(order[1]!)}`;
}

/**
 * One page of a search in name, SKU or price order. All matches are read (GIN bitmap) and then
 * sorted: time in proportion to the matches. Scanning in the sort order instead and filtering is
 * quicker for a word in most names but reads the whole table for a rare one, and PostgreSQL
 * cannot tell them apart in a generic plan.
 */
function matchedPage(where: SQL, sort: "name" | "sku" | "price_asc" | "price_desc", listId: string | null, offset: number, limit: number): SQL {
  const order = {
    name: "name, id",
    sku: "sku, id",
    price_asc: "price, name, id",
    price_desc: "price desc, name, id",
  }[sort];
  const byPrice = sort === "price_asc" || sort === "price_desc";
  // A join, not a probe per match: for many matches PostgreSQL hashes the list's entries once.
  const join = listId && byPrice ? sql`left join price_list_entries e on e.price_list_id = ${listId} and e.product_id = p.id` : sql``;
  return sql`
    with m as materialized (
      select p.id, p.name, p.sku, ${listId && byPrice ? sql`coalesce(e.unit_price_minor, p.base_price_minor)` : sql`p.base_price_minor`} as price
      from products p ${join} where ${where}
    ), page as materialized (
      select * from m order by ${sql.raw(order)} limit ${int(limit)} offset ${int(offset)}
    )
    ${pageRows(listId)}
    order by ${sql.raw(order.split(", ").map((c) => `page.${c}`).join(", "))}`;
}

/**
 * One page in the order of the company's price for one unit, which is its active list's contract
 * price if the list has one for the product, else the base price (tiers start at 2 units, a
 * CHECK). Every company's order differs, so no single index holds it; instead two index-ordered
 * streams are merged: the list's entries by contract price (price_list_entries_list_price_idx) and
 * the products without an entry by base price (products_active_price_idx). Each stops after the
 * rows this page needs (`need`), and the second reads no further than the first stream's last
 * price, so a list that prices most products does not make it skip through all of them.
 */
function priceOrderedPage(filters: SQL, descending: boolean, listId: string, offset: number, limit: number): SQL {
  const need = offset + limit;
  const dir = sql.raw(descending ? "desc" : "asc");
  const bound = descending
    ? sql`p.base_price_minor >= coalesce((select min(a.price) from a having count(*) = ${int(need)}), -1)`
    : sql`p.base_price_minor <= coalesce((select max(a.price) from a having count(*) = ${int(need)}), 9223372036854775807)`;
  return sql`
    with a as materialized (
      select p.id, e.unit_price_minor as price, p.name
      from price_list_entries e join products p on p.id = e.product_id
      where e.price_list_id = ${listId} and ${filters}
      order by e.unit_price_minor ${dir}, p.name, p.id limit ${int(need)}
    ), b as materialized (
      select p.id, p.base_price_minor as price, p.name
      from products p
      where ${filters}
        and not exists (select 1 from price_list_entries e where e.price_list_id = ${listId} and e.product_id = p.id)
        and ${bound}
      order by p.base_price_minor ${dir}, p.name, p.id limit ${int(need)}
    ), page as materialized (
      select id, price, name from (select * from a union all select * from b) u
      order by price ${dir}, name, id limit ${int(limit)} offset ${int(offset)}
    )
    ${pageRows(listId)}
    order by page.price ${dir}, page.name, page.id`;
}

/**
 * One page of a relevance search, ranked by ts_rank among at most CATALOG_RANKED_MATCHES + 1
 * candidates: the SKU and name matches first (GIN on weight A), then, if there are fewer of those,
 * the other matches. With up to CATALOG_RANKED_MATCHES matches that is all of them and the order
 * is exactly ts_rank's. The candidate scans are CTEs read through a LIMIT: PostgreSQL plans them
 * for the whole match set (a bitmap scan of the GIN index) but stops reading when the LIMIT is
 * reached; with the LIMIT inside, it chose a sequential scan for common words.
 */
async function rankedPage(db: DbOrTx, filters: SQL, match: Match, listId: string | null, offset: number, limit: number) {
  const cap = CATALOG_RANKED_MATCHES + 1;
  const rows = await queryRows<Omit<RawCatalogRow, "id"> & { id: string | null; matches: number }>(db, sql`
    with strong as materialized (
      select p.id, p.name, ${match.rank} as rank from products p where ${filters} and ${match.strong}
    ), weak as materialized (
      select p.id, p.name, ${match.rank} as rank from products p where ${filters} and ${match.any} and not ${match.strong}
    ), s as materialized (
      select * from strong limit ${int(cap)}
    ), w as materialized (
      select * from weak limit greatest(${int(cap)} - (select count(*) from s), 0)
    ), candidates as materialized (
      select * from s union all select * from w
    ), page as materialized (
      select id, rank, name from candidates order by rank desc, name, id limit ${int(limit)} offset ${int(offset)}
    )
    select m.matches, r.* from (select count(*)::int as matches from candidates) m
    left join lateral (${pageRows(listId, sql`page.rank as page_rank,`)}) r on true
    order by r.page_rank desc, r.name, r.id`);
  return {
    matches: rows[0]?.matches ?? 0,
    rows: rows.filter((r): r is RawCatalogRow & { matches: number } => r.id !== null),
  };
}

function catalogRow(r: RawCatalogRow, list: CompanyList | null, date: string, conversion: Conversion | null): CatalogRow {
  const contract = r.contract_price_minor === null ? null : BigInt(r.contract_price_minor);
  return {
    id: r.id,
    sku: r.sku,
    name: r.name,
    category: r.category,
    unit: r.unit,
    taxRateBp: r.tax_rate_bp,
    minOrderQuantity: r.min_order_quantity,
    orderMultiple: r.order_multiple,
    // Tiers start at 2 units (a CHECK), so the price for one unit needs no tier rows.
    price: resolveUnitPrice({
      product: { basePriceMinor: BigInt(r.base_price_minor), currency: r.currency, baseTiers: [] },
      lists: list ? [{ ...list, entry: contract === null ? null : { unitPriceMinor: contract, tiers: [] } }] : [],
      quantity: 1,
      date,
      conversion,
    }),
    stock: availability(Number(r.on_hand ?? 0), Number(r.reserved ?? 0), r.low_stock_threshold),
    imageId: r.image_id,
  };
}

/**
 * The catalogue as one company sees it: active products with that company's price for one unit
 * (from its valid price list, else the base price) and live availability. Pages by offset with a
 * stable order (ties broken by id) and fetches one extra row to know if there is a next page,
 * instead of counting every match. Browsing (in any order) and relevance searches read a bounded
 * number of rows from indexes, so their time does not grow with the catalogue (npm run bench --
 * catalog); a search sorted by name, SKU or price reads all its matches.
 */
export async function searchCatalog(db: DbOrTx, companyId: string | null, params: CatalogParams): Promise<CatalogResult> {
  const pageSize = params.pageSize ?? CATALOG_PAGE_SIZE;
  const page = Math.max(1, Math.floor(params.page ?? 1));
  const offset = (page - 1) * pageSize;
  const list = activeList(await companyLists(db, companyId), params.date);
  // Prices in the company's currency: converted from the base price where it has no price in it (issue 15).
  const conversion = await companyConversion(db, companyId, params.date);
  const listId = list?.id ?? null;
  const q = params.q?.trim().slice(0, 200) ?? "";
  const sort = params.sort ?? (q ? "relevance" : "name");

  // The company's assortment is one of the filters: every page shape below (browse, price order,
  // search, ranked search, typo fallback) reads only the products it admits.
  const conditions: SQL[] = [sql`p.archived_at is null`, productInAssortment(companyId, "p")];
  if (params.category) conditions.push(sql`p.category = ${params.category}`);
  if (params.inStock) conditions.push(sql`(select i.on_hand - i.reserved from inventory i where i.product_id = p.id) > 0`);
  const filters = sql.join(conditions, sql` and `);
  const result = (raw: RawCatalogRow[], more: { hasNext: boolean; fuzzy: boolean; capped: boolean }): CatalogResult => ({
    page,
    listName: list?.name ?? null,
    rows: raw.slice(0, pageSize).map((r) => catalogRow(r, list, params.date, conversion)),
    ...more,
  });

  let match: Match | null = null;
  let fuzzy = false;
  if (q) {
    const exact = exactMatch(q);
    if (sort === "relevance") {
      let ranked = await rankedPage(db, filters, exact, listId, offset, pageSize + 1);
      // Typo tolerance only when the words match nothing at all (with the filters, or, when
      // filtered, without them). Deciding per search, not per page, keeps paging stable.
      if (ranked.matches === 0 && !((params.category || params.inStock) && (await anyMatch(db, companyId, exact)))) {
        fuzzy = true;
        const typo = await typoMatch(db, q);
        if (typo) ranked = await rankedPage(db, filters, typo, listId, offset, pageSize + 1);
      }
      const end = Math.min(ranked.matches, CATALOG_RANKED_MATCHES);
      return result(ranked.rows.slice(0, Math.max(0, end - offset)), {
        hasNext: offset + pageSize < end,
        fuzzy,
        capped: ranked.matches > CATALOG_RANKED_MATCHES,
      });
    }
    fuzzy = !(await anyMatch(db, companyId, exact));
    match = fuzzy ? await typoMatch(db, q) : exact;
    if (!match) return result([], { hasNext: false, fuzzy, capped: false });
  }

  const explicitSort = sort === "relevance" ? "name" : sort;
  const rows = await queryRows<RawCatalogRow>(
    db,
    match
      ? matchedPage(sql`${filters} and ${match.any}`, explicitSort, listId, offset, pageSize + 1)
      : listId && (sort === "price_asc" || sort === "price_desc")
        ? priceOrderedPage(filters, sort === "price_desc", listId, offset, pageSize + 1)
        : sortedPage(filters, explicitSort, listId, offset, pageSize + 1),
  );
  return result(rows, { hasNext: rows.length > pageSize, fuzzy, capped: false });
}

/**
 * Categories of active products. A loose index scan (one index probe per category on
 * products_active_category_idx) instead of DISTINCT over every product.
 */
export async function listCategories(db: DbOrTx, companyId: string | null = null): Promise<string[]> {
  // A category is listed when the company may see at least one of its active products.
  const rows = await queryRows<{ category: string }>(db, sql`
    with recursive c(category) as (
      (select category from products where archived_at is null order by category limit 1)
      union all
      select (select p.category from products p where p.archived_at is null and p.category > c.category order by p.category limit 1)
      from c where c.category is not null
    )
    select c.category from c where c.category is not null
      and exists (select 1 from products p where p.archived_at is null and p.category = c.category and ${productInAssortment(companyId, "p")})`);
  return rows.map((r) => r.category);
}

export type PricedProduct = {
  id: string;
  sku: string;
  name: string;
  description: string;
  category: string;
  unit: string;
  taxRateBp: number;
  minOrderQuantity: number;
  orderMultiple: number;
  archived: boolean;
  stock: Availability;
  imageId: string | null;
  /** The price at 1 unit and at every tier threshold that applies to this company. */
  priceTable: { fromQuantity: number; price: ResolvedPrice }[];
};

/** One product with the company's prices: loads exactly what resolveUnitPrice needs. */
export async function getPricedProduct(db: DbOrTx, companyId: string | null, sku: string, date: string, opts: { includeArchived?: boolean } = {}): Promise<PricedProduct | null> {
  const [p] = await db
    .select({
      id: products.id,
      sku: products.sku,
      name: products.name,
      description: products.description,
      category: products.category,
      unit: products.unit,
      taxRateBp: products.taxRateBp,
      minOrderQuantity: products.minOrderQuantity,
      orderMultiple: products.orderMultiple,
      lowStockThreshold: products.lowStockThreshold,
      archivedAt: products.archivedAt,
      onHand: inventory.onHand,
      reserved: inventory.reserved,
      imageId: sql<string | null>`(select pi.id from product_images pi where pi.product_id = ${products.id})`,
    })
    .from(products)
    .innerJoin(inventory, eq(inventory.productId, products.id))
    // Outside the company's assortment the product does not exist for it (the page answers 404).
    .where(and(eq(sql`lower(${products.sku})`, sku.toLowerCase()), opts.includeArchived ? undefined : isNull(products.archivedAt), productsTableInAssortment(companyId)));
  if (!p) return null;
  const inputs = (await pricingInputs(db, companyId, [p.id])).get(p.id)!;
  const conversion = await companyConversion(db, companyId, date);
  const { product, lists } = inputs;
  const baseTiers = product.baseTiers;
  const list = activeList(lists, date);
  const thresholds = [1, ...(list?.entry ? list.entry.tiers : baseTiers).map((t) => t.minQuantity)];
  return {
    id: p.id,
    sku: p.sku,
    name: p.name,
    description: p.description,
    category: p.category,
    unit: p.unit,
    taxRateBp: p.taxRateBp,
    minOrderQuantity: p.minOrderQuantity,
    orderMultiple: p.orderMultiple,
    archived: p.archivedAt !== null,
    stock: availability(p.onHand, p.reserved, p.lowStockThreshold),
    imageId: p.imageId,
    priceTable: thresholds.map((q) => ({ fromQuantity: q, price: resolveUnitPrice({ product, lists, quantity: q, date, conversion }) })),
  };
}



export type PricingInput = {
  productId: string;
  sku: string;
  name: string;
  unit: string;
  taxRateBp: number;
  minOrderQuantity: number;
  orderMultiple: number;
  archived: boolean;
  /** In the company's assortment (db/queries/assortments.ts); outside it, the product cannot be ordered. */
  inAssortment: boolean;
  /** The product's image, for the cart. */
  imageId: string | null;
  product: ProductForPricing;
  lists: PriceListForPricing[];
};

type TierJson = [number, string];
/** A row of pricingInputColumns. */
export type PricingRow = {
  product_id: string;
  sku: string;
  name: string;
  unit: string;
  tax_rate_bp: number;
  min_order_quantity: number;
  order_multiple: number;
  archived: boolean;
  in_assortment: boolean;
  image_id: string | null;
  base_price_minor: string;
  currency: string;
  base_tiers: TierJson[];
  lists: { id: string; name: string; currency: string; validFrom: string; validTo: string | null; entry: { unitPriceMinor: string; tiers: TierJson[] } | null }[];
};

/**
 * The one gathering of pricing inputs: everything resolveUnitPrice needs for the product `pr`
 * (a products row in the FROM list) and a company (every price list assigned to it, with this
 * product's entry and tiers; the pricing function picks the valid list), as the columns of a
 * PricingRow. Used by pricingInputs and by the statement that takes a cart for its quotation, so
 * the cart page, the cart's checks and the quotation price from the same inputs.
 */
export function pricingInputColumns(companyId: SQL): SQL {
  return sql`pr.id as product_id, pr.sku, pr.name, pr.unit, pr.tax_rate_bp, pr.min_order_quantity, pr.order_multiple,
    pr.archived_at is not null as archived, ${inAssortment(companyId, { id: sql`pr.id`, category: sql`pr.category` })} as in_assortment,
    (select pi.id from product_images pi where pi.product_id = pr.id) as image_id, pr.base_price_minor::text as base_price_minor, pr.currency,
    (select coalesce(json_agg(json_build_array(bt.min_quantity, bt.unit_price_minor::text) order by bt.min_quantity), '[]')
       from product_price_tiers bt where bt.product_id = pr.id) as base_tiers,
    (select coalesce(json_agg(json_build_object(
         'id', pl.id, 'name', pl.name, 'currency', pl.currency, 'validFrom', pl.valid_from::text, 'validTo', pl.valid_to::text,
         'entry', (select json_build_object('unitPriceMinor', e.unit_price_minor::text, 'tiers',
              (select coalesce(json_agg(json_build_array(lt.min_quantity, lt.unit_price_minor::text) order by lt.min_quantity), '[]')
               from price_list_tiers lt where lt.entry_id = e.id))
            from price_list_entries e where e.price_list_id = pl.id and e.product_id = pr.id)) order by pl.id), '[]')
       from price_lists pl join price_list_assignments a on a.price_list_id = pl.id where a.company_id = ${companyId}) as lists`;
}

const tiers = (json: TierJson[]): Tier[] => json.map(([minQuantity, price]) => ({ minQuantity, unitPriceMinor: BigInt(price) }));

/** A PricingRow as resolveUnitPrice's inputs. */
export function pricingInput(r: PricingRow): PricingInput {
  return {
    productId: r.product_id,
    sku: r.sku,
    name: r.name,
    unit: r.unit,
    taxRateBp: r.tax_rate_bp,
    minOrderQuantity: r.min_order_quantity,
    orderMultiple: r.order_multiple,
    archived: r.archived,
    inAssortment: r.in_assortment,
    imageId: r.image_id,
    product: { basePriceMinor: BigInt(r.base_price_minor), currency: r.currency, baseTiers: tiers(r.base_tiers) },
    lists: r.lists.map((l) => ({ ...l, entry: l.entry ? { unitPriceMinor: BigInt(l.entry.unitPriceMinor), tiers: tiers(l.entry.tiers) } : null })),
  };
}

// The product ids come as one JSON array text, so the statement's text is the same for any number of
// them, unnested once in a subquery: compared with `= any(…)` inline, a generic plan casts the list
// again for every row it filters (minutes for 10,000 products). JSON, not a uuid[] literal: the planner
// knows a literal array's length only in a custom plan (unnest's row estimate), so the generic plan
// always looked dearer and PostgreSQL re-planned this statement at every call (0.7 ms, more than it
// takes to run); jsonb_array_elements_text has one estimate for both, and the generic plan is kept.
const pricingInputsStatement = statement<PricingRow, { companyId: string | null; productIds: string }>(
  "catalog.pricing_inputs",
  sql`select ${pricingInputColumns(sql`${sql.placeholder("companyId")}::uuid`)} from products pr where pr.id in (select jsonb_array_elements_text(${sql.placeholder("productIds")}::text::jsonb)::uuid)`,
);

/**
 * Everything resolveUnitPrice needs for many products of one company (carts, the product page),
 * in one statement whatever the number of products. Ids that are not UUIDs find nothing.
 */
export async function pricingInputs(db: DbOrTx, companyId: string | null, productIds: string[]): Promise<Map<string, PricingInput>> {
  const ids = [...new Set(productIds)].filter(isUuid);
  if (ids.length === 0) return new Map();
  const rows = await pricingInputsStatement(db, { companyId, productIds: JSON.stringify(ids) });
  return new Map(rows.map((r) => [r.product_id, pricingInput(r)]));
}

/** Products by id: their SKUs (for messages). */
export async function productSkus(db: DbOrTx, productIds: string[]): Promise<Map<string, string>> {
  const ids = [...new Set(productIds)].filter(isUuid);
  if (ids.length === 0) return new Map();
  const rows = await db.select({ id: products.id, sku: products.sku }).from(products).where(inArray(products.id, ids));
  return new Map(rows.map((r) => [r.id, r.sku]));
}

