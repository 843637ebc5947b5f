import "server-only";
import { and, asc, eq, inArray, isNull, sql, type SQL } from "drizzle-orm";
import { companyAssortmentCategories, companyAssortmentProducts, products } from "@/db/schema";
import { queryRows, type DbOrTx } from "@/db/client";
import { isUuid } from "@/lib/domain/ids";

/**
 * THE assortment rule, in one place: may company `companyId` see the product whose id and category
 * are `product`? A company without rows in company_assortment_categories and
 * company_assortment_products sees everything; with rows, only the products in one of its
 * categories or listed by id. A null company (staff) matches no rows and so sees everything.
 *
 * Every catalogue read (search, categories, product page, pricing inputs for carts, quick order,
 * submission, API, image routes) puts this predicate in its WHERE or SELECT, so a product outside
 * the assortment is, for that company, a product that does not exist (404, "no product has SKU").
 * The two "no rows" probes do not depend on the product: PostgreSQL runs them once per statement.
 */
export function inAssortment(companyId: SQL | string | null, product: { id: SQL; category: SQL }): SQL {
  const c = companyId === null ? sql`null::uuid` : typeof companyId === "string" ? sql`${companyId}::uuid` : companyId;
  return sql`((not exists (select 1 from company_assortment_categories ac0 where ac0.company_id = ${c})
      and not exists (select 1 from company_assortment_products ap0 where ap0.company_id = ${c}))
    or exists (select 1 from company_assortment_categories ac where ac.company_id = ${c} and ac.category = ${product.category})
    or exists (select 1 from company_assortment_products ap where ap.company_id = ${c} and ap.product_id = ${product.id}))`;
}

/** The predicate for a products row aliased `alias` (p, pr …). */
export function productInAssortment(companyId: SQL | string | null, alias: string): SQL {
  return inAssortment(companyId, { id: sql.raw(`${alias}.id`), category: sql.raw(`${alias}.category`) });
}

/** The predicate for drizzle's `products` table (unaliased). */
export function productsTableInAssortment(companyId: string | null): SQL {
  return inAssortment(companyId, { id: sql`${products.id}`, category: sql`${products.category}` });
}

/** Of these product ids, the ones the company may see. */
export async function visibleProductIds(db: DbOrTx, companyId: string | null, productIds: string[]): Promise<Set<string>> {
  const ids = [...new Set(productIds)].filter(isUuid);
  if (ids.length === 0) return new Set();
  const rows = await queryRows<{ id: string }>(
    db,
    sql`select p.id from products p where p.id in (select unnest(${`{${ids.join(",")}}`}::text::uuid[])) and ${productInAssortment(companyId, "p")}`,
  );
  return new Set(rows.map((r) => r.id));
}

export type Assortment = {
  categories: string[];
  products: { id: string; sku: string; name: string; category: string; archived: boolean }[];
};

/** A company's assortment as staff edit it; both lists empty: the whole catalogue. */
export async function getAssortment(db: DbOrTx, companyId: string): Promise<Assortment> {
  const [categories, listed] = await Promise.all([
    db
      .select({ category: companyAssortmentCategories.category })
      .from(companyAssortmentCategories)
      .where(eq(companyAssortmentCategories.companyId, companyId))
      .orderBy(asc(companyAssortmentCategories.category)),
    db
      .select({ id: products.id, sku: products.sku, name: products.name, category: products.category, archivedAt: products.archivedAt })
      .from(companyAssortmentProducts)
      .innerJoin(products, eq(products.id, companyAssortmentProducts.productId))
      .where(eq(companyAssortmentProducts.companyId, companyId))
      .orderBy(asc(products.sku)),
  ]);
  return {
    categories: categories.map((r) => r.category),
    products: listed.map(({ archivedAt, ...r }) => ({ ...r, archived: archivedAt !== null })),
  };
}

/** Replaces a company's assortment (callers lock the company first). */
export async function replaceAssortment(tx: DbOrTx, companyId: string, categories: string[], productIds: string[]): Promise<void> {
  await tx.delete(companyAssortmentCategories).where(eq(companyAssortmentCategories.companyId, companyId));
  await tx.delete(companyAssortmentProducts).where(eq(companyAssortmentProducts.companyId, companyId));
  if (categories.length) await tx.insert(companyAssortmentCategories).values(categories.map((category) => ({ companyId, category })));
  if (productIds.length) await tx.insert(companyAssortmentProducts).values(productIds.map((productId) => ({ companyId, productId })));
}

/** Active products by SKU (case-insensitive), for the assortment form's product list. */
export async function activeProductsBySku(db: DbOrTx, skus: string[]): Promise<Map<string, { id: string; sku: string }>> {
  const lower = [...new Set(skus.map((s) => s.toLowerCase()))];
  if (lower.length === 0) return new Map();
  const rows = await db
    .select({ id: products.id, sku: products.sku })
    .from(products)
    .where(and(inArray(sql`lower(${products.sku})`, lower), isNull(products.archivedAt)));
  return new Map(rows.map((r) => [r.sku.toLowerCase(), r]));
}

/** The categories any product has (active or not), to validate an assortment's categories. */
export async function knownCategories(db: DbOrTx, categories: string[]): Promise<Set<string>> {
  if (categories.length === 0) return new Set();
  const rows = await db.selectDistinct({ category: products.category }).from(products).where(inArray(products.category, categories));
  return new Set(rows.map((r) => r.category));
}

/** Companies limited to an assortment (for the staff customer list and the seed's report). */
export async function isLimited(db: DbOrTx, companyId: string): Promise<boolean> {
  const [row] = await queryRows<{ limited: boolean }>(
    db,
    sql`select exists (select 1 from company_assortment_categories where company_id = ${companyId}::uuid)
        or exists (select 1 from company_assortment_products where company_id = ${companyId}::uuid) as limited`,
  );
  return row?.limited ?? false;
}
