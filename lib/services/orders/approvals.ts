import "server-only";
import { z } from "zod";
import { type Order } from "@/db/schema";
import type { Tx } from "@/db/client";
import { insertCreditNoteCancelling, insertInvoice, lockOrderInvoice } from "@/db/queries/order-invoices";
import { insertOrderApproval, orderApprovalsOf } from "@/db/queries/orders";
import { latestQuotation } from "@/db/queries/quotations";
import { approvalStepFor } from "@/lib/domain/approval-rules";
import { creditorReference } from "@/lib/domain/creditor-reference";
import { addDays } from "@/lib/domain/dates";
import { DomainError } from "@/lib/domain/errors";
import { optionalText, requiredText, uuidField } from "@/lib/domain/forms";
import { reservingStates } from "@/lib/domain/order-state";
import { defineMutation, type MutationContext } from "@/lib/mutation";
import { pgErrorCode } from "@/lib/pg-error";
import { nextDocumentNumber } from "../document-numbers";
import { releaseOrderStock } from "../inventory";
import { assertAllowed, loadCompany, lockOrder, transition } from "./common";
import { sellerToday } from "@/lib/time-zone";

async function recordApproval(ctx: MutationContext, order: Order, step: "customer" | "sales" | "finance", decision: "approved" | "rejected", comment: string) {
  try {
    await insertOrderApproval(ctx.tx, { orderId: order.id, step, decision, approverId: ctx.actor.id, comment });
  } catch (error) {
    // The unique keys (one decision per step, one step per person) settle any race the checks missed.
    if (pgErrorCode(error) === "23505") throw new DomainError("conflict", "This approval was already given. Reload the order to see its current state.");
    throw error;
  }
}

/** Issues the invoice for an order, in the final approval's transaction: numbered at issue, gap-free. */
export async function issueInvoice(tx: Tx, order: Order) {
  const current = await latestQuotation(tx, order.id);
  if (!current) throw new DomainError("conflict", "This order has no quotation to invoice.");
  const company = await loadCompany(tx, order.companyId);
  const issueDate = sellerToday();
  const number = await nextDocumentNumber(tx, "INV", Number(issueDate.slice(0, 4)));
  const q = current.quotation;
  return insertInvoice(
    tx,
    {
      number,
      orderId: order.id,
      quotationId: q.id,
      companyId: order.companyId,
      issueDate,
      dueDate: addDays(issueDate, company.paymentTermsDays),
      currency: q.currency,
      subtotalMinor: q.subtotalMinor,
      taxMinor: q.taxMinor,
      totalMinor: q.totalMinor,
      roundingMethod: q.roundingMethod,
      // The rate the accepted quotation used, copied: the invoice never changes when rates do (issue 15).
      fxBase: q.fxBase,
      fxQuote: q.fxQuote,
      fxRate: q.fxRate,
      fxRateDate: q.fxRateDate,
      fxSource: q.fxSource,
      paymentReference: creditorReference(number),
      seller: q.seller,
      customer: { ...q.customer, poNumber: order.poNumber },
    },
    current.lines,
  );
}

export const customerApproveOrder = defineMutation({
  name: "order.customer_approve",
  entityType: "order",
  permission: "orders.customer_approve",
  input: z.object({ orderId: uuidField("order"), comment: optionalText(1000) }),
  async run(ctx, input) {
    const order = await lockOrder(ctx, input.orderId);
    if (order.buyerId === ctx.actor.id) throw new DomainError("conflict", "You placed this order; another administrator of your company must approve it.");
    const updated = await transition(ctx, order, "customer_approve", { customerApproverNote: input.comment }, input.comment);
    await recordApproval(ctx, order, "customer", "approved", input.comment);
    return { orderId: order.id, status: updated.status };
  },
});

export const customerRejectOrder = defineMutation({
  name: "order.customer_reject",
  entityType: "order",
  permission: "orders.customer_approve",
  input: z.object({ orderId: uuidField("order"), reason: requiredText("A reason", 1000) }),
  async run(ctx, input) {
    const order = await lockOrder(ctx, input.orderId);
    const updated = await transition(ctx, order, "customer_reject", { closedAt: new Date(), closeReason: input.reason }, input.reason);
    await recordApproval(ctx, order, "customer", "rejected", input.reason);
    await releaseForOrder(ctx.tx, order, `Rejected: ${input.reason}`, ctx.actor.id);
    return { orderId: order.id, status: updated.status };
  },
});

