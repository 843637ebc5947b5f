import "server-only";
import { z } from "zod";
import { insertOrderEvent } from "@/db/queries/orders";
import { lockOrderInvoice } from "@/db/queries/order-invoices";
import {
  creditedByReturns,
  insertReturn,
  insertReturnCreditNote,
  insertReturnLines,
  lockReturnRow,
  orderLinesReturnable,
  returnLinesToCredit,
  updateReturnStep,
  type OrderLineReturnable,
} from "@/db/queries/returns";
import type { Return } from "@/db/schema";
import { DomainError, notFound } from "@/lib/domain/errors";
import { FieldProblems } from "@/lib/domain/field-problems";
import { requiredText, uuidField } from "@/lib/domain/forms";
import { isCustomerRole } from "@/lib/domain/roles";
import { returnCredit } from "@/lib/domain/returns";
import { defineMutation, type MutationContext } from "@/lib/mutation";
import { pgConstraint, pgErrorCode } from "@/lib/pg-error";
import { sellerToday } from "@/lib/time-zone";
import { nextDocumentNumber } from "./document-numbers";
import { applyStockMovement } from "./inventory";
import { lockOrder } from "./orders/common";

// Returns (issue 14): the buyer asks to send back shipped goods with a reason (RET-2026-000001),
// staff approve or reject the request, and mark an approved return received: the goods go back on
// hand (stock movement "return") and a credit note (CN, gap-free) credits exactly those lines at the
// invoice's prices. The database keeps what is returned of a line (returns not rejected) within what
// shipped of it, and the credit notes of an invoice within its total (migration returns_guard).

const returnLine = z.object({
  lineNo: z.coerce.number().int().min(1),
  // A string, checked per line below, so a problem names its line and lands next to its field.
  quantity: z.preprocess((v) => (v === undefined || v === null ? "" : v), z.coerce.string().trim()),
});

export const requestReturnInput = z.object({
  orderId: uuidField("order"),
  reason: requiredText("A reason", 1000),
  lines: z.array(returnLine).min(1).max(500),
});

/** The form field of a line's quantity: its errors are reported under this name. */
export const returnQuantityField = (lineNo: number) => `return_${lineNo}`;

function chosenQuantities(lines: OrderLineReturnable[], wanted: z.infer<typeof returnLine>[]) {
  const problems = new FieldProblems();
  const chosen: { line: OrderLineReturnable; quantity: number }[] = [];
  const seen = new Set<number>();
  for (const w of wanted) {
    const field = returnQuantityField(w.lineNo);
    const line = lines.find((l) => l.lineNo === w.lineNo);
    if (!line || seen.has(w.lineNo)) {
      problems.add(field, `Line ${w.lineNo} is not a line of this order${seen.has(w.lineNo) ? " (or is given twice)" : ""}.`);
      continue;
    }
    seen.add(w.lineNo);
    const quantity = w.quantity === "" ? 0 : Number(w.quantity);
    if (!Number.isInteger(quantity)) problems.add(field, `Line ${w.lineNo}: enter a whole quantity (0 returns none of it).`);
    else if (quantity < 0) problems.add(field, `Line ${w.lineNo}: the quantity cannot be negative.`);
    else if (quantity > line.returnable) {
      problems.add(
        field,
        line.shipped === 0
          ? `Line ${w.lineNo} has not shipped yet: only shipped goods can be returned.`
          : line.returnable === 0
            ? `Line ${w.lineNo}: all ${line.shipped} ${line.unit} shipped are already being returned.`
            : `Line ${w.lineNo}: at most ${line.returnable} ${line.unit} can be returned (${line.shipped} shipped, ${line.returned} already being returned).`,
      );
    } else if (quantity > 0) chosen.push({ line, quantity });
  }
  problems.throwIfAny();
  if (chosen.length === 0) throw new DomainError("validation_failed", "Enter a quantity to return for at least one line.");
  return chosen;
}

/** The database's guard (returned ≤ shipped) as the same conflict the service reports. */
async function guarded<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (pgErrorCode(error) === "23514" && pgConstraint(error) === "return_lines_within_shipped") {
      throw new DomainError("conflict", "More would be returned than has shipped: another return of this order was requested at the same time. Reload the order and try again.");
    }
    throw error;
  }
}

