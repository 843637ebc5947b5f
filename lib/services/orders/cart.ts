import "server-only";
import { z } from "zod";
import { type Order } from "@/db/schema";
import { pricingInputs, productSkus } from "@/db/queries/catalog";
import { productsBySku } from "@/db/queries/products";
import { visibleProductIds } from "@/db/queries/assortments";
import { cartQuantities, deleteOrder, insertCart, lockCart, setCartQuantity, updateOrderFields } from "@/db/queries/orders";
import type { Tx } from "@/db/client";
import { quantityProblem } from "@/lib/domain/catalog";
import { DomainError, fieldError } from "@/lib/domain/errors";
import { controlCharactersProblem, hasNoControlCharacters, optionalText, quantityField, uuidField } from "@/lib/domain/forms";
import { parseQuickOrder } from "@/lib/domain/quick-order";
import { defineMutation, type MutationContext } from "@/lib/mutation";
import type { Actor } from "@/lib/domain/actor";
import { customerActor, loadCompany, orderReference } from "./common";

/** The buyer's cart: their one draft order, created on first use (kept server-side, across devices). */
export async function getOrCreateCart(tx: Tx, actor: Actor): Promise<Order> {
  customerActor(actor);
  const existing = await lockCart(tx, actor.id);
  if (existing && existing.companyId === actor.companyId) return existing;
  // A cart left from a company the user no longer belongs to is dropped, never billed to it.
  if (existing) await deleteOrder(tx, existing.id);
  const company = await loadCompany(tx, actor.companyId);
  await insertCart(tx, { reference: orderReference(), companyId: actor.companyId, buyerId: actor.id, currency: company.currency });
  return (await lockCart(tx, actor.id))!;
}

type LineChange = { productId: string; quantity: number; label: string };

/** Sets cart quantities after checking each product's ordering rules; all or nothing. */
async function applyLineChanges(ctx: MutationContext, cart: Order, changes: LineChange[], mode: "add" | "set") {
  const current = await cartQuantities(ctx.tx, cart.id);
  const inputs = await pricingInputs(ctx.tx, cart.companyId, changes.map((c) => c.productId));
  const merged = new Map<string, { quantity: number; label: string }>();
  for (const c of changes) {
    const base = merged.get(c.productId)?.quantity ?? (mode === "add" ? current.get(c.productId) ?? 0 : 0);
    merged.set(c.productId, { quantity: mode === "add" ? base + c.quantity : c.quantity, label: c.label });
  }
  const problems: string[] = [];
  for (const [productId, { quantity, label }] of merged) {
    const p = inputs.get(productId);
    // Removing a line always works, also for a product that was archived or left the company's
    // assortment while in the cart. Outside the assortment a product answers like a missing one.
    if (p && quantity === 0) continue;
    if (!p || p.archived || !p.inAssortment) {
      problems.push(`${label}: this product is no longer available.`);
      continue;
    }
    const problem = quantityProblem(quantity, { minOrderQuantity: p.minOrderQuantity, orderMultiple: p.orderMultiple, unit: p.unit });
    if (problem) problems.push(`${label}: ${problem}`);
  }
  if (problems.length) return problems;
  for (const [productId, { quantity }] of merged) await setCartQuantity(ctx.tx, { orderId: cart.id, productId, quantity });
  await updateOrderFields(ctx.tx, cart.id, {});
  return [];
}

export const addToCart = defineMutation({
  name: "cart.add",
  entityType: "order",
  permission: "orders.place",
  idempotent: true,
  input: z.object({ productId: uuidField("product"), quantity: quantityField(1) }),
  async run(ctx, input) {
    const cart = await getOrCreateCart(ctx.tx, ctx.actor);
    const sku = (await productSkus(ctx.tx, [input.productId])).get(input.productId);
    const problems = await applyLineChanges(ctx, cart, [{ productId: input.productId, quantity: input.quantity, label: sku ?? "Product" }], "add");
    if (problems.length) throw fieldError("quantity", problems[0]!.replace(/^[^:]+: /, ""));
    await ctx.audit({ action: "cart.add", entityType: "order", entityId: cart.id, after: { sku, quantity: input.quantity } });
    return { orderId: cart.id };
  },
});

export const setCartLine = defineMutation({
  name: "cart.set_line",
  entityType: "order",
  permission: "orders.place",
  input: z.object({ productId: uuidField("product"), quantity: quantityField(0) }),
  async run(ctx, input) {
    const cart = await getOrCreateCart(ctx.tx, ctx.actor);
    const sku = (await productSkus(ctx.tx, [input.productId])).get(input.productId);
    const problems = await applyLineChanges(ctx, cart, [{ productId: input.productId, quantity: input.quantity, label: sku ?? "Product" }], "set");
    if (problems.length) throw fieldError("quantity", problems[0]!.replace(/^[^:]+: /, ""));
    await ctx.audit({ action: input.quantity === 0 ? "cart.remove" : "cart.set_line", entityType: "order", entityId: cart.id, after: { sku, quantity: input.quantity } });
    return { orderId: cart.id };
  },
});

export const quickOrder = defineMutation({
  name: "cart.quick_order",
  entityType: "order",
  permission: "orders.place",
  idempotent: true,
  input: z.object({ lines: z.string().max(200_000, "Paste at most 200,000 characters.").refine(hasNoControlCharacters, controlCharactersProblem) }),
  async run(ctx, input) {
    const parsed = parseQuickOrder(input.lines);
    const errors = [...parsed.errors];
    const bySku = await productsBySku(ctx.tx, parsed.lines.map((l) => l.sku));
    const changes: LineChange[] = [];
    // A product outside the company's assortment is, for its buyers, a SKU that does not exist.
    const visible = await visibleProductIds(ctx.tx, ctx.actor.companyId, [...bySku.values()].map((p) => p.id));
    for (const l of parsed.lines) {
      const found = bySku.get(l.sku.toLowerCase());
      const p = found && visible.has(found.id) ? found : undefined;
      if (!p) errors.push(`Line ${l.line}: no product has SKU ${l.sku}.`);
      else changes.push({ productId: p.id, quantity: l.quantity, label: `Line ${l.line} (${p.sku})` });
    }
    const cart = await getOrCreateCart(ctx.tx, ctx.actor);
    if (errors.length === 0) errors.push(...(await applyLineChanges(ctx, cart, changes, "add")));
    if (errors.length) {
      errors.sort((a, b) => Number(/\d+/.exec(a)?.[0] ?? 0) - Number(/\d+/.exec(b)?.[0] ?? 0));
      throw new DomainError("validation_failed", `${errors.length} line${errors.length === 1 ? " needs" : "s need"} fixing; nothing was added.`, { fieldErrors: { lines: errors } });
    }
    await ctx.audit({ action: "cart.quick_order", entityType: "order", entityId: cart.id, after: { lines: changes.length } });
    return { orderId: cart.id, added: changes.length };
  },
});

export const updateCartDetails = defineMutation({
  name: "cart.update_details",
  entityType: "order",
  permission: "orders.place",
  input: z.object({ poNumber: optionalText(100), notes: optionalText(2000) }),
  async run(ctx, input) {
    const cart = await getOrCreateCart(ctx.tx, ctx.actor);
    await updateOrderFields(ctx.tx, cart.id, { poNumber: input.poNumber, notes: input.notes });
    await ctx.audit({ action: "cart.update_details", entityType: "order", entityId: cart.id, before: { poNumber: cart.poNumber, notes: cart.notes }, after: input });
    return { orderId: cart.id };
  },
});


