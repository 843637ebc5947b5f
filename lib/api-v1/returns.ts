import "server-only";
import { z } from "zod";
import { db, type DbOrTx, type Tx } from "@/db/client";
import { listOrderReturns, listReturns, orderLinesReturnable, type OrderLineReturnable, type ReturnSummary } from "@/db/queries/returns";
import { shippableOrderOf } from "@/db/queries/shipments";
import type { Actor } from "@/lib/domain/actor";
import { uuidField } from "@/lib/domain/forms";
import { uuidString } from "@/lib/domain/ids";
import { isCustomerRole } from "@/lib/domain/roles";
import { approveReturn, receiveReturn, rejectReturn, requestReturn } from "@/lib/services/returns";
import { defineOperation, ok, runApiMutation } from "./operation";
import { companyListPage } from "./invoices";
import { idParams, instant, instantSchema, money, moneySchema, optionalInstant, pageOf, pageQuery } from "./schemas";

// /api/v1 returns (issue 14): the buyer asks to send back shipped goods with a reason, staff keys
// approve, reject and mark them received (stock back, a credit note for exactly those lines). Every
// write is the order page's mutation (lib/services/returns.ts) through runApiMutation, so the rules
// (only what shipped, within what is not already being returned; the steps in order) live there
// alone. Reads are scoped to a customer key's company in SQL: another company's return or order is
// a 404, never a 403.

const statuses = ["requested", "approved", "rejected", "received"] as const;

export const returnSchema = z
  .object({
    id: uuidString(),
    number: z.string().describe("RET-YYYY-NNNNNN (gap-free)."),
    orderId: uuidString(),
    orderReference: z.string(),
    status: z.enum(statuses).describe("requested → approved → received; or rejected (from requested or approved)."),
    reason: z.string().describe("Why the buyer sends the goods back."),
    requestedAt: instantSchema,
    requestedBy: z.string().nullable().describe("The name of the user who requested it."),
    decidedAt: instantSchema.nullable().describe("When it was approved or rejected."),
    decidedBy: z.string().nullable(),
    rejectionReason: z.string().nullable(),
    receivedAt: instantSchema.nullable(),
    receivedBy: z.string().nullable(),
    lines: z.array(
      z.object({
        lineNo: z.int().describe("The order line (of the quotation the order was approved on)."),
        sku: z.string(),
        name: z.string(),
        unit: z.string(),
        quantity: z.int().min(1),
      }),
    ),
    creditNote: z
      .object({ id: uuidString(), number: z.string().describe("CN-YYYY-NNNNNN."), total: moneySchema, pdf: z.string().describe("Path of the credit note PDF.") })
      .nullable()
      .describe("Issued when the return is received: it credits exactly the returned lines at the invoice's prices; null before."),
  })
  .meta({ id: "Return" });

type ReturnJson = z.input<typeof returnSchema>;

function returnJson(r: ReturnSummary): ReturnJson {
  return {
    id: r.id,
    number: r.number,
    orderId: r.orderId,
    orderReference: r.orderReference,
    status: r.status,
    reason: r.reason,
    requestedAt: instant(r.requestedAt),
    requestedBy: r.requestedByName,
    decidedAt: optionalInstant(r.decidedAt),
    decidedBy: r.decidedByName,
    rejectionReason: r.rejectionReason,
    receivedAt: optionalInstant(r.receivedAt),
    receivedBy: r.receivedByName,
    lines: r.lines.map((l) => ({ lineNo: l.lineNo, sku: l.sku, name: l.name, unit: l.unit, quantity: l.quantity })),
    creditNote:
      r.creditNoteId && r.creditNoteNumber && r.creditNoteTotalMinor !== null && r.creditNoteCurrency
        ? { id: r.creditNoteId, number: r.creditNoteNumber, total: money(r.creditNoteTotalMinor, r.creditNoteCurrency), pdf: `/api/v1/credit-notes/${r.creditNoteId}/pdf` }
        : null,
  };
}

/** The company a customer key reads (null: it reads nothing); staff keys read every company's (undefined). */
function readScope(actor: Actor): { companyId?: string } | null {
  if (!isCustomerRole(actor.role)) return {};
  return actor.companyId ? { companyId: actor.companyId } : null;
}

