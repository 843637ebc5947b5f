import "server-only";
import { and, asc, eq, isNull, sql, type SQL } from "drizzle-orm";
import { inventory, products, users } from "@/db/schema";
import type { DbOrTx } from "@/db/client";
import { getDashboardCounts } from "@/db/queries/dashboard";
import { roles, type Role } from "@/lib/domain/roles";
import type { AnalyticsClock } from "./ledger";

// The admin section of the staff dashboard: low stock, users and denied attempts. Staff only: the
// page checks admin.access (the section is shown to admins); figures are platform-wide.

/**
 * Low stock, defined once: available (on hand − reserved) below the product's reorder point
 * (products.low_stock_threshold); a reorder point of 0 means the product is never reported. Written
 * over the products and inventory tables, so the products list's "Low stock only" filter uses it too.
 */
export const belowReorderPoint: SQL = sql`(${products.lowStockThreshold} > 0 and ${inventory.onHand} - ${inventory.reserved} < ${products.lowStockThreshold})`;

export type LowStockItem = { id: string; sku: string; name: string; onHand: number; reserved: number; available: number; reorderPoint: number };
export type LowStock = { total: number; items: LowStockItem[] };

/** Active products below their reorder point, least available first, the first `limit` of them with the total. */
export async function lowStock(db: DbOrTx, limit: number): Promise<LowStock> {
  const available = sql<number>`${inventory.onHand} - ${inventory.reserved}`.mapWith(Number);
  const rows = await db
    .select({
      id: products.id,
      sku: products.sku,
      name: products.name,
      onHand: inventory.onHand,
      reserved: inventory.reserved,
      available,
      reorderPoint: products.lowStockThreshold,
      // The whole count in the same pass, before the limit applies.
      total: sql<number>`count(*) over ()`.mapWith(Number),
    })
    .from(products)
    .innerJoin(inventory, eq(inventory.productId, products.id))
    .where(and(isNull(products.archivedAt), belowReorderPoint))
    .orderBy(asc(sql`${inventory.onHand} - ${inventory.reserved}`), asc(products.sku), asc(products.id))
    .limit(Math.max(1, limit));
  return { total: rows[0]?.total ?? 0, items: rows.map(({ total: _total, ...item }) => item) };
}

/** Active users per role, every role listed (0 when none), in the order roles are declared. */
export async function activeUsersByRole(db: DbOrTx): Promise<{ role: Role; count: number }[]> {
  const rows = await db
    .select({ role: users.role, count: sql<number>`count(*)`.mapWith(Number) })
    .from(users)
    .where(eq(users.active, true))
    .groupBy(users.role);
  const byRole = new Map(rows.map((r) => [r.role, r.count]));
  return roles.map((role) => ({ role, count: byRole.get(role) ?? 0 }));
}

export const LOW_STOCK_LISTED = 5;

export type AdminDashboardData = {
  lowStock: LowStock;
  users: { total: number; byRole: { role: Role; count: number }[] };
  deniedAttempts24h: number;
  companies: { total: number; active: number };
};

/** Everything the admin section shows, at `clock.now` (denied attempts: the 24 hours before it). */
export async function adminDashboardData(db: DbOrTx, clock: AnalyticsClock): Promise<AdminDashboardData> {
  const [low, byRole, counts] = await Promise.all([lowStock(db, LOW_STOCK_LISTED), activeUsersByRole(db), getDashboardCounts(db, clock.now)]);
  return {
    lowStock: low,
    users: { total: counts.activeUsers, byRole },
    deniedAttempts24h: counts.deniedAttempts24h,
    companies: { total: counts.companies, active: counts.activeCompanies },
  };
}
