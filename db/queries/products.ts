import "server-only";
import { isUuid } from "@/lib/domain/ids";
import { and, asc, count, desc, eq, gt, ilike, isNotNull, isNull, or, sql, type SQL } from "drizzle-orm";
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
} from "@/db/schema";
import type { DbOrTx } from "@/db/client";
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
    f.lowStock ? sql`${inventory.onHand} - ${inventory.reserved} <= ${products.lowStockThreshold}` : undefined,
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

export async function countProducts(db: DbOrTx): Promise<number> {
  const [row] = await db.select({ n: count() }).from(products);
  return row?.n ?? 0;
}
