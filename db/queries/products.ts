import "server-only";
import { isUuid } from "@/lib/domain/ids";
import { and, asc, count, desc, eq, gt, ilike, inArray, isNotNull, isNull, ne, or, sql, type SQL } from "drizzle-orm";
import {
  companies,
  inventory,
  priceListAssignments,
  priceListEntries,
  priceLists,
  priceListTiers,
  productPriceTiers,
  products,
  stockMovements,
  users,
  type NewProduct,
  type Product,
} from "@/db/schema";
import { queryRows, type DbOrTx } from "@/db/client";
import { belowReorderPoint } from "@/db/queries/analytics/stock";
import { availability } from "@/lib/domain/catalog";
import type { Tier } from "@/lib/domain/pricing";

export const STAFF_PAGE_SIZE = 50;

export type StaffProductFilter = { q?: string; category?: string; status?: "active" | "archived" | "all"; lowStock?: boolean; page?: number };

const like = (q: string) => `%${q.replace(/[%_\\]/g, "\\$&")}%`;

/** Staff product list with stock; callers hold products.read. */
export async function listProducts(db: DbOrTx, f: StaffProductFilter) {
  const filters: (SQL | undefined)[] = [
    f.status === "archived" ? isNotNull(products.archivedAt) : f.status === "all" ? undefined : isNull(products.archivedAt),
    f.q ? or(ilike(products.sku, like(f.q)), ilike(products.name, like(f.q))) : undefined,
    f.category ? eq(products.category, f.category) : undefined,
    // The dashboard's low-stock figure links here, so both use the one definition.
    f.lowStock ? belowReorderPoint : undefined,
  ];
  const where = and(...filters);
  const page = Math.max(1, f.page ?? 1);
  const rows = await db
    .select({
      id: products.id,
      sku: products.sku,
      name: products.name,
      category: products.category,
      unit: products.unit,
      basePriceMinor: products.basePriceMinor,
      currency: products.currency,
      archivedAt: products.archivedAt,
      lowStockThreshold: products.lowStockThreshold,
      onHand: inventory.onHand,
      reserved: inventory.reserved,
    })
    .from(products)
    .innerJoin(inventory, eq(inventory.productId, products.id))
    .where(where)
    .orderBy(f.lowStock ? asc(sql`${inventory.onHand} - ${inventory.reserved}`) : asc(products.sku), asc(products.id))
    .limit(STAFF_PAGE_SIZE)
    .offset((page - 1) * STAFF_PAGE_SIZE);
  const [total] = await db.select({ n: count() }).from(products).innerJoin(inventory, eq(inventory.productId, products.id)).where(where);
  return {
    total: total?.n ?? 0,
    rows: rows.map((r) => ({ ...r, stock: availability(r.onHand, r.reserved, r.lowStockThreshold) })),
  };
}

export async function getProductDetail(db: DbOrTx, id: string) {
  if (!isUuid(id)) return null;
  const [p] = await db
    .select({ product: products, onHand: inventory.onHand, reserved: inventory.reserved })
    .from(products)
    .innerJoin(inventory, eq(inventory.productId, products.id))
    .where(eq(products.id, id));
  if (!p) return null;
  const tiers: Tier[] = await db
    .select({ minQuantity: productPriceTiers.minQuantity, unitPriceMinor: productPriceTiers.unitPriceMinor })
    .from(productPriceTiers)
    .where(eq(productPriceTiers.productId, id))
    .orderBy(productPriceTiers.minQuantity);
  const movements = await db
    .select({
      id: stockMovements.id,
      kind: stockMovements.kind,
      onHandDelta: stockMovements.onHandDelta,
      reservedDelta: stockMovements.reservedDelta,
      reason: stockMovements.reason,
      createdAt: stockMovements.createdAt,
      actorEmail: users.email,
    })
    .from(stockMovements)
    .leftJoin(users, eq(users.id, stockMovements.actorId))
    .where(eq(stockMovements.productId, id))
    .orderBy(desc(stockMovements.id))
    .limit(50);
  const { searchVector: _sv, ...product } = p.product;
  return { product, tiers, onHand: p.onHand, reserved: p.reserved, stock: availability(p.onHand, p.reserved, p.product.lowStockThreshold), movements };
}

export async function listAllCategories(db: DbOrTx): Promise<string[]> {
  const rows = await db.selectDistinct({ category: products.category }).from(products).orderBy(products.category);
  return rows.map((r) => r.category);
}

