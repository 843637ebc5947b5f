import "server-only";
import { eq, sql } from "drizzle-orm";
import { inventory, products, stockMovements } from "@/db/schema";
import type { DbOrTx } from "@/db/client";
import { jsonParam, statement } from "@/db/prepared";

export type StockLevel = { productId: string; onHand: number; reserved: number };

export type StockMovementRow = {
  productId: string;
  kind: "receipt" | "adjustment" | "reservation" | "release" | "shipment" | "return";
  onHandDelta: number;
  reservedDelta: number;
  reason: string;
  reference?: { type: string; id: string };
  actorId: string | null;
};

/**
 * Changes a product's on_hand/reserved by the deltas (the row's CHECKs refuse negative stock:
 * PostgreSQL error 23514 with the constraint's name) and records the movement. Null when the
 * product has no inventory row (nothing was written).
 */
export async function moveStock(tx: DbOrTx, m: StockMovementRow): Promise<StockLevel | null> {
  const [level] = await tx
    .update(inventory)
    .set({
      onHand: sql`${inventory.onHand} + ${m.onHandDelta}`,
      reserved: sql`${inventory.reserved} + ${m.reservedDelta}`,
      updatedAt: new Date(),
    })
    .where(eq(inventory.productId, m.productId))
    .returning({ productId: inventory.productId, onHand: inventory.onHand, reserved: inventory.reserved });
  if (!level) return null;
  await tx.insert(stockMovements).values({
    productId: m.productId,
    kind: m.kind,
    onHandDelta: m.onHandDelta,
    reservedDelta: m.reservedDelta,
    reason: m.reason,
    referenceType: m.reference?.type ?? null,
    referenceId: m.reference?.id ?? null,
    actorId: m.actorId,
  });
  return level;
}

/** Locks one product's inventory row and reads its level (for a receipt or a count). */
export async function lockStockLevel(tx: DbOrTx, productId: string) {
  const [row] = await tx
    .select({ onHand: inventory.onHand, reserved: inventory.reserved, sku: products.sku, archivedAt: products.archivedAt })
    .from(inventory)
    .innerJoin(products, eq(products.id, inventory.productId))
    .where(eq(inventory.productId, productId))
    .for("update", { of: inventory });
  return row ?? null;
}

const p = sql.placeholder;

// The rows are locked in product order; the product ids come as a uuid[] literal ('{…}') so that
// the statement text is the same for any number of lines.
const lockLevels = statement<{ product_id: string; available: number }, { productIds: string }>(
  "inventory.lock_for_reservation",
  sql`select i.product_id, i.on_hand - i.reserved as available from inventory i
      where i.product_id = any(${p("productIds")}::text::uuid[])
      order by i.product_id for update of i`,
);

/** Locks the inventory rows of these products (in product id order) and reads what is available of each. */
export async function lockAvailable(tx: DbOrTx, productIds: string[]): Promise<Map<string, number>> {
  const rows = await lockLevels(tx, { productIds: `{${productIds.join(",")}}` });
  return new Map(rows.map((r) => [r.product_id, r.available]));
}

const reserveStatement = statement<never, { lines: string; orderId: string; actorId: string | null }>(
  "inventory.reserve",
  sql`with wanted as (select * from jsonb_to_recordset(${p("lines")}::text::jsonb) as w(product_id uuid, quantity int)),
      reserved as (
        update inventory i set reserved = i.reserved + w.quantity, updated_at = now() from wanted w where i.product_id = w.product_id
      )
      insert into stock_movements (product_id, kind, reserved_delta, reason, reference_type, reference_id, actor_id)
      select w.product_id, 'reservation', w.quantity, 'Quotation accepted', 'order', ${p("orderId")}::text, ${p("actorId")}::uuid
      from wanted w order by w.product_id`,
);

/** Reserves the quantities for an order and records the movements, in one statement whatever the number of products. */
export async function reserveStock(tx: DbOrTx, orderId: string, lines: { productId: string; quantity: number }[], actorId: string | null): Promise<void> {
  await reserveStatement(tx, { lines: jsonParam(lines.map((w) => ({ product_id: w.productId, quantity: w.quantity }))), orderId, actorId });
}
