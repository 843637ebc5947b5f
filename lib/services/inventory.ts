import "server-only";
import { eq, sql } from "drizzle-orm";
import { z } from "zod";
import { inventory, products, stockMovements } from "@/db/schema";
import type { DbOrTx } from "@/db/client";
import { DomainError, fieldError, notFound } from "@/lib/domain/errors";
import { optionalText, requiredText, uuidField } from "@/lib/domain/forms";
import { isUuid } from "@/lib/domain/ids";
import { defineMutation } from "@/lib/mutation";
import { pgConstraint, pgErrorCode } from "@/lib/pg-error";
import { jsonParam, statement } from "@/db/prepared";

export type StockMovementInput = {
  productId: string;
  kind: "receipt" | "adjustment" | "reservation" | "release" | "shipment";
  onHandDelta: number;
  reservedDelta: number;
  reason: string;
  reference?: { type: string; id: string };
  actorId: string | null;
};

export type StockLevel = { productId: string; onHand: number; reserved: number };

/**
 * The only writer of inventory: changes on_hand/reserved by the deltas and records the movement,
 * in the caller's transaction. The database CHECKs refuse negative stock; that refusal becomes a
 * DomainError here so a concurrent change can never oversell.
 */
export async function applyStockMovement(tx: DbOrTx, m: StockMovementInput): Promise<StockLevel> {
  let level: StockLevel | undefined;
  try {
    [level] = await tx
      .update(inventory)
      .set({
        onHand: sql`${inventory.onHand} + ${m.onHandDelta}`,
        reserved: sql`${inventory.reserved} + ${m.reservedDelta}`,
        updatedAt: new Date(),
      })
      .where(eq(inventory.productId, m.productId))
      .returning({ productId: inventory.productId, onHand: inventory.onHand, reserved: inventory.reserved });
  } catch (error) {
    if (pgErrorCode(error) === "23514") {
      const constraint = pgConstraint(error);
      throw new DomainError(
        "conflict",
        constraint === "inventory_reserved_check"
          ? "More stock would be released than is reserved."
          : "Not enough stock: this change would take availability below zero.",
      );
    }
    throw error;
  }
  if (!level) throw notFound("Product");
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

async function lockedLevel(tx: DbOrTx, productId: string) {
  const [row] = await tx
    .select({ onHand: inventory.onHand, reserved: inventory.reserved, sku: products.sku, archivedAt: products.archivedAt })
    .from(inventory)
    .innerJoin(products, eq(products.id, inventory.productId))
    .where(eq(inventory.productId, productId))
    .for("update", { of: inventory });
  if (!row) throw notFound("Product", { entityType: "product", entityId: productId });
  return row;
}

const quantity = (label: string) =>
  z.coerce.number({ error: `Enter ${label}.` }).int("Enter a whole number.");

export const receiveStock = defineMutation({
  name: "stock.receive",
  entityType: "product",
  permission: "stock.manage",
  idempotent: true,
  input: z.object({
    productId: uuidField("product"),
    quantity: quantity("the quantity received").min(1, "Receive at least 1 unit.").max(10_000_000),
    reason: optionalText(500),
  }),
  async run(ctx, input) {
    const before = await lockedLevel(ctx.tx, input.productId);
    const after = await applyStockMovement(ctx.tx, {
      productId: input.productId,
      kind: "receipt",
      onHandDelta: input.quantity,
      reservedDelta: 0,
      reason: input.reason || "Goods received",
      actorId: ctx.actor.id,
    });
    await ctx.audit({
      action: "stock.receive",
      entityType: "product",
      entityId: input.productId,
      before: { onHand: before.onHand },
      after: { onHand: after.onHand },
      reason: input.reason || undefined,
    });
    return after;
  },
});

export const adjustStock = defineMutation({
  name: "stock.adjust",
  entityType: "product",
  permission: "stock.manage",
  idempotent: true,
  input: z.object({
    productId: uuidField("product"),
    countedOnHand: quantity("the counted quantity").min(0, "On hand cannot be negative.").max(10_000_000),
    reason: requiredText("A reason", 500),
  }),
  async run(ctx, input) {
    const before = await lockedLevel(ctx.tx, input.productId);
    if (input.countedOnHand < before.reserved) {
      throw fieldError(
        "countedOnHand",
        `On hand cannot go below the ${before.reserved} units reserved for orders. Release or ship those first.`,
      );
    }
    const delta = input.countedOnHand - before.onHand;
    if (delta === 0) throw fieldError("countedOnHand", `On hand is already ${before.onHand}.`);
    const after = await applyStockMovement(ctx.tx, {
      productId: input.productId,
      kind: "adjustment",
      onHandDelta: delta,
      reservedDelta: 0,
      reason: input.reason,
      actorId: ctx.actor.id,
    });
    await ctx.audit({
      action: "stock.adjust",
      entityType: "product",
      entityId: input.productId,
      before: { onHand: before.onHand },
      after: { onHand: after.onHand },
      reason: input.reason,
    });
    return after;
  },
});

export type OrderStockLine = { productId: string; sku: string; quantity: number };

function perProduct(lines: OrderStockLine[]): { productId: string; sku: string; quantity: number }[] {
  const byProduct = new Map<string, { productId: string; sku: string; quantity: number }>();
  for (const l of lines) {
    const agg = byProduct.get(l.productId) ?? { productId: l.productId, sku: l.sku, quantity: 0 };
    agg.quantity += l.quantity;
    byProduct.set(l.productId, agg);
  }
  // A fixed lock order (by product id) keeps two orders with the same products from deadlocking.
  return [...byProduct.values()].sort((a, b) => (a.productId < b.productId ? -1 : 1));
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

const reserve = statement<never, { lines: string; orderId: string; actorId: string | null }>(
  "inventory.reserve",
  sql`with wanted as (select * from jsonb_to_recordset(${p("lines")}::text::jsonb) as w(product_id uuid, quantity int)),
      reserved as (
        update inventory i set reserved = i.reserved + w.quantity, updated_at = now() from wanted w where i.product_id = w.product_id
      )
      insert into stock_movements (product_id, kind, reserved_delta, reason, reference_type, reference_id, actor_id)
      select w.product_id, 'reservation', w.quantity, 'Quotation accepted', 'order', ${p("orderId")}::text, ${p("actorId")}::uuid
      from wanted w order by w.product_id`,
);

/** What lockOrderStock locked: the reservation to apply, or the shortages (by SKU) that refuse it. */
export type LockedStock = { reservation: { productId: string; quantity: number }[]; shortages: string[] };

/**
 * Locks the inventory rows of an order's products (in product order) and reports what is short;
 * nothing is changed yet. One statement whatever the number of lines.
 */
export async function lockOrderStock(tx: DbOrTx, lines: OrderStockLine[]): Promise<LockedStock> {
  const wanted = perProduct(lines);
  if (wanted.length === 0) return { reservation: [], shortages: [] };
  for (const w of wanted) if (!isUuid(w.productId)) throw notFound("Product");
  const levels = await lockLevels(tx, { productIds: `{${wanted.map((w) => w.productId).join(",")}}` });
  const shortages = wanted
    .map((w) => ({ ...w, available: levels.find((l) => l.product_id === w.productId)?.available ?? 0 }))
    .filter((w) => w.available < w.quantity)
    .map((w) => `${w.sku} (ordered ${w.quantity}, available ${w.available})`);
  return { reservation: wanted.map((w) => ({ productId: w.productId, quantity: w.quantity })), shortages };
}

/**
 * Reserves what lockOrderStock locked, all of it or, if anything is short, nothing (refused with
 * the SKUs): the inventory update and its movements in one statement. The CHECK on inventory stays
 * the last word.
 */
export async function applyReservation(tx: DbOrTx, orderId: string, stock: LockedStock, actorId: string | null): Promise<void> {
  if (stock.shortages.length) {
    throw new DomainError("conflict", `Not enough stock for ${stock.shortages.join(", ")}. Nothing was reserved; change the quantities or ask us for a new quotation.`);
  }
  if (stock.reservation.length === 0) return;
  await reserve(tx, { lines: jsonParam(stock.reservation.map((w) => ({ product_id: w.productId, quantity: w.quantity }))), orderId, actorId });
}

/**
 * Reserves every line of an order or none: quantities are summed per product, the inventory rows
 * are locked, and any shortage is reported by SKU with nothing reserved.
 */
export async function reserveOrderStock(tx: DbOrTx, orderId: string, lines: OrderStockLine[], actorId: string | null): Promise<void> {
  await applyReservation(tx, orderId, await lockOrderStock(tx, lines), actorId);
}

export async function releaseOrderStock(tx: DbOrTx, orderId: string, lines: OrderStockLine[], reason: string, actorId: string | null): Promise<void> {
  for (const w of perProduct(lines)) {
    await applyStockMovement(tx, { productId: w.productId, kind: "release", onHandDelta: 0, reservedDelta: -w.quantity, reason, reference: { type: "order", id: orderId }, actorId });
  }
}

export async function shipOrderStock(tx: DbOrTx, orderId: string, lines: OrderStockLine[], actorId: string | null): Promise<void> {
  for (const w of perProduct(lines)) {
    await applyStockMovement(tx, { productId: w.productId, kind: "shipment", onHandDelta: -w.quantity, reservedDelta: -w.quantity, reason: "Shipped", reference: { type: "order", id: orderId }, actorId });
  }
}
