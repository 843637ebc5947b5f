import "server-only";
import { uuidString } from "@/lib/domain/ids";
import { z } from "zod";
import { db, type Tx } from "@/db/client";
import { getCompany } from "@/db/queries/companies";
import { getOrderDetail, getOrderForApi, listOrders, type ApiOrder } from "@/db/queries/orders";
import type { Actor } from "@/lib/domain/actor";
import { controlCharactersProblem, hasNoControlCharacters } from "@/lib/domain/forms";
import { orderStates } from "@/lib/domain/order-state";
import { isCustomerRole } from "@/lib/domain/roles";
import { addressLines } from "@/lib/domain/addresses";
import { env } from "@/lib/env";
import { json } from "@/lib/http/json";
import { cancelOrderByCustomer, cancelOrderByStaff } from "@/lib/services/orders/fulfilment";
import { acceptQuotation, declineQuotation, placedLinesSchema, placeOrder } from "@/lib/services/orders/quotations";
import { decodeCursor, encodeCursor, queryDigest } from "./cursor";
import { defineOperation, prefersMinimal, receiptResponse, runApiMutation } from "./operation";
import { problem } from "./problem";
import { quotationJson, quotationSchema } from "./quotations";
import { dateSchema, idParams, instant, instantSchema, money, moneySchema, optionalInstant, pageOf, pageQuery } from "./schemas";

// /api/v1/orders: place an order from lines (submitted for quotation at once), list and read orders
// with their timeline, accept a named quotation version, decline, cancel. Reads are the portal's
// queries (listOrders, getOrderForApi, getOrderDetail: scoped to the key's company in SQL); writes are the portal's
// mutations run through runApiMutation, so the audit trail names the key.

const text = (max: number) => z.string().trim().max(max, `At most ${max} characters.`).refine(hasNoControlCharacters, controlCharactersProblem);
const listedStates = orderStates.filter((s) => s !== "draft");
const statusSchema = z.enum(listedStates).describe("The order's status (a quoted order past its quotation's validity reads as expired).");

export const orderSummarySchema = z
  .object({
    id: uuidString(),
    reference: z.string(),
    status: statusSchema,
    poNumber: z.string(),
    companyName: z.string(),
    buyerName: z.string(),
    submittedAt: instantSchema.nullable(),
    updatedAt: instantSchema,
    quotation: z.object({ number: z.string(), version: z.int(), total: moneySchema, validUntil: instantSchema }).nullable().describe("The current quotation version."),
  })
  .meta({ id: "OrderSummary" });

export const orderSchema = z
  .object({
    id: uuidString(),
    reference: z.string(),
    status: statusSchema,
    version: z.int().describe("Moves with every status change."),
    poNumber: z.string(),
    notes: z.string(),
    currency: z.string().length(3),
    company: z.object({ id: uuidString(), name: z.string() }),
    buyer: z.object({ name: z.string(), email: z.string() }),
    submittedAt: instantSchema.nullable(),
    acceptedAt: instantSchema.nullable(),
    approvedAt: instantSchema.nullable(),
    shippedAt: instantSchema.nullable(),
    deliveredAt: instantSchema.nullable(),
    closedAt: instantSchema.nullable(),
    closeReason: z.string().nullable(),
    carrier: z.string().nullable(),
    trackingNumber: z.string().nullable(),
    shipTo: z
      .object({ addressId: uuidString().nullable().describe("The address book entry it was copied from (null once deleted)."), label: z.string(), lines: z.array(z.string()), country: z.string().length(2).nullable() })
      .nullable()
      .describe("The ship-to address as copied onto the order at submission; later edits of the address book do not change it."),
    totals: z.object({ subtotal: moneySchema, tax: moneySchema, total: moneySchema }).nullable().describe("The current quotation's totals."),
    quotation: quotationSchema.nullable().describe("The current quotation version with its lines."),
    approvalReasons: z.array(z.string()).describe("Why the acceptance needs approvals (limits, credit, thresholds)."),
    approvals: z.array(z.object({ step: z.enum(["customer", "sales", "finance"]), decision: z.enum(["approved", "rejected"]), comment: z.string(), decidedAt: instantSchema, approverName: z.string() })),
    timeline: z.array(
      z.object({
        occurredAt: instantSchema,
        event: z.string().describe("submit, revise, accept, ship … (the order's state machine), or note, invoice_paid."),
        fromStatus: z.enum(orderStates).nullable(),
        toStatus: z.enum(orderStates).nullable(),
        note: z.string(),
        actorName: z.string().nullable(),
        actorRole: z.string().nullable(),
      }),
    ),
    invoices: z.array(z.object({ id: uuidString(), number: z.string() })),
    creditNotes: z.array(z.object({ id: uuidString(), number: z.string() })),
  })
  .meta({ id: "Order" });

