import "server-only";
import { and, eq, ne, sql } from "drizzle-orm";
import { priceListAssignments, priceListEntries, priceLists, priceListTiers, type PriceList } from "@/db/schema";
import type { DbOrTx } from "@/db/client";
import type { Tier } from "@/lib/domain/pricing";

// Writes of the price-list use cases (the staff reads are in ./products.ts).

/** The id of the price list with this name (case-insensitive), other than `exceptId`, if any. */
export async function priceListIdByName(db: DbOrTx, name: string, exceptId?: string): Promise<string | null> {
  const [row] = await db
    .select({ id: priceLists.id })
    .from(priceLists)
    .where(and(eq(sql`lower(${priceLists.name})`, name.toLowerCase()), exceptId ? ne(priceLists.id, exceptId) : undefined));
  return row?.id ?? null;
}

export async function lockPriceList(tx: DbOrTx, id: string): Promise<PriceList | null> {
  const [list] = await tx.select().from(priceLists).where(eq(priceLists.id, id)).for("update");
  return list ?? null;
}

export async function insertPriceList(tx: DbOrTx, values: typeof priceLists.$inferInsert): Promise<PriceList> {
  const [list] = await tx.insert(priceLists).values(values).returning();
  return list!;
}

export async function updatePriceListRow(tx: DbOrTx, id: string, set: Partial<typeof priceLists.$inferInsert>): Promise<PriceList> {
  const [list] = await tx
    .update(priceLists)
    .set({ ...set, updatedAt: new Date() })
    .where(eq(priceLists.id, id))
    .returning();
  return list!;
}

/** A product's entry on a list, with its tiers (by quantity), or null. */
export async function priceListEntryWithTiers(tx: DbOrTx, priceListId: string, productId: string) {
  const [entry] = await tx
    .select()
    .from(priceListEntries)
    .where(and(eq(priceListEntries.priceListId, priceListId), eq(priceListEntries.productId, productId)));
  if (!entry) return null;
  const tiers = await tx.select().from(priceListTiers).where(eq(priceListTiers.entryId, entry.id)).orderBy(priceListTiers.minQuantity);
  return { entry, tiers };
}

/** Sets a product's contract price on a list (creating the entry or replacing its price and tiers). */
export async function upsertPriceListEntryRow(tx: DbOrTx, e: { priceListId: string; productId: string; unitPriceMinor: bigint; tiers: Tier[] }) {
  const [entry] = await tx
    .insert(priceListEntries)
    .values({ priceListId: e.priceListId, productId: e.productId, unitPriceMinor: e.unitPriceMinor })
    .onConflictDoUpdate({ target: [priceListEntries.priceListId, priceListEntries.productId], set: { unitPriceMinor: e.unitPriceMinor } })
    .returning();
  await tx.delete(priceListTiers).where(eq(priceListTiers.entryId, entry!.id));
  if (e.tiers.length) await tx.insert(priceListTiers).values(e.tiers.map((t) => ({ entryId: entry!.id, ...t })));
  return entry!;
}

/** Removes an entry of that list (an entry of another list is left alone); null when there was none. */
export async function deletePriceListEntry(tx: DbOrTx, priceListId: string, entryId: string) {
  const [removed] = await tx
    .delete(priceListEntries)
    .where(and(eq(priceListEntries.id, entryId), eq(priceListEntries.priceListId, priceListId)))
    .returning();
  return removed ?? null;
}

export async function assignPriceList(tx: DbOrTx, companyId: string, priceListId: string): Promise<void> {
  await tx.insert(priceListAssignments).values({ companyId, priceListId }).onConflictDoNothing();
}

export async function unassignPriceList(tx: DbOrTx, companyId: string, priceListId: string): Promise<void> {
  await tx.delete(priceListAssignments).where(and(eq(priceListAssignments.companyId, companyId), eq(priceListAssignments.priceListId, priceListId)));
}

/** Entries of a list in bulk (seeding): one row per product, returned in the given order. */
export async function insertPriceListEntries(tx: DbOrTx, rows: { priceListId: string; productId: string; unitPriceMinor: bigint }[]) {
  return tx.insert(priceListEntries).values(rows).returning();
}

export async function insertPriceListTiers(tx: DbOrTx, rows: { entryId: string; minQuantity: number; unitPriceMinor: bigint }[]): Promise<void> {
  if (rows.length) await tx.insert(priceListTiers).values(rows);
}