/** One return as this actor may see it; null when it does not exist for them. */
async function visibleReturn(tx: DbOrTx, actor: Actor, id: string): Promise<ReturnJson | null> {
  const scope = readScope(actor);
  if (!scope) return null;
  const [found] = await listReturns(tx, { returnId: id, ...scope, limit: 1 });
  return found ? returnJson(found) : null;
}

const orderReturnsSchema = z
  .object({
    data: z.array(returnSchema).describe("Oldest first."),
    lines: z
      .array(
        z.object({
          lineNo: z.int(),
          productId: uuidString(),
          sku: z.string(),
          shipped: z.int(),
          returned: z.int().describe("Taken back by returns that are not rejected."),
          returnable: z.int().describe("What a new return may still ask for (shipped − returned)."),
        }),
      )
      .describe("Every order line with what shipped, what returns take back and what may still be returned."),
  })
  .meta({ id: "OrderReturns" });

function linesJson(lines: OrderLineReturnable[]) {
  return lines.map((l) => ({ lineNo: l.lineNo, productId: l.productId, sku: l.sku, shipped: l.shipped, returned: l.returned, returnable: l.returnable }));
}

async function orderReturns(tx: DbOrTx, actor: Actor, orderId: string): Promise<z.input<typeof orderReturnsSchema> | null> {
  const scope = readScope(actor);
  if (!scope) return null;
  const order = await shippableOrderOf(tx, orderId, scope);
  if (!order) return null;
  const [returns, lines] = await Promise.all([listOrderReturns(tx, { orderId: order.id, companyId: order.companyId }), orderLinesReturnable(tx, order.id)]);
  return { data: returns.map(returnJson), lines: linesJson(lines) };
}

export const listOrderReturnsOperation = defineOperation({
  operationId: "listOrderReturns",
  method: "GET",
  path: "/orders/{id}/returns",
  tag: "Returns",
  summary: "An order's returns, and what may still be returned per line",
  description: "Each return of the order with its lines, status steps and credit note; every order line with the quantity shipped, taken back by returns (not rejected) and still returnable.",
  scope: "orders:read",
  params: idParams,
  responses: { 200: { description: "The order's returns.", schema: orderReturnsSchema } },
  async handle({ actor, params }) {
    const found = await orderReturns(db, actor, params.id);
    return found ? ok(found) : null;
  },
});

export const requestReturnBodySchema = z
  .strictObject({
    reason: z.string().min(1).max(1000).describe("Why the goods go back (shown to staff and on the credit note)."),
    lines: z
      .array(z.strictObject({ lineNo: z.int().min(1), quantity: z.int().min(0).describe("0 returns none of the line.") }))
      .min(1)
      .max(500)
      .describe("What to send back of each order line; at least one quantity above 0."),
  })
  .meta({ id: "RequestReturn" });

export const requestReturnOperation = defineOperation({
  operationId: "requestReturn",
  method: "POST",
  path: "/orders/{id}/returns",
  tag: "Returns",
  summary: "Request a return of shipped goods (customer keys)",
  description:
    "Asks to send back goods of the order that have shipped, with a reason; the return (RET-YYYY-NNNNNN) waits for staff to approve it. A quantity above what may still be returned of a line (shipped − already being returned) answers 400 validation_failed with the line's field (`return_<lineNo>`), as does a line the order does not have; an order that is not approved (or later) is a 409 conflict; another company's order is a 404. Requires an Idempotency-Key. Staff keys: 403.",
  scope: "orders:write",
  params: idParams,
  body: requestReturnBodySchema,
  requestExample: { reason: "Two boxes arrived crushed.", lines: [{ lineNo: 1, quantity: 2 }] },
  idempotency: "required",
  responses: { 201: { description: "The return requested.", schema: returnSchema } },
  handle: (ctx) =>
    runApiMutation(
      ctx,
      requestReturn,
      { orderId: ctx.params.id, reason: ctx.body.reason, lines: ctx.body.lines.map((l) => ({ lineNo: l.lineNo, quantity: String(l.quantity) })) },
      async ({ returnId }, read) => ok(read ?? (await visibleReturn(db, ctx.actor, returnId)), 201),
      (tx: Tx, data: { returnId: string }) => visibleReturn(tx, ctx.actor, data.returnId),
    ),
});

const returnPageSchema = pageOf(returnSchema, "ReturnPage");

