import "server-only";
import { and, asc, desc, eq, inArray, isNull, sql, type SQL } from "drizzle-orm";
import {
  inventory,
  priceListAssignments,
  priceListEntries,
  priceLists,
  priceListTiers,
  productPriceTiers,
  products,
} from "@/db/schema";
import { queryRows, type DbOrTx } from "@/lib/db";
import { availability, type Availability } from "@/lib/domain/catalog";
import { activeList, resolveUnitPrice, type PriceListForPricing, type ProductForPricing, type ResolvedPrice, type Tier } from "@/lib/domain/pricing";

export const CATALOG_PAGE_SIZE = 24;
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

/**
 * The catalogue as one company sees it: active products with that company's price for one unit
 * (from its valid price list, else the base price) and live availability. Only that company's
 * assigned list is joined, so another company's contract prices never reach the query result.
 * Pages by offset with a stable order (ties broken by id) and fetches one extra row to know if
 * there is a next page, instead of counting every match.
 */
export async function searchCatalog(
  db: DbOrTx,
  companyId: string | null,
  params: CatalogParams,
): Promise<{ rows: CatalogRow[]; hasNext: boolean; page: number; listName: string | null; fuzzy: boolean }> {
  const pageSize = params.pageSize ?? CATALOG_PAGE_SIZE;
  const page = Math.max(1, Math.floor(params.page ?? 1));
  const list = activeList(await companyLists(db, companyId), params.date);
  const q = params.q?.trim().slice(0, 200) ?? "";

  const filters: (SQL | undefined)[] = [isNull(products.archivedAt)];
  let rank: SQL | undefined;
  let fuzzy = false;
  if (q) {
    const tsQuery = sql`websearch_to_tsquery('english', ${q})`;
    // Exact first: full text on sku/name/category/description (GIN) or a SKU prefix (btree).
    // The prefix is a range, not LIKE $1: a prepared statement's generic plan cannot use an
    // index for LIKE with a parameter, but it can for a range.
    const prefix = q.toLowerCase();
    const prefixEnd = prefix.slice(0, -1) + String.fromCodePoint(prefix.codePointAt(prefix.length - 1)! + 1);
    const strict = sql`(${products.searchVector} @@ ${tsQuery} or (lower(${products.sku}) ~>=~ ${prefix} and lower(${products.sku}) ~<~ ${prefixEnd}))`;
    const [anyStrict] = await db.select({ one: sql`1` }).from(products).where(and(isNull(products.archivedAt), strict)).limit(1);
    // Typo tolerance only when nothing matches exactly: a trigram word match on the name (GIN).
    // Deciding per query, not per page, keeps paging stable.
    fuzzy = !anyStrict;
    filters.push(fuzzy ? sql`${q} <% ${products.name}` : strict);
    rank = fuzzy
      ? sql`word_similarity(${q}, ${products.name})`
      : sql`(ts_rank(${products.searchVector}, ${tsQuery}) + case when lower(${products.sku}) = ${q.toLowerCase()} then 10 else 0 end)`;
  }
  if (params.category) filters.push(eq(products.category, params.category));
  // Stock and the contract price are correlated subqueries, not joins: the products scan alone
  // decides the plan (index order for browsing, GIN bitmap for search) and each candidate row
  // costs one primary-key probe. With joins, PostgreSQL's fixed 0.5% estimate for a rare search
  // word made it hash-join whole tables at 100,000 products.
  const available = sql<number>`(select i.on_hand - i.reserved from inventory i where i.product_id = "products"."id")`;
  const sort = params.sort ?? (q ? "relevance" : "name");
  // Sorting by price reads every candidate anyway: there one hash join beats a probe per row.
  const joinPrices = list !== null && (sort === "price_asc" || sort === "price_desc");
  const contractPrice = !list
    ? sql<bigint | null>`null::bigint`
    : joinPrices
      ? sql<bigint | null>`${priceListEntries.unitPriceMinor}`
      : sql<bigint | null>`(select e.unit_price_minor from price_list_entries e where e.product_id = "products"."id" and e.price_list_id = ${list.id})`;
  if (params.inStock) filters.push(sql`${available} > 0`);

  const unitPrice = sql<bigint>`coalesce(${contractPrice}, "products"."base_price_minor")`;
  const order: SQL[] = {
    relevance: rank ? [desc(rank), asc(products.name)] : [asc(products.name)],
    name: [asc(products.name)],
    price_asc: [asc(unitPrice), asc(products.name)],
    price_desc: [desc(unitPrice), asc(products.name)],
    sku: [asc(products.sku)],
  }[sort];

  const query = db
    .select({
      id: products.id,
      sku: products.sku,
      name: products.name,
      category: products.category,
      unit: products.unit,
      taxRateBp: products.taxRateBp,
      minOrderQuantity: products.minOrderQuantity,
      orderMultiple: products.orderMultiple,
      lowStockThreshold: products.lowStockThreshold,
      basePriceMinor: products.basePriceMinor,
      currency: products.currency,
      onHand: sql<number>`(select i.on_hand from inventory i where i.product_id = "products"."id")`.mapWith(Number),
      reserved: sql<number>`(select i.reserved from inventory i where i.product_id = "products"."id")`.mapWith(Number),
      contractPriceMinor: contractPrice.mapWith((v: string | number | bigint | null) => (v === null ? null : BigInt(v))),
    })
    .from(products)
    .$dynamic();
  if (joinPrices && list) {
    query.leftJoin(priceListEntries, and(eq(priceListEntries.productId, products.id), eq(priceListEntries.priceListId, list.id)));
  }
  const rows = await query
    .where(and(...filters))
    .orderBy(...order, asc(products.id))
    .limit(pageSize + 1)
    .offset((page - 1) * pageSize);

  return {
    page,
    fuzzy,
    hasNext: rows.length > pageSize,
    listName: list?.name ?? null,
    rows: rows.slice(0, pageSize).map((r) => ({
      id: r.id,
      sku: r.sku,
      name: r.name,
      category: r.category,
      unit: r.unit,
      taxRateBp: r.taxRateBp,
      minOrderQuantity: r.minOrderQuantity,
      orderMultiple: r.orderMultiple,
      // Tiers start at 2 units (a CHECK), so the price for one unit needs no tier rows.
      price: resolveUnitPrice({
        product: { basePriceMinor: r.basePriceMinor, currency: r.currency, baseTiers: [] },
        lists: list ? [{ ...list, entry: r.contractPriceMinor === null ? null : { unitPriceMinor: r.contractPriceMinor, tiers: [] } }] : [],
        quantity: 1,
        date: params.date,
      }),
      stock: availability(r.onHand, r.reserved, r.lowStockThreshold),
    })),
  };
}

