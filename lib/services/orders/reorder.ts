import "server-only";
import { z } from "zod";
import { pricingInputs } from "@/db/queries/catalog";
import { cartQuantities, lockOrderRow, setCartQuantity, updateOrderFields } from "@/db/queries/orders";
import { latestQuotation } from "@/db/queries/quotations";
import { quantityProblem } from "@/lib/domain/catalog";
import { DomainError, notFound } from "@/lib/domain/errors";
import { uuidField } from "@/lib/domain/forms";
import { defineMutation, type MutationContext } from "@/lib/mutation";
import { getOrCreateCart } from "./cart";
import { customerActor } from "./common";

/** A line to copy into the cart: from a past order or a requisition list. */
export type CopyLine = { productId: string; quantity: number; sku: string; name: string };

/** A product that was not put into the cart, and why (named to the buyer, never dropped silently). */
export type SkippedLine = { sku: string; name: string; reason: string };

export type CopyResult = { cartId: string; added: { sku: string; quantity: number }[]; skipped: SkippedLine[] };

/**
 * Adds lines to the buyer's cart at today's prices (the cart always prices live): quantities add to
 * what the cart already holds for the product. A product that can no longer be ordered (archived,
 * not offered to the company) or whose quantity breaks today's ordering rules is named in `skipped`
 * with the reason; the others are added.
 */
export async function copyLinesToCart(ctx: MutationContext, lines: CopyLine[]): Promise<CopyResult> {
  const cart = await getOrCreateCart(ctx.tx, ctx.actor);
  const [current, inputs] = await Promise.all([cartQuantities(ctx.tx, cart.id), pricingInputs(ctx.tx, cart.companyId, lines.map((l) => l.productId))]);
  // The same product twice (never from one order or list, but cheap to honour) is one line.
  const merged = new Map<string, CopyLine>();
  for (const l of lines) {
    const seen = merged.get(l.productId);
    merged.set(l.productId, seen ? { ...seen, quantity: seen.quantity + l.quantity } : { ...l });
  }
  const added: CopyResult["added"] = [];
  const skipped: SkippedLine[] = [];
  for (const l of merged.values()) {
    const p = inputs.get(l.productId);
    if (!p || p.archived) {
      skipped.push({ sku: l.sku, name: l.name, reason: "no longer available" });
      continue;
    }
    const quantity = (current.get(l.productId) ?? 0) + l.quantity;
    const problem = quantityProblem(quantity, { minOrderQuantity: p.minOrderQuantity, orderMultiple: p.orderMultiple, unit: p.unit });
    if (problem) {
      skipped.push({ sku: p.sku, name: p.name, reason: problem });
      continue;
    }
    await setCartQuantity(ctx.tx, { orderId: cart.id, productId: l.productId, quantity });
    added.push({ sku: p.sku, quantity: l.quantity });
  }
  if (added.length > 0) await updateOrderFields(ctx.tx, cart.id, {});
  return { cartId: cart.id, added, skipped };
}

/** "3 products added to your cart. Not added: SKU-1 Name (no longer available)." */
export function copyResultMessage(result: Pick<CopyResult, "added" | "skipped">): string {
  const n = result.added.length;
  const head = n === 0 ? "Nothing was added to your cart." : `${n} ${n === 1 ? "product" : "products"} added to your cart at today's prices.`;
  if (result.skipped.length === 0) return head;
  return `${head} Not added: ${result.skipped.map((s) => `${s.sku} ${s.name} (${s.reason})`).join("; ")}.`;
}

/**
 * "Order again": any past order of the buyer's company (whatever its status) puts its lines, as
 * last quoted, into the buyer's cart at today's prices. Idempotent: a double click adds once.
 */
export const reorder = defineMutation({
  name: "order.reorder",
  entityType: "order",
  permission: "orders.place",
  idempotent: true,
  input: z.object({ orderId: uuidField("order") }),
  async run(ctx, input) {
    customerActor(ctx.actor);
    const order = await lockOrderRow(ctx.tx, input.orderId, { companyId: ctx.actor.companyId });
    // A cart (draft) is nobody's past order; another company's order does not exist for this buyer.
    if (!order || order.status === "draft") {
      throw notFound("Order", { entityType: "order", entityId: input.orderId, companyId: ctx.actor.companyId });
    }
    const quoted = await latestQuotation(ctx.tx, order.id);
    if (!quoted || quoted.lines.length === 0) throw new DomainError("conflict", "This order has no lines to order again.");
    const result = await copyLinesToCart(
      ctx,
      quoted.lines.map((l) => ({ productId: l.productId, quantity: l.quantity, sku: l.sku, name: l.name })),
    );
    await ctx.audit({
      action: "order.reorder",
      entityType: "order",
      entityId: order.id,
      companyId: order.companyId,
      after: { cartId: result.cartId, added: result.added, skipped: result.skipped.map((s) => s.sku) },
    });
    return { ...result, reference: order.reference };
  },
});