export type OrderJson = z.input<typeof orderSchema>;

/** A write's answer under `Prefer: return=minimal`: what the mutation itself returned, no read back. */
export const orderReceiptSchema = z
  .strictObject({
    id: uuidString(),
    reference: z.string(),
    status: statusSchema,
    quotation: z.strictObject({ id: uuidString(), number: z.string(), version: z.int(), total: moneySchema }).describe("The quotation issued or accepted."),
    approvalReasons: z.array(z.string()).optional().describe("After an acceptance: why the order waits for each approval."),
  })
  .meta({ id: "OrderReceipt" });

type Receipted = { orderId: string; reference: string; status: string; currency: string; approvalReasons?: string[] } & (
  | { quotationId: string; number: string; version: number; totalMinor: string }
  | { quotation: { id: string; number: string; version: number; totalMinor: string } }
);

/**
 * The receipt, or the whole order when the result (a replay of a key stored before receipts
 * existed) lacks what the receipt shows: the preference is then not applied, as RFC 7240 allows.
 */
function receiptOr(r: Partial<Receipted> & { orderId: string }, status: 200 | 201, whole: () => Promise<Response>): Promise<Response> | Response {
  const complete = typeof r.reference === "string" && typeof r.currency === "string" && ("quotation" in r ? r.quotation !== undefined : typeof (r as { quotationId?: unknown }).quotationId === "string");
  if (!complete) return whole();
  return receiptResponse(orderReceipt(r as Receipted), status, status === 201 ? { location: `/api/v1/orders/${r.orderId}` } : {});
}

function orderReceipt(r: Receipted): z.input<typeof orderReceiptSchema> {
  const q = "quotation" in r ? r.quotation : { id: r.quotationId, number: r.number, version: r.version, totalMinor: r.totalMinor };
  return {
    id: r.orderId,
    reference: r.reference,
    status: r.status as OrderJson["status"],
    quotation: { id: q.id, number: q.number, version: q.version, total: money(q.totalMinor, r.currency) },
    ...(r.approvalReasons ? { approvalReasons: r.approvalReasons } : {}),
  };
}