async function sellerSteps(tx: Tx, order: Order) {
  const given = await orderApprovalsOf(tx, order.id);
  const required: ("sales" | "finance")[] = order.needsFinanceApproval ? ["sales", "finance"] : ["sales"];
  return { given: given.filter((g) => g.step !== "customer"), required };
}

export const approveOrder = defineMutation({
  name: "order.approve",
  entityType: "order",
  permission: "orders.approve",
  input: z.object({ orderId: uuidField("order"), comment: optionalText(1000) }),
  async run(ctx, input) {
    const order = await lockOrder(ctx, input.orderId);
    assertAllowed(order, "seller_approve");
    const { given, required } = await sellerSteps(ctx.tx, order);
    const step = approvalStepFor(ctx.actor.role, required, given, ctx.actor.id);
    if ("error" in step) throw new DomainError("conflict", step.error);
    await recordApproval(ctx, order, step.step, "approved", input.comment);
    const done = required.every((s) => s === step.step || given.some((g) => g.step === s));
    if (!done) {
      const updated = await transition(ctx, order, "seller_approve", {}, `${step.step} approval${input.comment ? `: ${input.comment}` : ""}`);
      return { orderId: order.id, status: updated.status, step: step.step, invoiceNumber: null as string | null };
    }
    const updated = await transition(ctx, order, "final_approve", { approvedAt: new Date() }, `${step.step} approval${input.comment ? `: ${input.comment}` : ""}`);
    // Numbered after the other writes: the invoice sequence row stays locked until commit.
    const invoice = await issueInvoice(ctx.tx, order);
    await ctx.audit({ action: "invoice.issue", entityType: "invoice", entityId: invoice.id, companyId: order.companyId, after: { number: invoice.number, totalMinor: invoice.totalMinor, dueDate: invoice.dueDate } });
    await ctx.emit({ type: "invoice.issued", companyId: order.companyId, data: { invoiceId: invoice.id, number: invoice.number, orderId: order.id, reference: order.reference, totalMinor: invoice.totalMinor, currency: order.currency, dueDate: invoice.dueDate } });
    return { orderId: order.id, status: updated.status, step: step.step, invoiceNumber: invoice.number as string | null };
  },
});

export const rejectOrder = defineMutation({
  name: "order.reject",
  entityType: "order",
  permission: "orders.approve",
  input: z.object({ orderId: uuidField("order"), reason: requiredText("A reason", 1000) }),
  async run(ctx, input) {
    const order = await lockOrder(ctx, input.orderId);
    const updated = await transition(ctx, order, "reject", { closedAt: new Date(), closeReason: input.reason }, input.reason);
    const { given, required } = await sellerSteps(ctx.tx, order);
    const step = approvalStepFor(ctx.actor.role, required, given, ctx.actor.id);
    await recordApproval(ctx, order, "error" in step ? (ctx.actor.role === "finance" ? "finance" : "sales") : step.step, "rejected", input.reason);
    await releaseForOrder(ctx.tx, order, `Rejected: ${input.reason}`, ctx.actor.id);
    return { orderId: order.id, status: updated.status };
  },
});

/** Releases what an order reserved, if its state (before the change) held a reservation. */
export async function releaseForOrder(tx: Tx, order: Order, reason: string, actorId: string | null) {
  if (!reservingStates.includes(order.status)) return;
  const current = await latestQuotation(tx, order.id);
  if (current) await releaseOrderStock(tx, order.id, current.lines, reason, actorId);
}

/** Cancels an issued, unpaid invoice with a credit note for its full amount. */
export async function creditInvoice(tx: Tx, order: Order, reason: string) {
  const invoice = await lockOrderInvoice(tx, order.id);
  if (!invoice || invoice.status !== "open") return null;
  const issueDate = sellerToday();
  const number = await nextDocumentNumber(tx, "CN", Number(issueDate.slice(0, 4)));
  const note = await insertCreditNoteCancelling(tx, {
    number,
    invoiceId: invoice.id,
    orderId: order.id,
    companyId: order.companyId,
    issueDate,
    currency: invoice.currency,
    subtotalMinor: invoice.subtotalMinor,
    taxMinor: invoice.taxMinor,
    totalMinor: invoice.totalMinor,
    reason,
  });
  return { invoice, creditNote: note };
}