/** Products with stock in pages of `batch`, in SKU order (keyset), for the CSV export. */
export async function* productsForExport(db: DbOrTx, batch = 2000) {
  let after = "";
  for (;;) {
    const rows = await db
      .select({ product: products, onHand: inventory.onHand, reserved: inventory.reserved })
      .from(products)
      .innerJoin(inventory, eq(inventory.productId, products.id))
      .where(gt(products.sku, after))
      .orderBy(asc(products.sku))
      .limit(batch);
    if (rows.length === 0) return;
    const ids = rows.map((r) => r.product.id);
    const tiers = await db
      .select()
      .from(productPriceTiers)
      .where(sql`${productPriceTiers.productId} in ${ids}`)
      .orderBy(productPriceTiers.productId, productPriceTiers.minQuantity);
    const byProduct = new Map<string, Tier[]>();
    for (const t of tiers) byProduct.set(t.productId, [...(byProduct.get(t.productId) ?? []), t]);
    yield rows.map((r) => ({ ...r, tiers: byProduct.get(r.product.id) ?? [] }));
    after = rows[rows.length - 1]!.product.sku;
  }
}

export async function listPriceLists(db: DbOrTx) {
  return db
    .select({
      id: priceLists.id,
      name: priceLists.name,
      currency: priceLists.currency,
      validFrom: priceLists.validFrom,
      validTo: priceLists.validTo,
      entries: sql<number>`(select count(*)::int from ${priceListEntries} where ${priceListEntries.priceListId} = ${priceLists.id})`,
      companies: sql<string | null>`(select string_agg(c.name, ', ' order by c.name) from ${priceListAssignments} a join ${companies} c on c.id = a.company_id where a.price_list_id = ${priceLists.id})`,
    })
    .from(priceLists)
    .orderBy(desc(priceLists.validFrom), asc(priceLists.name));
}

export async function getPriceListDetail(db: DbOrTx, id: string) {
  if (!isUuid(id)) return null;
  const [list] = await db.select().from(priceLists).where(eq(priceLists.id, id));
  if (!list) return null;
  const entries = await db
    .select({
      id: priceListEntries.id,
      productId: products.id,
      sku: products.sku,
      name: products.name,
      basePriceMinor: products.basePriceMinor,
      unitPriceMinor: priceListEntries.unitPriceMinor,
    })
    .from(priceListEntries)
    .innerJoin(products, eq(products.id, priceListEntries.productId))
    .where(eq(priceListEntries.priceListId, id))
    .orderBy(asc(products.sku));
  const tiers = await db
    .select({ entryId: priceListTiers.entryId, minQuantity: priceListTiers.minQuantity, unitPriceMinor: priceListTiers.unitPriceMinor })
    .from(priceListTiers)
    .innerJoin(priceListEntries, eq(priceListEntries.id, priceListTiers.entryId))
    .where(eq(priceListEntries.priceListId, id))
    .orderBy(priceListTiers.entryId, priceListTiers.minQuantity);
  const byEntry = new Map<string, Tier[]>();
  for (const t of tiers) byEntry.set(t.entryId, [...(byEntry.get(t.entryId) ?? []), { minQuantity: t.minQuantity, unitPriceMinor: t.unitPriceMinor }]);
  const assigned = await db
    .select({ id: companies.id, name: companies.name })
    .from(priceListAssignments)
    .innerJoin(companies, eq(companies.id, priceListAssignments.companyId))
    .where(eq(priceListAssignments.priceListId, id))
    .orderBy(asc(companies.name));
  return { list, entries: entries.map((e) => ({ ...e, tiers: byEntry.get(e.id) ?? [] })), assigned };
}


// ---- writes of the product use cases (create, edit, archive, CSV import, seeding) ----

/** Id and SKU as stored, of the product with this SKU (case-insensitive) other than `exceptId`, or null. */
export async function productIdBySku(db: DbOrTx, sku: string, exceptId?: string): Promise<{ id: string; sku: string } | null> {
  const [row] = await db
    .select({ id: products.id, sku: products.sku })
    .from(products)
    .where(and(eq(sql`lower(${products.sku})`, sku.toLowerCase()), exceptId ? ne(products.id, exceptId) : undefined));
  return row ?? null;
}

/** Existing products by lower-cased SKU, for imports and quick-order lookups. */
export async function productsBySku(db: DbOrTx, skus: string[]): Promise<Map<string, Product>> {
  const map = new Map<string, Product>();
  const lower = [...new Set(skus.map((s) => s.toLowerCase()))];
  for (let i = 0; i < lower.length; i += 5000) {
    const rows = await db.select().from(products).where(inArray(sql`lower(${products.sku})`, lower.slice(i, i + 5000)));
    for (const r of rows) map.set(r.sku.toLowerCase(), r);
  }
  return map;
}

/** The SKUs of this list that exist already (exact match). */
export async function existingSkus(db: DbOrTx, skus: string[]): Promise<string[]> {
  const rows = await db.select({ sku: products.sku }).from(products).where(inArray(products.sku, skus));
  return rows.map((r) => r.sku);
}