export function orderJson(d: ApiOrder): OrderJson {
  const o = d.order;
  const q = d.latest;
  return {
    id: o.id,
    reference: o.reference,
    status: d.status as OrderJson["status"],
    version: o.version,
    poNumber: o.poNumber,
    notes: o.notes,
    currency: o.currency,
    company: { id: d.company.id, name: d.company.name },
    buyer: d.buyer,
    submittedAt: optionalInstant(o.submittedAt),
    acceptedAt: optionalInstant(o.acceptedAt),
    approvedAt: optionalInstant(o.approvedAt),
    shippedAt: optionalInstant(o.shippedAt),
    deliveredAt: optionalInstant(o.deliveredAt),
    closedAt: optionalInstant(o.closedAt),
    closeReason: o.closeReason,
    carrier: o.carrier,
    trackingNumber: o.trackingNumber,
    shipTo: o.shipTo ? { addressId: o.shipToAddressId, label: o.shipTo.label, lines: addressLines(o.shipTo), country: o.shipTo.country } : null,
    totals: q ? { subtotal: money(q.subtotalMinor, q.currency), tax: money(q.taxMinor, q.currency), total: money(q.totalMinor, q.currency) } : null,
    quotation: q ? quotationJson(q, q.lines) : null,
    approvalReasons: o.approvalReasons,
    approvals: d.approvals.map((a) => ({ step: a.step, decision: a.decision, comment: a.comment, decidedAt: instant(a.decidedAt), approverName: a.approverName })),
    timeline: d.timeline.map((e) => ({ occurredAt: instant(e.occurredAt), event: e.event, fromStatus: e.fromStatus, toStatus: e.toStatus, note: e.note, actorName: e.actorName, actorRole: e.actorRole })),
    invoices: d.invoices,
    creditNotes: d.creditNotes,
  };
}

/** The order as GET /orders/{id} answers it, `status` (201 for a new one); 404 when the actor may not see it. */
export async function orderResponse(actor: Actor, orderId: string, status: 200 | 201 = 200): Promise<Response> {
  const detail = await getOrderForApi(db, actor, orderId);
  return detail ? json(orderJson(detail) satisfies OrderJson, status) : problem("not_found", "Not found.");
}

export const orderListQuerySchema = z.strictObject({
  status: z.enum([...listedStates, "open", "closed"], { error: `status is one of ${[...listedStates, "open", "closed"].join(", ")}.` }).optional(),
  from: dateSchema.describe("Submitted on or after this date (the company's calendar; staff keys: the seller's).").optional(),
  to: dateSchema.describe("Submitted on or before this date.").optional(),
  q: text(100).describe("Part of the order reference, PO number, quotation number or company name.").optional(),
  ...pageQuery,
});

export const orderPageSchema = pageOf(orderSummarySchema, "OrderPage");

export const listOrdersOperation = defineOperation({
  operationId: "listOrders",
  method: "GET",
  path: "/orders",
  tag: "Orders",
  summary: "List orders, newest submission first",
  description: "Submitted orders (never carts), newest submission first, filtered by status, submission date and text, in cursor pages. A customer key sees its company's orders; a staff key all.",
  scope: "orders:read",
  query: orderListQuerySchema,
  responses: { 200: { description: "A page of orders.", schema: orderPageSchema } },
  async handle({ actor, query }) {
    const { cursor, limit: given, ...filters } = query;
    const limit = given ?? 25;
    if (filters.from && filters.to && filters.from > filters.to) return problem("validation_failed", "from is after to.", { extra: { errors: { from: ["from is after to."] } } });
    const digest = queryDigest({ ...filters, limit });
    const offset = cursor === undefined ? 0 : decodeCursor(cursor, digest);
    if (offset === null) return problem("validation_failed", "The cursor does not belong to this query: start again without it.", { extra: { errors: { cursor: ["Not a cursor of this query."] } } });
    let timeZone = env().SELLER_TIME_ZONE;
    if ((filters.from || filters.to) && isCustomerRole(actor.role) && actor.companyId) timeZone = (await getCompany(db, actor.companyId))?.timeZone ?? timeZone;
    const result = await listOrders(db, actor, {
      status: filters.status,
      q: filters.q,
      submitted: filters.from || filters.to ? { from: filters.from, to: filters.to, timeZone } : undefined,
      sort: "submitted_desc",
      pageSize: limit,
      offset,
    });
    return json(
      {
        data: result.rows.map((r) => ({
          id: r.id,
          reference: r.reference,
          status: r.status as OrderJson["status"],
          poNumber: r.poNumber,
          companyName: r.companyName,
          buyerName: r.buyerName,
          submittedAt: optionalInstant(r.submittedAt),
          updatedAt: instant(r.updatedAt),
          quotation:
            r.quotationNumber !== null && r.quotationVersion !== null && r.totalMinor !== null && r.validUntil !== null
              ? { number: r.quotationNumber, version: r.quotationVersion, total: money(r.totalMinor, r.currency), validUntil: instant(r.validUntil) }
              : null,
        })),
        nextCursor: result.hasNext ? encodeCursor(offset + limit, digest) : null,
      } satisfies z.input<typeof orderPageSchema>,
      200,
    );
  },
});

