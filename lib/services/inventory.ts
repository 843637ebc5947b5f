import "server-only";
import { z } from "zod";
import type { DbOrTx } from "@/db/client";
import { lockAvailable, lockStockLevel, moveStock, reserveStock, type StockLevel, type StockMovementRow } from "@/db/queries/inventory";
import { DomainError, fieldError, notFound } from "@/lib/domain/errors";
import { optionalText, requiredText, uuidField } from "@/lib/domain/forms";
import { isUuid } from "@/lib/domain/ids";
import { defineMutation } from "@/lib/mutation";
import { pgConstraint, pgErrorCode } from "@/lib/pg-error";

export type StockMovementInput = StockMovementRow;
export type { StockLevel };

/**
 * The only writer of inventory: changes on_hand/reserved by the deltas and records the movement,
 * in the caller's transaction. The database CHECKs refuse negative stock; that refusal becomes a
 * DomainError here so a concurrent change can never oversell.
 */
export async function applyStockMovement(tx: DbOrTx, m: StockMovementInput): Promise<StockLevel> {
  let level: StockLevel | null;
  try {
    level = await moveStock(tx, m);
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
  return level;
}

async function lockedLevel(tx: DbOrTx, productId: string) {
  const row = await lockStockLevel(tx, productId);
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
  const available = await lockAvailable(tx, wanted.map((w) => w.productId));
  const shortages = wanted
    .map((w) => ({ ...w, available: available.get(w.productId) ?? 0 }))
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
  await reserveStock(tx, orderId, stock.reservation, actorId);
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

export async function shipOrderStock(tx: DbOrTx, orderId: string, lines: OrderStockLine[], actorId: string | null, reason = "Shipped"): Promise<void> {
  for (const w of perProduct(lines)) {
    await applyStockMovement(tx, { productId: w.productId, kind: "shipment", onHandDelta: -w.quantity, reservedDelta: -w.quantity, reason, reference: { type: "order", id: orderId }, actorId });
  }
}
