import "server-only";
import { uuidString } from "@/lib/domain/ids";
import { z } from "zod";
import { db } from "@/db/client";
import { getCompany } from "@/db/queries/companies";
import { getCart } from "@/db/queries/orders";
import type { Actor } from "@/lib/domain/actor";
import { json } from "@/lib/http/json";
import { addToCart, quickOrder, setCartLine } from "@/lib/services/orders/cart";
import { submitCart } from "@/lib/services/orders/quotations";
import { defineOperation, runApiMutation } from "./operation";
import { orderResponse, orderSchema } from "./orders";
import { problem } from "./problem";
import { money, moneySchema } from "./schemas";

// /api/v1/cart: the key owner's cart, the very cart the portal shows that user (their one draft
// order, kept server-side). An ERP can fill it for a person to review and submit in the browser, or
// submit it itself (POST /cart/submit = "Request quotation"). The writes are the portal's mutations.

const percent = z.string().regex(/^\d+(\.\d+)?$/);

export const cartSchema = z
  .object({
    currency: z.string().length(3),
    poNumber: z.string(),
    notes: z.string(),
    lines: z.array(
      z.object({
        productId: uuidString(),
        sku: z.string(),
        name: z.string(),
        unit: z.string(),
        quantity: z.int(),
        minOrderQuantity: z.int(),
        orderMultiple: z.int(),
        unitPrice: moneySchema.describe("Today's price for this quantity (price list, tier)."),
        priceExplanation: z.string(),
        taxRatePercent: percent,
        net: moneySchema,
        tax: moneySchema,
        total: moneySchema,
        problem: z.string().nullable().describe("Why the cart cannot be submitted with this line as it is (quantity rules, product withdrawn)."),
      }),
    ),
    subtotal: moneySchema,
    tax: moneySchema,
    total: moneySchema,
  })
  .meta({ id: "Cart" });

type CartJson = z.input<typeof cartSchema>;

const staffHasNoCart = () => problem("forbidden", "A staff key has no cart: carts belong to customer users.");

async function cartJson(actor: Actor): Promise<CartJson | null> {
  if (!actor.companyId) return null;
  const cart = await getCart(db, actor);
  if (!cart) {
    const company = await getCompany(db, actor.companyId);
    const currency = company?.currency ?? "EUR";
    return { currency, poNumber: "", notes: "", lines: [], subtotal: money(0n, currency), tax: money(0n, currency), total: money(0n, currency) };
  }
  const m = (minor: bigint) => money(minor, cart.currency);
  return {
    currency: cart.currency,
    poNumber: cart.order.poNumber,
    notes: cart.order.notes,
    lines: cart.lines.map((l) => ({
      productId: l.productId,
      sku: l.sku,
      name: l.name,
      unit: l.unit,
      quantity: l.quantity,
      minOrderQuantity: l.minOrderQuantity,
      orderMultiple: l.orderMultiple,
      unitPrice: m(l.price.unitPriceMinor),
      priceExplanation: l.price.explanation,
      taxRatePercent: (l.taxRateBp / 100).toString(),
      net: m(l.netMinor),
      tax: m(l.taxMinor),
      total: m(l.totalMinor),
      problem: l.problem,
    })),
    subtotal: m(cart.totals.subtotalMinor),
    tax: m(cart.totals.taxMinor),
    total: m(cart.totals.totalMinor),
  };
}

async function cartResponse(actor: Actor): Promise<Response> {
  const cart = await cartJson(actor);
  return cart ? json(cart satisfies CartJson, 200) : staffHasNoCart();
}

export const getCartOperation = defineOperation({
  operationId: "getCart",
  method: "GET",
  path: "/cart",
  tag: "Cart",
  summary: "The cart of the key's owner, priced",
  description:
    "The same cart the portal shows the key's owner (their one draft order, kept server-side): an ERP can fill a cart for a person to review and submit in the browser. Lines are priced at today's prices, with any problem that would stop submission. Customer keys only.",
  scope: "orders:read",
  responses: { 200: { description: "The cart (empty lines when there is none).", schema: cartSchema } },
  handle: ({ actor }) => cartResponse(actor),
});