export const requestReturn = defineMutation({
  name: "return.request",
  entityType: "return",
  permission: "orders.place",
  idempotent: true,
  input: requestReturnInput,
  async run(ctx, input) {
    // Customers only reach their company's orders (lockOrder scopes by company, else 404).
    const order = await lockOrder(ctx, input.orderId);
    if (!["approved", "shipped", "delivered", "completed"].includes(order.status)) {
      throw new DomainError("conflict", "Only goods of an approved order that have shipped can be returned.");
    }
    // Under the order's row lock: a concurrent request for the same order waits here and then sees
    // what this one asked for. The constraint trigger on return_lines backs this up in the database.
    const lines = await orderLinesReturnable(ctx.tx, order.id);
    const chosen = chosenQuantities(lines, input.lines);
    const number = await nextDocumentNumber(ctx.tx, "RET", Number(sellerToday().slice(0, 4)));
    const ret = await insertReturn(ctx.tx, {
      number,
      orderId: order.id,
      companyId: order.companyId,
      quotationId: chosen[0]!.line.quotationId,
      reason: input.reason,
      requestedBy: ctx.actor.id,
    });
    await guarded(() =>
      insertReturnLines(
        ctx.tx,
        chosen.map((c) => ({ returnId: ret.id, quotationId: c.line.quotationId, lineNo: c.line.lineNo, productId: c.line.productId, quantity: c.quantity })),
      ),
    );
    const lineData = chosen.map((c) => ({ lineNo: c.line.lineNo, productId: c.line.productId, sku: c.line.sku, quantity: c.quantity }));
    const units = chosen.reduce((s, c) => s + c.quantity, 0);
    await insertOrderEvent(ctx.tx, { orderId: order.id, actorId: ctx.actor.id, actorRole: ctx.actor.role, event: "return", note: `${number} requested: ${units} unit${units === 1 ? "" : "s"} (${input.reason})` });
    await ctx.audit({ action: "return.request", entityType: "return", entityId: ret.id, companyId: order.companyId, after: { number, orderId: order.id, reference: order.reference, reason: input.reason, lines: lineData } });
    await ctx.emit({ type: "return.requested", companyId: order.companyId, data: { returnId: ret.id, number, orderId: order.id, reference: order.reference, reason: input.reason, lines: lineData } });
    return { returnId: ret.id, number, status: ret.status, units };
  },
});

async function lockReturnForStaff(ctx: MutationContext, returnId: string): Promise<Return> {
  // Staff only (the permission); a customer could never get here, but scope anyway.
  const ret = await lockReturnRow(ctx.tx, returnId, isCustomerRole(ctx.actor.role) ? { companyId: ctx.actor.companyId ?? "00000000-0000-0000-0000-000000000000" } : {});
  if (!ret) throw notFound("Return", { entityType: "return", entityId: returnId });
  return ret;
}

async function step(ctx: MutationContext, ret: Return, patch: Parameters<typeof updateReturnStep>[3]): Promise<Return> {
  const updated = await updateReturnStep(ctx.tx, ret.id, ret.status, patch);
  if (!updated) throw new DomainError("conflict", "This return was changed by someone else at the same time. Reload the order and try again.");
  return updated;
}

function refuseUnless(ret: Return, allowed: Return["status"][], what: string) {
  if (!allowed.includes(ret.status)) throw new DomainError("conflict", `Return ${ret.number} is ${ret.status}: it cannot be ${what} now.`);
}

export const approveReturn = defineMutation({
  name: "return.approve",
  entityType: "return",
  permission: "orders.fulfil",
  input: z.object({ returnId: uuidField("return") }),
  async run(ctx, input) {
    const ret = await lockReturnForStaff(ctx, input.returnId);
    refuseUnless(ret, ["requested"], "approved");
    const updated = await step(ctx, ret, { status: "approved", decidedBy: ctx.actor.id, decidedAt: new Date() });
    await insertOrderEvent(ctx.tx, { orderId: ret.orderId, actorId: ctx.actor.id, actorRole: ctx.actor.role, event: "return", note: `${ret.number} approved: send the goods back` });
    await ctx.audit({ action: "return.approve", entityType: "return", entityId: ret.id, companyId: ret.companyId, before: { status: ret.status }, after: { status: updated.status, number: ret.number } });
    await ctx.emit({ type: "return.status_changed", companyId: ret.companyId, data: { returnId: ret.id, number: ret.number, orderId: ret.orderId, previousStatus: ret.status, status: updated.status } });
    return { returnId: ret.id, number: ret.number, status: updated.status };
  },
});

export const rejectReturn = defineMutation({
  name: "return.reject",
  entityType: "return",
  permission: "orders.fulfil",
  input: z.object({ returnId: uuidField("return"), reason: requiredText("A reason", 1000) }),
  async run(ctx, input) {
    const ret = await lockReturnForStaff(ctx, input.returnId);
    refuseUnless(ret, ["requested", "approved"], "rejected");
    const updated = await step(ctx, ret, { status: "rejected", decidedBy: ctx.actor.id, decidedAt: new Date(), rejectionReason: input.reason });
    await insertOrderEvent(ctx.tx, { orderId: ret.orderId, actorId: ctx.actor.id, actorRole: ctx.actor.role, event: "return", note: `${ret.number} rejected: ${input.reason}` });
    await ctx.audit({ action: "return.reject", entityType: "return", entityId: ret.id, companyId: ret.companyId, before: { status: ret.status }, after: { status: updated.status, number: ret.number }, reason: input.reason });
    await ctx.emit({ type: "return.status_changed", companyId: ret.companyId, data: { returnId: ret.id, number: ret.number, orderId: ret.orderId, previousStatus: ret.status, status: updated.status, reason: input.reason } });
    return { returnId: ret.id, number: ret.number, status: updated.status };
  },
});