export const getOrderOperation = defineOperation({
  operationId: "getOrder",
  method: "GET",
  path: "/orders/{id}",
  tag: "Orders",
  summary: "An order with its current quotation, approvals and timeline",
  description: "The order page's data: the current quotation's lines and totals, status, approvals, the timeline of its events and its invoices and credit notes (ids and numbers). Sends an ETag; If-None-Match answers 304 while nothing changed.",
  scope: "orders:read",
  params: idParams,
  responses: { 200: { description: "The order.", schema: orderSchema } },
  async handle({ actor, params }) {
    const detail = await getOrderForApi(db, actor, params.id);
    return detail ? json(orderJson(detail) satisfies OrderJson, 200) : null;
  },
});

const lineExample = [
  { sku: "PT-DRILL-18V", quantity: 2 },
  { productId: "2b1f8f7e-4c0e-4c52-9a59-3f0f3c1d2e4a", quantity: 10 },
];

export const placeOrderBodySchema = z
  .strictObject({
    lines: placedLinesSchema
      .describe("Each line names a product by SKU or id; a product given twice is one line of the summed quantity."),
    poNumber: z.string().max(100).optional(),
    notes: z.string().max(2000).optional(),
    shipToAddressId: uuidString("Give a ship-to address id (a UUID).").optional().describe("One of your company's ship-to addresses (GET /me lists them); default: the company's default ship-to. Another id answers 404."),
  })
  .meta({ id: "PlaceOrder" });

export const placeOrderOperation = defineOperation({
  operationId: "placeOrder",
  method: "POST",
  path: "/orders",
  tag: "Orders",
  summary: "Place an order from lines (submitted for quotation at once)",
  description:
    "Creates an order from the lines and submits it for quotation in one transaction, priced exactly as the portal prices a cart (your company's price lists and quantity tiers of today). The buyer's cart is not touched. Answers 201 with the order and its quotation; accept it with POST /orders/{id}/accept. Requires an Idempotency-Key: a retry with the same key and body answers the same order, never a second one.",
  scope: "orders:write",
  body: placeOrderBodySchema,
  requestExample: { lines: lineExample, poNumber: "PO-4711", notes: "Deliver to gate 3." },
  idempotency: "required",
  responses: { 201: { description: "The order, quoted (with `Prefer: return=minimal`: its receipt).", schema: orderSchema } },
  receipt: orderReceiptSchema,
  handle: (ctx) =>
    prefersMinimal(ctx.http)
      ? runApiMutation(ctx, placeOrder, ctx.body, (placed) => receiptOr(placed, 201, () => orderResponse(ctx.actor, placed.orderId, 201)))
      : runApiMutation(
          ctx,
          placeOrder,
          ctx.body,
          (placed, order) => (order ? json(orderJson(order), 201, { location: `/api/v1/orders/${placed.orderId}` }) : orderResponse(ctx.actor, placed.orderId, 201)),
          (tx: Tx, placed: { orderId: string }) => getOrderForApi(tx, ctx.actor, placed.orderId),
        ),
});