/** Inserts products with an empty inventory row each; returns them in insertion order. */
export async function insertProductsWithInventory(tx: DbOrTx, rows: NewProduct[], onHand?: (p: Product) => number): Promise<Product[]> {
  if (rows.length === 0) return [];
  const created = await tx.insert(products).values(rows).returning();
  await tx.insert(inventory).values(created.map((p) => ({ productId: p.id, onHand: onHand?.(p) ?? 0 })));
  return created;
}

export async function lockProduct(tx: DbOrTx, id: string): Promise<Product | null> {
  const [row] = await tx.select().from(products).where(eq(products.id, id)).for("update");
  return row ?? null;
}

export async function updateProductRow(tx: DbOrTx, id: string, set: Partial<NewProduct>): Promise<Product> {
  const [row] = await tx
    .update(products)
    .set({ ...set, updatedAt: new Date() })
    .where(eq(products.id, id))
    .returning();
  return row!;
}

/** Tiers of many products by product id, smallest quantity first. */
export async function tiersOfProducts(db: DbOrTx, productIds: string[]): Promise<Map<string, Tier[]>> {
  const grouped = new Map<string, Tier[]>();
  for (let i = 0; i < productIds.length; i += 5000) {
    const rows = await db
      .select({ productId: productPriceTiers.productId, minQuantity: productPriceTiers.minQuantity, unitPriceMinor: productPriceTiers.unitPriceMinor })
      .from(productPriceTiers)
      .where(inArray(productPriceTiers.productId, productIds.slice(i, i + 5000)))
      .orderBy(productPriceTiers.productId, productPriceTiers.minQuantity);
    for (const { productId, ...t } of rows) grouped.set(productId, [...(grouped.get(productId) ?? []), t]);
  }
  return grouped;
}

/** Replaces the tiers of these products with `tiers` (rows for any of them; none clears them). */
export async function replaceProductTiers(tx: DbOrTx, productIds: string[], tiers: { productId: string; minQuantity: number; unitPriceMinor: bigint }[]): Promise<void> {
  if (productIds.length) await tx.delete(productPriceTiers).where(inArray(productPriceTiers.productId, productIds));
  await insertProductTiers(tx, tiers);
}

export async function insertProductTiers(tx: DbOrTx, tiers: { productId: string; minQuantity: number; unitPriceMinor: bigint }[]): Promise<void> {
  if (tiers.length) await tx.insert(productPriceTiers).values(tiers);
}

export type ImportedProductUpdate = {
  id: string;
  sku: string;
  name: string;
  description: string;
  category: string;
  unit: string;
  basePriceMinor: bigint;
  taxRateBp: number;
  minOrderQuantity: number;
  orderMultiple: number;
  lowStockThreshold: number;
  /** null keeps the archived state; true archives (keeping an earlier date), false restores. */
  archived: boolean | null;
};

/** Updates many products in one UPDATE … FROM (VALUES …) instead of a statement per row; returns id and archived_at. */
export async function updateProductsInBulk(tx: DbOrTx, rows: ImportedProductUpdate[], now: Date): Promise<{ id: string; archivedAt: Date | null }[]> {
  if (rows.length === 0) return [];
  const values = sql.join(
    rows.map(
      (f) =>
        sql`(${f.id}::uuid, ${f.sku}, ${f.name}, ${f.description}, ${f.category}, ${f.unit}, ${f.basePriceMinor}::bigint, ${f.taxRateBp}::int, ${f.minOrderQuantity}::int, ${f.orderMultiple}::int, ${f.lowStockThreshold}::int, ${f.archived}::boolean)`,
    ),
    sql`, `,
  );
  const updated = await queryRows<{ id: string; archived_at: string | Date | null }>(tx, sql`
    update products p set sku = v.sku, name = v.name, description = v.description, category = v.category, unit = v.unit,
      base_price_minor = v.base_price, tax_rate_bp = v.tax_rate, min_order_quantity = v.min_qty, order_multiple = v.multiple,
      low_stock_threshold = v.low_stock,
      archived_at = case when v.archived is null then p.archived_at when v.archived then coalesce(p.archived_at, ${now.toISOString()}::timestamptz) else null end,
      updated_at = ${now.toISOString()}::timestamptz
    from (values ${values}) as v(id, sku, name, description, category, unit, base_price, tax_rate, min_qty, multiple, low_stock, archived)
    where p.id = v.id
    returning p.id, p.archived_at`);
  return updated.map((r) => ({ id: String(r.id), archivedAt: r.archived_at === null ? null : new Date(r.archived_at) }));
}

/** Opening-stock receipts (seeding): one stock movement per product. */
export async function insertOpeningStock(tx: DbOrTx, rows: { productId: string; onHand: number; actorId: string | null }[]): Promise<void> {
  if (rows.length === 0) return;
  await tx.insert(stockMovements).values(rows.map((r) => ({ productId: r.productId, kind: "receipt" as const, onHandDelta: r.onHand, reason: "Opening stock", actorId: r.actorId })));
}