/**
 * Categories of active products. A loose index scan (one index probe per category on
 * products_active_category_idx) instead of DISTINCT over every product.
 */
export async function listCategories(db: DbOrTx): Promise<string[]> {
  const rows = await queryRows<{ category: string }>(db, sql`
    with recursive c(category) as (
      (select category from products where archived_at is null order by category limit 1)
      union all
      select (select p.category from products p where p.archived_at is null and p.category > c.category order by p.category limit 1)
      from c where c.category is not null
    )
    select category from c where category is not null`);
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
      basePriceMinor: products.basePriceMinor,
      currency: products.currency,
      archivedAt: products.archivedAt,
      onHand: inventory.onHand,
      reserved: inventory.reserved,
    })
    .from(products)
    .innerJoin(inventory, eq(inventory.productId, products.id))
    .where(and(eq(sql`lower(${products.sku})`, sku.toLowerCase()), opts.includeArchived ? undefined : isNull(products.archivedAt)));
  if (!p) return null;
  const baseTiers: Tier[] = await db
    .select({ minQuantity: productPriceTiers.minQuantity, unitPriceMinor: productPriceTiers.unitPriceMinor })
    .from(productPriceTiers)
    .where(eq(productPriceTiers.productId, p.id))
    .orderBy(productPriceTiers.minQuantity);
  const lists: PriceListForPricing[] = [];
  for (const l of await companyLists(db, companyId)) {
    const [entry] = await db.select().from(priceListEntries).where(and(eq(priceListEntries.priceListId, l.id), eq(priceListEntries.productId, p.id)));
    const tiers = entry
      ? await db.select({ minQuantity: priceListTiers.minQuantity, unitPriceMinor: priceListTiers.unitPriceMinor }).from(priceListTiers).where(eq(priceListTiers.entryId, entry.id)).orderBy(priceListTiers.minQuantity)
      : [];
    lists.push({ ...l, entry: entry ? { unitPriceMinor: entry.unitPriceMinor, tiers } : null });
  }
  const product = { basePriceMinor: p.basePriceMinor, currency: p.currency, baseTiers };
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
    priceTable: thresholds.map((q) => ({ fromQuantity: q, price: resolveUnitPrice({ product, lists, quantity: q, date }) })),
  };
}

/** Today's date (yyyy-mm-dd) in a time zone: prices are valid by the company's calendar. */
export function todayIn(timeZone: string, now: Date = new Date()): string {
  return new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).format(now);
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
  product: ProductForPricing;
  lists: PriceListForPricing[];
};

/**
 * Everything resolveUnitPrice needs for many products of one company, in four queries
 * whatever the number of products (carts, quotations).
 */
export async function pricingInputs(db: DbOrTx, companyId: string, productIds: string[]): Promise<Map<string, PricingInput>> {
  const out = new Map<string, PricingInput>();
  if (productIds.length === 0) return out;
  const ids = [...new Set(productIds)];
  const rows = await db.select().from(products).where(inArray(products.id, ids));
  const baseTiers = await db.select().from(productPriceTiers).where(inArray(productPriceTiers.productId, ids)).orderBy(productPriceTiers.minQuantity);
  const lists = await companyLists(db, companyId);
  const entries = lists.length
    ? await db
        .select()
        .from(priceListEntries)
        .where(and(inArray(priceListEntries.productId, ids), inArray(priceListEntries.priceListId, lists.map((l) => l.id))))
    : [];
  const entryTiers = entries.length
    ? await db.select().from(priceListTiers).where(inArray(priceListTiers.entryId, entries.map((e) => e.id))).orderBy(priceListTiers.minQuantity)
    : [];
  for (const p of rows) {
    out.set(p.id, {
      productId: p.id,
      sku: p.sku,
      name: p.name,
      unit: p.unit,
      taxRateBp: p.taxRateBp,
      minOrderQuantity: p.minOrderQuantity,
      orderMultiple: p.orderMultiple,
      archived: p.archivedAt !== null,
      product: {
        basePriceMinor: p.basePriceMinor,
        currency: p.currency,
        baseTiers: baseTiers.filter((t) => t.productId === p.id).map((t) => ({ minQuantity: t.minQuantity, unitPriceMinor: t.unitPriceMinor })),
      },
      lists: lists.map((l) => {
        const entry = entries.find((e) => e.priceListId === l.id && e.productId === p.id);
        return {
          ...l,
          entry: entry
            ? { unitPriceMinor: entry.unitPriceMinor, tiers: entryTiers.filter((t) => t.entryId === entry.id).map((t) => ({ minQuantity: t.minQuantity, unitPriceMinor: t.unitPriceMinor })) }
            : null,
        };
      }),
    });
  }
  return out;
}