const quantity = (min: 0 | 1) => z.int().min(min).max(10_000_000);

export const setCartLineOperation = defineOperation({
  operationId: "setCartLine",
  method: "PUT",
  path: "/cart/lines/{productId}",
  tag: "Cart",
  summary: "Set a cart line's quantity (0 removes it)",
  description: "Sets the quantity of a product in the cart, checked against its minimum and pack size; 0 removes the line. Answers the cart.",
  scope: "orders:write",
  params: z.object({ productId: uuidString() }),
  body: z.strictObject({ quantity: quantity(0) }).meta({ id: "SetCartLine" }),
  requestExample: { quantity: 12 },
  responses: { 200: { description: "The cart.", schema: cartSchema } },
  handle: (ctx) => runApiMutation(ctx, setCartLine, { productId: ctx.params.productId, quantity: ctx.body.quantity }, () => cartResponse(ctx.actor)),
});

export const addCartLineOperation = defineOperation({
  operationId: "addCartLine",
  method: "POST",
  path: "/cart/lines",
  tag: "Cart",
  summary: "Add a product to the cart",
  description: "Adds the quantity to the product's cart line (a new line if it is not in the cart). Requires an Idempotency-Key: a retry never adds twice.",
  scope: "orders:write",
  body: z.strictObject({ productId: uuidString(), quantity: quantity(1) }).meta({ id: "AddCartLine" }),
  requestExample: { productId: "2b1f8f7e-4c0e-4c52-9a59-3f0f3c1d2e4a", quantity: 4 },
  // addToCart adds: the portal's form carries a key too.
  idempotency: "required",
  responses: { 200: { description: "The cart.", schema: cartSchema } },
  handle: (ctx) => runApiMutation(ctx, addToCart, ctx.body, () => cartResponse(ctx.actor)),
});

export const quickOrderOperation = defineOperation({
  operationId: "quickOrderCart",
  method: "POST",
  path: "/cart/quick-order",
  tag: "Cart",
  summary: "Add pasted lines (SKU and quantity per line) to the cart",
  description:
    "The portal's quick order: one `SKU quantity` per line (separated by a space, comma, semicolon or tab). All or nothing: any bad line answers 400 with each problem under errors.lines, and nothing is added. Requires an Idempotency-Key.",
  scope: "orders:write",
  body: z.strictObject({ lines: z.string().max(200_000) }).meta({ id: "QuickOrder" }),
  requestExample: { lines: "PT-DRILL-18V 2\nFS-BOLT-M8 100" },
  idempotency: "required",
  responses: { 200: { description: "The cart.", schema: cartSchema } },
  handle: (ctx) => runApiMutation(ctx, quickOrder, ctx.body, () => cartResponse(ctx.actor)),
});

export const submitCartBodySchema = z
  .strictObject({ shipToAddressId: uuidString("Give a ship-to address id (a UUID).").optional().describe("One of your company's ship-to addresses; default: the company's default ship-to.") })
  .meta({ id: "SubmitCart" });

export const submitCartOperation = defineOperation({
  operationId: "submitCart",
  method: "POST",
  path: "/cart/submit",
  tag: "Cart",
  summary: "Submit the cart for quotation",
  description:
    "The portal's \"Request quotation\": the cart becomes an order with its first quotation, and the cart is empty again. The body is optional: `shipToAddressId` picks one of your company's ship-to addresses (GET /me lists them; default: the company's default ship-to); the order keeps a copy of it. An id that is not one of your company's ship-to addresses answers 404. Requires an Idempotency-Key.",
  scope: "orders:write",
  body: submitCartBodySchema,
  bodyOptional: true,
  requestExample: { shipToAddressId: "6f1c2a9e-0b7d-4e55-8a3c-2d9e4f1a7b60" },
  idempotency: "required",
  responses: { 201: { description: "The order, quoted.", schema: orderSchema } },
  handle: (ctx) => runApiMutation(ctx, submitCart, ctx.body, (issued) => orderResponse(ctx.actor, issued.orderId, 201)),
});