export const listReturnsOperation = defineOperation({
  operationId: "listReturns",
  method: "GET",
  path: "/returns",
  tag: "Returns",
  summary: "List returns",
  description: "Newest requested first. A customer key sees its company's returns; a staff key every company's, or one company's with `company` (e.g. `status=requested` for the ones waiting for a decision).",
  scope: "orders:read",
  query: z.strictObject({
    status: z.enum(statuses, { error: `status is one of ${statuses.join(", ")}.` }).optional(),
    order: uuidField("order").optional().describe("One order's returns."),
    company: uuidField("company").optional().describe("Staff keys: one company's returns."),
    ...pageQuery,
  }),
  responses: { 200: { description: "A page of returns.", schema: returnPageSchema } },
  async handle({ actor, query }) {
    const page = await companyListPage(actor, query, (at) => listReturns(db, { ...at, status: query.status, orderId: query.order }));
    if (page instanceof Response) return page;
    return ok({ data: page.data.map(returnJson), nextCursor: page.nextCursor } satisfies z.input<typeof returnPageSchema>);
  },
});

export const getReturnOperation = defineOperation({
  operationId: "getReturn",
  method: "GET",
  path: "/returns/{id}",
  tag: "Returns",
  summary: "A return with its lines, steps and credit note",
  scope: "orders:read",
  params: idParams,
  responses: { 200: { description: "The return.", schema: returnSchema } },
  async handle({ actor, params }) {
    const found = await visibleReturn(db, actor, params.id);
    return found ? ok(found) : null;
  },
});

/** What every staff step shares: the service decides (orders.fulfil: sales and admin keys); the answer is the return after it. */
const stepBase = (step: "approve" | "reject" | "receive") => ({
  method: "POST" as const,
  path: `/returns/{id}/${step}`,
  tag: "Returns",
  scope: "orders:write" as const,
  params: idParams,
  responses: { 200: { description: "The return after this step.", schema: returnSchema } },
});

/** The step's answer: the return read back in the mutation's transaction, or after it on a replay. */
const stepAnswer = (actor: Actor) => ({
  onSuccess: async ({ returnId }: { returnId: string }, read: ReturnJson | null | undefined) => ok(read ?? (await visibleReturn(db, actor, returnId))),
  readBack: (tx: Tx, data: { returnId: string }) => visibleReturn(tx, actor, data.returnId),
});

export const approveReturnOperation = defineOperation({
  ...stepBase("approve"),
  operationId: "approveReturn",
  summary: "Approve a requested return (sales and admin keys)",
  description: "The buyer may send the goods back. A return that is not requested any more is a 409 conflict. Customer and finance keys: 403.",
  handle: (ctx) => {
    const a = stepAnswer(ctx.actor);
    return runApiMutation(ctx, approveReturn, { returnId: ctx.params.id }, a.onSuccess, a.readBack);
  },
});

const rejectBodySchema = z.strictObject({ reason: z.string().min(1).max(1000).describe("Told to the buyer.") }).meta({ id: "RejectReturn" });

export const rejectReturnOperation = defineOperation({
  ...stepBase("reject"),
  operationId: "rejectReturn",
  summary: "Reject a return (sales and admin keys)",
  description: "Refuses a requested or approved return with a reason; its quantities may be asked for again. A received or rejected return is a 409 conflict. Customer and finance keys: 403.",
  body: rejectBodySchema,
  requestExample: { reason: "The goods were used; only unopened boxes can go back." },
  handle: (ctx) => {
    const a = stepAnswer(ctx.actor);
    return runApiMutation(ctx, rejectReturn, { returnId: ctx.params.id, reason: ctx.body.reason }, a.onSuccess, a.readBack);
  },
});

export const receiveReturnOperation = defineOperation({
  ...stepBase("receive"),
  operationId: "receiveReturn",
  summary: "Mark an approved return received (sales and admin keys)",
  description:
    "The goods are back: they go back on hand (a stock movement per line) and a credit note for exactly the returned lines is issued against the order's invoice (`creditNote` in the answer). A return that is not approved, or an order without an open invoice, is a 409 conflict. Requires an Idempotency-Key. Customer and finance keys: 403.",
  idempotency: "required",
  handle: (ctx) => {
    const a = stepAnswer(ctx.actor);
    return runApiMutation(ctx, receiveReturn, { returnId: ctx.params.id }, a.onSuccess, a.readBack);
  },
});
