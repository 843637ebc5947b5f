import "server-only";
import { z } from "zod";
import { lockCompanyInvoices } from "@/db/queries/invoice-balances";
import { insertOrderEvent } from "@/db/queries/orders";
import { countOrderShipments, insertShipment, insertShipmentLines, orderLinesShipping, type OrderLineShipping } from "@/db/queries/shipments";
import { DomainError } from "@/lib/domain/errors";
import { FieldProblems } from "@/lib/domain/field-problems";
import { sellerToday } from "@/lib/time-zone";
import { nextDocumentNumber } from "../document-numbers";
import { optionalText, requiredText, uuidField } from "@/lib/domain/forms";
import { defineMutation, type MutationContext } from "@/lib/mutation";
import { shipOrderStock } from "../inventory";
import { releaseRemittancesOfCancelledInvoices } from "../payments";
import { creditInvoice, releaseForOrder } from "./approvals";
import { assertAllowed, lockOrder, transition } from "./common";

// Shipping (issue 14): an approved order ships in one or more shipments, each with its delivery
// note (DN-2026-000001, gap-free). The order stays "approved" (shown as partly shipped) until every
// line has shipped in full; the shipment that completes it moves it to "shipped". Each shipment moves
// its own quantities out of the reservation. The invoice stays the one issued at approval.

const shipLine = z.object({
  lineNo: z.coerce.number().int().min(1),
  // A string, checked per line below, so a problem names its line and lands next to its field.
  quantity: z.preprocess((v) => (v === undefined || v === null ? "" : v), z.coerce.string().trim()),
});

export const shipOrderInput = z.object({
  orderId: uuidField("order"),
  carrier: requiredText("The carrier", 100),
  trackingNumber: optionalText(200),
  /** What to ship of each line; left out: everything that remains. */
  lines: z.array(shipLine).max(500).optional(),
});

/** The form field of a line's quantity: its errors are reported under this name. */
export const shipQuantityField = (lineNo: number) => `quantity_${lineNo}`;

function chosenQuantities(lines: OrderLineShipping[], wanted: z.infer<typeof shipLine>[] | undefined) {
  if (wanted === undefined) return lines.filter((l) => l.remaining > 0).map((l) => ({ line: l, quantity: l.remaining }));
  const problems = new FieldProblems();
  const chosen: { line: OrderLineShipping; quantity: number }[] = [];
  const seen = new Set<number>();
  for (const w of wanted) {
    const field = shipQuantityField(w.lineNo);
    const line = lines.find((l) => l.lineNo === w.lineNo);
    if (!line || seen.has(w.lineNo)) {
      problems.add(field, `Line ${w.lineNo} is not a line of this order${seen.has(w.lineNo) ? " (or is given twice)" : ""}.`);
      continue;
    }
    seen.add(w.lineNo);
    const quantity = w.quantity === "" ? NaN : Number(w.quantity);
    if (!Number.isInteger(quantity)) problems.add(field, `Line ${w.lineNo}: enter a whole quantity (0 ships none of it).`);
    else if (quantity < 0) problems.add(field, `Line ${w.lineNo}: the quantity cannot be negative.`);
    else if (quantity > line.remaining) {
      problems.add(field, line.remaining === 0 ? `Line ${w.lineNo} has shipped in full.` : `Line ${w.lineNo}: only ${line.remaining} ${line.unit} remain to ship.`);
    } else if (quantity > 0) chosen.push({ line, quantity });
  }
  problems.throwIfAny();
  if (chosen.length === 0) throw new DomainError("validation_failed", "Enter a quantity to ship for at least one line.");
  return chosen;
}