export const receiveReturn = defineMutation({
  name: "return.receive",
  entityType: "return",
  permission: "orders.fulfil",
  idempotent: true,
  input: z.object({ returnId: uuidField("return") }),
  async run(ctx, input) {
    // The order first (as every order mutation locks it), then the return, then the invoice.
    const peek = await lockReturnForStaff(ctx, input.returnId);
    const order = await lockOrder(ctx, peek.orderId);
    const ret = await lockReturnForStaff(ctx, input.returnId);
    refuseUnless(ret, ["approved"], "received");
    const invoice = await lockOrderInvoice(ctx.tx, order.id);
    if (!invoice || invoice.status !== "open") throw new DomainError("conflict", "This order has no open invoice to credit.");
    const updated = await step(ctx, ret, { status: "received", receivedBy: ctx.actor.id, receivedAt: new Date() });

    const lines = await returnLinesToCredit(ctx.tx, ret.id, invoice.id);
    const before = await creditedByReturns(ctx.tx, invoice.id);
    const credited = lines.map((l) => {
      const so = before.get(l.lineNo) ?? { quantity: 0, netMinor: 0n, taxMinor: 0n };
      const amounts = returnCredit({ quantity: l.invoicedQuantity, netMinor: l.netMinor, taxMinor: l.taxMinor }, so, l.quantity);
      return { ...l, ...amounts };
    });
    // Goods back on hand, one movement per line (products in id order, as stock locks go).
    for (const l of [...credited].sort((a, b) => (a.productId < b.productId ? -1 : a.productId > b.productId ? 1 : a.lineNo - b.lineNo))) {
      await applyStockMovement(ctx.tx, { productId: l.productId, kind: "return", onHandDelta: l.quantity, reservedDelta: 0, reason: `Returned ${ret.number}`, reference: { type: "return", id: ret.id }, actorId: ctx.actor.id });
    }
    const subtotalMinor = credited.reduce((s, l) => s + l.netMinor, 0n);
    const taxMinor = credited.reduce((s, l) => s + l.taxMinor, 0n);
    const issueDate = sellerToday();
    const number = await nextDocumentNumber(ctx.tx, "CN", Number(issueDate.slice(0, 4)));
    const note = await insertReturnCreditNote(
      ctx.tx,
      { number, invoiceId: invoice.id, orderId: order.id, companyId: order.companyId, issueDate, currency: invoice.currency, subtotalMinor, taxMinor, totalMinor: subtotalMinor + taxMinor, reason: `Return ${ret.number}: ${ret.reason}`, returnId: ret.id },
      credited.map((l) => ({
        lineNo: l.lineNo,
        productId: l.productId,
        sku: l.sku,
        name: l.name,
        unit: l.unit,
        quantity: l.quantity,
        unitPriceMinor: l.unitPriceMinor,
        discountBp: l.discountBp,
        netMinor: l.netMinor,
        taxRateBp: l.taxRateBp,
        taxMinor: l.taxMinor,
        totalMinor: l.totalMinor,
        priceExplanation: l.priceExplanation,
      })),
    );
    const lineData = credited.map((l) => ({ lineNo: l.lineNo, productId: l.productId, sku: l.sku, quantity: l.quantity, totalMinor: l.totalMinor }));
    await insertOrderEvent(ctx.tx, { orderId: order.id, actorId: ctx.actor.id, actorRole: ctx.actor.role, event: "return", note: `${ret.number} received: stock back, credit note ${number}` });
    await ctx.audit({ action: "return.receive", entityType: "return", entityId: ret.id, companyId: order.companyId, before: { status: ret.status }, after: { status: updated.status, number: ret.number, lines: lineData.map(({ lineNo, sku, quantity }) => ({ lineNo, sku, quantity })) } });
    await ctx.audit({ action: "credit_note.issue", entityType: "credit_note", entityId: note.id, companyId: order.companyId, after: { number, invoice: invoice.number, totalMinor: note.totalMinor, return: ret.number }, reason: note.reason });
    await ctx.emit({ type: "return.received", companyId: order.companyId, data: { returnId: ret.id, number: ret.number, orderId: order.id, reference: order.reference, creditNoteId: note.id, creditNoteNumber: number, lines: lineData } });
    await ctx.emit({
      type: "credit_note.issued",
      companyId: order.companyId,
      data: { creditNoteId: note.id, number, invoiceId: invoice.id, invoiceNumber: invoice.number, orderId: order.id, reference: order.reference, totalMinor: note.totalMinor, currency: invoice.currency, returnId: ret.id },
    });
    return { returnId: ret.id, number: ret.number, status: updated.status, creditNoteId: note.id, creditNoteNumber: number, creditNoteTotalMinor: note.totalMinor.toString() };
  },
});