export const acceptOrderOperation = defineOperation({
  operationId: "acceptOrder",
  method: "POST",
  path: "/orders/{id}/accept",
  tag: "Orders",
  summary: "Accept the named quotation version",
  description:
    "Accepts the quotation version you name (the one you reviewed): if it was revised meanwhile the answer is 409 conflict and nothing is accepted. Stock is reserved; the order then waits for approvals (your company's when over a spending limit, the seller's). Requires an Idempotency-Key.",
  scope: "orders:write",
  params: idParams,
  body: z.strictObject({ quotationVersion: z.int().min(1), poNumber: z.string().max(100).optional() }).meta({ id: "AcceptOrder" }),
  requestExample: { quotationVersion: 1, poNumber: "PO-4711" },
  idempotency: "required",
  responses: {
    200: { description: "The accepted order (with `Prefer: return=minimal`: its receipt).", schema: orderSchema },
    409: { description: "The version is not the current one, the order cannot be accepted now, or the quotation expired." },
  },
  receipt: orderReceiptSchema,
  handle: (ctx) => {
    const input = { orderId: ctx.params.id, quotationVersion: ctx.body.quotationVersion, poNumber: ctx.body.poNumber };
    return prefersMinimal(ctx.http)
      ? runApiMutation(ctx, acceptQuotation, input, (accepted) => receiptOr(accepted, 200, () => orderResponse(ctx.actor, ctx.params.id)))
      : runApiMutation(
          ctx,
          acceptQuotation,
          input,
          (_accepted, order) => (order ? json(orderJson(order), 200) : orderResponse(ctx.actor, ctx.params.id)),
          (tx: Tx) => getOrderForApi(tx, ctx.actor, ctx.params.id),
        );
  },
});

const reasonBody = (id: string) => z.strictObject({ reason: z.string().min(1).max(1000) }).meta({ id });

export const declineOrderOperation = defineOperation({
  operationId: "declineOrder",
  method: "POST",
  path: "/orders/{id}/decline",
  tag: "Orders",
  summary: "Decline the quotation",
  description: "Declines the order's quotation, with a reason; the order is closed.",
  scope: "orders:write",
  params: idParams,
  body: reasonBody("DeclineOrder"),
  requestExample: { reason: "Found a cheaper supplier." },
  responses: { 200: { description: "The declined order.", schema: orderSchema }, 409: { description: "The order cannot be declined now." } },
  handle: (ctx) => runApiMutation(ctx, declineQuotation, { orderId: ctx.params.id, reason: ctx.body.reason }, () => orderResponse(ctx.actor, ctx.params.id)),
});

export const cancelOrderOperation = defineOperation({
  operationId: "cancelOrder",
  method: "POST",
  path: "/orders/{id}/cancel",
  tag: "Orders",
  summary: "Cancel an order",
  description:
    "Cancels the order with a reason: a customer key before it is approved; a staff key (sales, admin) at any point before delivery, crediting its invoice. Reserved stock is released.",
  scope: "orders:write",
  params: idParams,
  body: reasonBody("CancelOrder"),
  requestExample: { reason: "Project postponed." },
  responses: { 200: { description: "The cancelled order.", schema: orderSchema }, 409: { description: "The order cannot be cancelled now." } },
  handle: (ctx) =>
    runApiMutation(ctx, isCustomerRole(ctx.actor.role) ? cancelOrderByCustomer : cancelOrderByStaff, { orderId: ctx.params.id, reason: ctx.body.reason }, () => orderResponse(ctx.actor, ctx.params.id)),
});

export const orderQuotationsSchema = z.object({ data: z.array(quotationSchema).describe("Every version, oldest first.") }).meta({ id: "OrderQuotations" });

export const listOrderQuotationsOperation = defineOperation({
  operationId: "listOrderQuotations",
  method: "GET",
  path: "/orders/{id}/quotations",
  tag: "Orders",
  summary: "Every quotation version of an order",
  scope: "orders:read",
  params: idParams,
  responses: { 200: { description: "The versions, oldest first.", schema: orderQuotationsSchema } },
  async handle({ actor, params }) {
    const detail = await getOrderDetail(db, actor, params.id);
    if (!detail) return null;
    return json({ data: detail.versions.map((v) => quotationJson(v, v.lines)) } satisfies z.input<typeof orderQuotationsSchema>, 200);
  },
});
