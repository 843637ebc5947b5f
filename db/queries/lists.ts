import "server-only";
import { and, asc, count, eq, sql } from "drizzle-orm";
import { products, requisitionListLines, requisitionLists, users, type RequisitionList } from "@/db/schema";
import type { DbOrTx } from "@/db/client";

// Requisition lists: every read and write is scoped to the company in SQL, so another company's
// list id finds nothing ("not found", never "forbidden").

/** The company's lists with their line counts, by name. */
export async function listRequisitionLists(db: DbOrTx, companyId: string) {
  return db
    .select({
      id: requisitionLists.id,
      name: requisitionLists.name,
      updatedAt: requisitionLists.updatedAt,
      createdByName: users.name,
      lines: count(requisitionListLines.productId),
    })
    .from(requisitionLists)
    .leftJoin(users, eq(users.id, requisitionLists.createdBy))
    .leftJoin(requisitionListLines, eq(requisitionListLines.listId, requisitionLists.id))
    .where(eq(requisitionLists.companyId, companyId))
    .groupBy(requisitionLists.id, users.name)
    .orderBy(sql`lower(${requisitionLists.name})`, asc(requisitionLists.id));
}

/** One list of the company, or null (another company's list is not found). */
export async function getRequisitionList(db: DbOrTx, companyId: string, listId: string): Promise<RequisitionList | null> {
  const [row] = await db
    .select()
    .from(requisitionLists)
    .where(and(eq(requisitionLists.id, listId), eq(requisitionLists.companyId, companyId)));
  return row ?? null;
}

/** Locks one list of the company for a change, or null. */
export async function lockRequisitionList(tx: DbOrTx, companyId: string, listId: string): Promise<RequisitionList | null> {
  const [row] = await tx
    .select()
    .from(requisitionLists)
    .where(and(eq(requisitionLists.id, listId), eq(requisitionLists.companyId, companyId)))
    .for("update");
  return row ?? null;
}

/** A list's lines with the product's SKU, name, unit and whether it is archived, in the order they were added. */
export async function requisitionListLinesOf(db: DbOrTx, listId: string) {
  return db
    .select({
      productId: requisitionListLines.productId,
      quantity: requisitionListLines.quantity,
      sku: products.sku,
      name: products.name,
      unit: products.unit,
      archived: sql<boolean>`${products.archivedAt} is not null`,
    })
    .from(requisitionListLines)
    .innerJoin(products, eq(products.id, requisitionListLines.productId))
    .where(eq(requisitionListLines.listId, listId))
    .orderBy(asc(requisitionListLines.addedAt), asc(products.sku));
}

/** Whether a list of the company already has this name (case-insensitive), other than `exceptId`. */
export async function requisitionListNameTaken(db: DbOrTx, companyId: string, name: string, exceptId?: string): Promise<boolean> {
  const [row] = await db
    .select({ id: requisitionLists.id })
    .from(requisitionLists)
    .where(
      and(
        eq(requisitionLists.companyId, companyId),
        sql`lower(${requisitionLists.name}) = lower(${name})`,
        exceptId ? sql`${requisitionLists.id} <> ${exceptId}` : undefined,
      ),
    );
  return Boolean(row);
}

export async function insertRequisitionList(tx: DbOrTx, list: { companyId: string; name: string; createdBy: string | null }): Promise<RequisitionList> {
  const [row] = await tx.insert(requisitionLists).values(list).returning();
  return row!;
}

export async function renameRequisitionList(tx: DbOrTx, listId: string, name: string, now = new Date()): Promise<void> {
  await tx.update(requisitionLists).set({ name, updatedAt: now }).where(eq(requisitionLists.id, listId));
}

export async function touchRequisitionList(tx: DbOrTx, listId: string, now = new Date()): Promise<void> {
  await tx.update(requisitionLists).set({ updatedAt: now }).where(eq(requisitionLists.id, listId));
}

export async function deleteRequisitionList(tx: DbOrTx, listId: string): Promise<void> {
  await tx.delete(requisitionLists).where(eq(requisitionLists.id, listId));
}

/**
 * Adds a quantity of a product to a list in one statement: two buyers adding the same product at
 * once end with one line holding the sum (the primary key decides, the loser's insert becomes the
 * update). Returns the line's new quantity.
 */
export async function addRequisitionListQuantity(tx: DbOrTx, line: { listId: string; productId: string; quantity: number }): Promise<number> {
  const [row] = await tx
    .insert(requisitionListLines)
    .values(line)
    .onConflictDoUpdate({
      target: [requisitionListLines.listId, requisitionListLines.productId],
      set: { quantity: sql`${requisitionListLines.quantity} + excluded.quantity` },
    })
    .returning({ quantity: requisitionListLines.quantity });
  return row!.quantity;
}

/** Sets a line's quantity; returns whether the line existed. */
export async function setRequisitionListQuantity(tx: DbOrTx, line: { listId: string; productId: string; quantity: number }): Promise<boolean> {
  const rows = await tx
    .update(requisitionListLines)
    .set({ quantity: line.quantity })
    .where(and(eq(requisitionListLines.listId, line.listId), eq(requisitionListLines.productId, line.productId)))
    .returning({ productId: requisitionListLines.productId });
  return rows.length > 0;
}

/** Removes a line; returns whether it existed. */
export async function deleteRequisitionListLine(tx: DbOrTx, line: { listId: string; productId: string }): Promise<boolean> {
  const rows = await tx
    .delete(requisitionListLines)
    .where(and(eq(requisitionListLines.listId, line.listId), eq(requisitionListLines.productId, line.productId)))
    .returning({ productId: requisitionListLines.productId });
  return rows.length > 0;
}

/** The company's list names and ids, for the "Add to list" picker. */
export async function requisitionListOptions(db: DbOrTx, companyId: string): Promise<{ id: string; name: string }[]> {
  return db
    .select({ id: requisitionLists.id, name: requisitionLists.name })
    .from(requisitionLists)
    .where(eq(requisitionLists.companyId, companyId))
    .orderBy(sql`lower(${requisitionLists.name})`, asc(requisitionLists.id));
}

/** A product by id with what a list line needs (SKU, name, whether archived), or null. */
export async function productForList(db: DbOrTx, productId: string) {
  const [row] = await db
    .select({ id: products.id, sku: products.sku, name: products.name, archived: sql<boolean>`${products.archivedAt} is not null` })
    .from(products)
    .where(eq(products.id, productId));
  return row ?? null;
}
