import "server-only";
import { z } from "zod";
import { lockCompanyInvoices } from "@/db/queries/invoice-balances";
import { insertOrderEvent } from "@/db/queries/orders";
import { latestQuotation } from "@/db/queries/quotations";
import { optionalText, requiredText, uuidField } from "@/lib/domain/forms";
import { defineMutation, type MutationContext } from "@/lib/mutation";
import { shipOrderStock } from "../inventory";
import { releaseRemittancesOfCancelledInvoices } from "../payments";
import { creditInvoice, releaseForOrder } from "./approvals";
import { lockOrder, transition } from "./common";

export const shipOrder = defineMutation({
  name: "order.ship",
  entityType: "order",
  permission: "orders.fulfil",
  idempotent: true,
  input: z.object({ orderId: uuidField("order"), carrier: requiredText("The carrier", 100), trackingNumber: optionalText(200) }),
  async run(ctx, input) {
    const order = await lockOrder(ctx, input.orderId);
    const updated = await transition(ctx, order, "ship", { shippedAt: new Date(), carrier: input.carrier, trackingNumber: input.trackingNumber }, `${input.carrier} ${input.trackingNumber}`.trim());
    const current = await latestQuotation(ctx.tx, order.id);
    if (current) await shipOrderStock(ctx.tx, order.id, current.lines, ctx.actor.id);
    return { orderId: order.id, status: updated.status };
  },
});

export const deliverOrder = defineMutation({
  name: "order.deliver",
  entityType: "order",
  permission: "orders.fulfil",
  input: z.object({ orderId: uuidField("order") }),
  async run(ctx, input) {
    const order = await lockOrder(ctx, input.orderId);
    const delivered = await transition(ctx, order, "deliver", { deliveredAt: new Date() });
    // Already paid in full: delivery completes it.
    const updated = delivered.paidAt ? await transition(ctx, delivered, "complete") : delivered;
    return { orderId: order.id, status: updated.status };
  },
});

async function cancel(ctx: MutationContext, orderId: string, reason: string, by: "customer" | "staff") {
  const order = await lockOrder(ctx, orderId);
  const updated = await transition(ctx, order, by === "customer" ? "cancel_by_customer" : "cancel_by_staff", { closedAt: new Date(), closeReason: reason }, reason);
  await releaseForOrder(ctx.tx, order, `Cancelled: ${reason}`, ctx.actor.id);
  // The company's open invoices are locked in id order before the invoice is cancelled and its
  // pending remittances move to the others, as recording a payment locks them: two such
  // transactions then queue instead of deadlocking.
  if (order.status === "approved") await lockCompanyInvoices(ctx.tx, { companyId: order.companyId, openOnly: true });
  const credited = order.status === "approved" ? await creditInvoice(ctx.tx, order, reason) : null;
  if (credited) await releaseRemittancesOfCancelledInvoices(ctx, [credited.invoice.id], reason);
  if (credited) {
    await ctx.audit({
      action: "credit_note.issue",
      entityType: "credit_note",
      entityId: credited.creditNote.id,
      companyId: order.companyId,
      after: { number: credited.creditNote.number, invoice: credited.invoice.number, totalMinor: credited.creditNote.totalMinor },
      reason,
    });
    await ctx.emit({
      type: "credit_note.issued",
      companyId: order.companyId,
      data: { creditNoteId: credited.creditNote.id, number: credited.creditNote.number, invoiceId: credited.invoice.id, invoiceNumber: credited.invoice.number, orderId: order.id, reference: order.reference, totalMinor: credited.creditNote.totalMinor, currency: order.currency },
    });
  }
  return { orderId: order.id, status: updated.status, creditNoteNumber: credited?.creditNote.number ?? null };
}

export const cancelOrderByCustomer = defineMutation({
  name: "order.cancel_by_customer",
  entityType: "order",
  permission: "orders.place",
  input: z.object({ orderId: uuidField("order"), reason: requiredText("A reason", 1000) }),
  run: (ctx, input) => cancel(ctx, input.orderId, input.reason, "customer"),
});

export const cancelOrderByStaff = defineMutation({
  name: "order.cancel_by_staff",
  entityType: "order",
  permission: "orders.cancel_any",
  input: z.object({ orderId: uuidField("order"), reason: requiredText("A reason", 1000) }),
  run: (ctx, input) => cancel(ctx, input.orderId, input.reason, "staff"),
});

export const addOrderNote = defineMutation({
  name: "order.add_note",
  entityType: "order",
  permission: "orders.read_all",
  input: z.object({ orderId: uuidField("order"), note: requiredText("A note", 4000) }),
  async run(ctx, input) {
    const order = await lockOrder(ctx, input.orderId);
    await insertOrderEvent(ctx.tx, { orderId: order.id, actorId: ctx.actor.id, actorRole: ctx.actor.role, event: "note", note: input.note, internal: true });
    await ctx.audit({ action: "order.add_note", entityType: "order", entityId: order.id, companyId: order.companyId, after: { note: input.note } });
    return { orderId: order.id };
  },
});