export const shipOrder = defineMutation({
  name: "order.ship",
  entityType: "order",
  permission: "orders.fulfil",
  idempotent: true,
  input: shipOrderInput,
  async run(ctx, input) {
    const order = await lockOrder(ctx, input.orderId);
    assertAllowed(order, "ship");
    // Under the order's row lock: a concurrent shipment of the same order waits here and then sees
    // what this one shipped. The constraint trigger on shipment_lines backs this up in the database.
    const lines = await orderLinesShipping(ctx.tx, order.id);
    if (lines.length === 0) throw new DomainError("conflict", "This order has no lines to ship.");
    if (input.lines === undefined && lines.every((l) => l.remaining === 0)) throw new DomainError("conflict", "Everything on this order has shipped.");
    const chosen = chosenQuantities(lines, input.lines);
    const number = await nextDocumentNumber(ctx.tx, "DN", Number(sellerToday().slice(0, 4)));
    const shippedAt = new Date();
    const shipment = await insertShipment(ctx.tx, {
      number,
      orderId: order.id,
      companyId: order.companyId,
      quotationId: chosen[0]!.line.quotationId,
      carrier: input.carrier,
      trackingNumber: input.trackingNumber,
      shipTo: order.shipTo,
      shippedAt,
      shippedBy: ctx.actor.id,
    });
    const inserted = await insertShipmentLines(
      ctx.tx,
      chosen.map((c) => ({ shipmentId: shipment.id, quotationId: c.line.quotationId, lineNo: c.line.lineNo, productId: c.line.productId, quantity: c.quantity })),
    );
    await shipOrderStock(ctx.tx, order.id, chosen.map((c) => ({ productId: c.line.productId, sku: c.line.sku, quantity: c.quantity })), ctx.actor.id, `Shipped ${number}`);

    const shippedNow = new Map(chosen.map((c) => [c.line.lineNo, c.quantity]));
    const after = lines.map((l) => ({ ...l, remaining: l.remaining - (shippedNow.get(l.lineNo) ?? 0) }));
    const remainingUnits = after.reduce((sum, l) => sum + l.remaining, 0);
    const units = chosen.reduce((sum, c) => sum + c.quantity, 0);
    const note = `${number}: ${units} unit${units === 1 ? "" : "s"} with ${`${input.carrier} ${input.trackingNumber}`.trim()}${remainingUnits > 0 ? `; ${remainingUnits} to follow` : ""}`;
    const updated =
      remainingUnits === 0
        ? await transition(ctx, order, "ship", { shippedAt, carrier: input.carrier, trackingNumber: input.trackingNumber }, note)
        : (await insertOrderEvent(ctx.tx, { orderId: order.id, actorId: ctx.actor.id, actorRole: ctx.actor.role, event: "shipment", note }), order);
    const lineData = chosen.map((c) => ({ shipmentLineId: inserted.find((i) => i.lineNo === c.line.lineNo)!.id, lineNo: c.line.lineNo, productId: c.line.productId, sku: c.line.sku, quantity: c.quantity }));
    await ctx.audit({
      action: "shipment.create",
      entityType: "shipment",
      entityId: shipment.id,
      companyId: order.companyId,
      after: { number, orderId: order.id, reference: order.reference, carrier: input.carrier, trackingNumber: input.trackingNumber, lines: lineData.map(({ lineNo, sku, quantity }) => ({ lineNo, sku, quantity })), remainingUnits },
    });
    await ctx.emit({
      type: "shipment.created",
      companyId: order.companyId,
      data: {
        shipmentId: shipment.id,
        number,
        orderId: order.id,
        reference: order.reference,
        carrier: input.carrier,
        trackingNumber: input.trackingNumber,
        lines: lineData,
        remaining: after.filter((l) => l.remaining > 0).map((l) => ({ lineNo: l.lineNo, sku: l.sku, quantity: l.remaining })),
        complete: remainingUnits === 0,
      },
    });
    return { orderId: order.id, status: updated.status, shipmentId: shipment.id, number, shippedUnits: units, remainingUnits };
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
  // Goods that left cannot be un-shipped by a cancellation, and the credit note below would credit
  // them too: a partly shipped order ships the rest (or goods come back as a return), never cancels.
  const shipped = await countOrderShipments(ctx.tx, order.id);
  if (shipped > 0) {
    throw new DomainError("conflict", `Part of this order has shipped (${shipped} shipment${shipped === 1 ? "" : "s"}), so it can no longer be cancelled. Ship the rest instead.`);
  }
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
