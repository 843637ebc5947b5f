import "server-only";
import { z } from "zod";
import type { Payment } from "@/db/schema";
import { db, type Tx } from "@/db/client";
import { invoiceBalances, lockCompanyInvoices } from "@/db/queries/invoice-balances";
import { lockOpenInvoiceByReference } from "@/db/queries/invoices";
import { insertOrderEvent, lockOrderRow } from "@/db/queries/orders";
import {
  allocatedInvoiceIds,
  getPayment,
  insertPaymentWithAllocations,
  lockPendingRemittancesOn,
  lockProviderEvent,
  paymentIdByProviderEvent,
  replaceAllocations,
  setOrderPaidAt,
  setPaymentStatusIf,
  type NewPayment,
} from "@/db/queries/payments";
import { together } from "@/db/prepared";
import { parseCreditorReference } from "@/lib/domain/creditor-reference";
import { FieldProblems } from "@/lib/domain/field-problems";
import { DomainError, fieldError, notFound } from "@/lib/domain/errors";
import { calendarDate, optionalText, requiredText, uuidField } from "@/lib/domain/forms";
import { formatMoney, minorDigits, parseMoneyInput } from "@/lib/domain/money";
import { allocateOldestFirst, type OpenItem } from "@/lib/domain/receivables";
import { isCustomerRole } from "@/lib/domain/roles";
import { paymentEventType } from "@/lib/domain/webhook-events";
import { defineMutation, type MutationContext } from "@/lib/mutation";
import { pgConstraint, pgErrorCode } from "@/lib/pg-error";
import { recordAudit } from "./audit";
import type { ProviderPayment } from "./payment-providers/types";
import { systemContext, transition, type TransitionContext } from "./orders/common";
import { sellerToday } from "@/lib/time-zone";
import { earlierDate } from "@/lib/domain/dates";

/**
 * A payment date reported by someone else (a provider, a bank statement line): money received cannot
 * have been paid after today on the seller's calendar (a provider in another zone, a value date in the
 * future), so such a date is taken as today. Receivables as of a date count payments by this date,
 * and the receivables rollup assumes no verified payment is dated after today.
 */
export function notAfterToday(paidOn: string): string {
  return earlierDate(paidOn, sellerToday());
}

/** A payment as webhook receivers see it (amounts in minor units as strings: JSON has no bigint). */
export function paymentEventData(payment: Payment, allocations?: { invoiceId: string; amountMinor: bigint }[]) {
  return {
    paymentId: payment.id,
    status: payment.status,
    source: payment.source,
    amountMinor: payment.amountMinor,
    currency: payment.currency,
    paidOn: payment.paidOn,
    reference: payment.reference,
    ...(allocations ? { allocations: allocations.map((a) => ({ invoiceId: a.invoiceId, amountMinor: a.amountMinor })) } : {}),
  };
}

/** Inserts a payment with its allocations and audit row; an over-allocation (trigger) becomes a conflict. */
export async function insertPayment(ctx: MutationContext, values: NewPayment, allocations: { invoiceId: string; amountMinor: bigint }[]): Promise<Payment> {
  let payment: Payment;
  try {
    payment = await insertPaymentWithAllocations(ctx.tx, values, allocations);
  } catch (error) {
    if (pgErrorCode(error) === "23514" && pgConstraint(error) === "payment_allocations_within_invoice_total") {
      throw new DomainError("conflict", "An invoice would be paid more than its total. Reload: another payment was recorded meanwhile.");
    }
    throw error;
  }
  await ctx.audit({
    action: `payment.${values.source}`,
    entityType: "payment",
    entityId: payment.id,
    companyId: values.companyId,
    after: { status: payment.status, amountMinor: payment.amountMinor, paidOn: payment.paidOn, reference: payment.reference, allocations: allocations.map((a) => `${a.invoiceId}: ${a.amountMinor}`).join(", ") },
  });
  await ctx.emit({ type: "payment.recorded", companyId: values.companyId, data: paymentEventData(payment, allocations) });
  return payment;
}

/**
 * Allocations for a payment: the ones asked for (each within what is outstanding), or oldest
 * first. Invoices are locked, so two payments cannot both take the same outstanding amount.
 */
function plannedAllocations(items: OpenItem[], amountMinor: bigint, asked: { invoiceId: string; amountMinor: bigint }[], currency: string) {
  const outstanding = items.reduce((s, i) => s + i.outstandingMinor, 0n);
  const format = (m: bigint) => formatMoney(m, currency);
  const problems = new FieldProblems();
  /** Allocations that take all that is outstanding: only those invoices can now be paid in full. */
  const settling = (allocations: { invoiceId: string; amountMinor: bigint }[]) =>
    allocations.filter((a) => a.amountMinor === items.find((i) => i.invoiceId === a.invoiceId)?.outstandingMinor).map((a) => a.invoiceId);
  if (asked.length === 0) {
    if (amountMinor > outstanding) problems.add("amount", `The amount is more than the ${format(outstanding)} outstanding on your open invoices.`);
    problems.throwIfAny();
    const allocations = allocateOldestFirst(amountMinor, items).allocations;
    return { allocations, settling: settling(allocations) };
  }
  let sum = 0n;
  for (const a of asked) {
    const item = items.find((i) => i.invoiceId === a.invoiceId);
    if (!item) problems.add("allocations", "One of the invoices is not open for payment.");
    else if (a.amountMinor > item.outstandingMinor) problems.add("allocations", `${item.number}: at most ${format(item.outstandingMinor)} is outstanding.`);
    sum += a.amountMinor;
  }
  if (sum !== amountMinor) problems.add("allocations", `The allocations add up to ${format(sum)}, the payment is ${format(amountMinor)}.`);
  problems.throwIfAny();
  return { allocations: asked, settling: settling(asked) };
}

const amountProblem = "Enter an amount greater than zero, such as 1250.00.";
const rfTypo = "This RF reference has a typo (its check digits do not match). Copy it from the invoice.";

// The schema checks every field it can on its own, so the form reports all of them at once; only
// the decimals of the company's currency are checked by the service (money(), below).
const amountText = z
  .string({ error: "Enter the amount." })
  .trim()
  .superRefine((text, ctx) => {
    if (text === "") ctx.addIssue({ code: "custom", message: "Enter the amount." });
    // Up to 3 decimals here (any currency); the currency's own decimals are checked with it.
    else if ((parseMoneyInput(text, 3) ?? 0n) <= 0n) ctx.addIssue({ code: "custom", message: amountProblem });
  });
/**
 * A date the customer paid on: a real date, not in the future and not before 1 January of last year, both on
 * the seller's calendar (a fixed floor rather than the paid invoice's year: the date is checked before the
 * invoices are chosen, and a payment older than that is a typo such as 1900 for 2026).
 */
const paidOnDate = calendarDate({
  min: () => `${Number(sellerToday().slice(0, 4)) - 1}-01-01`,
  max: () => sellerToday(),
  tooLate: "The payment date cannot be in the future.",
});
/** A customer's payment reference: free text, but an RF creditor reference must have valid check digits. */
const remittanceReference = optionalText(140).refine((ref) => !/^rf/i.test(ref) || parseCreditorReference(ref) !== null, rfTypo);
const allocationInput = z
  .array(z.object({ invoiceId: uuidField("invoice"), amount: amountText }))
  .default([])
  .refine((list) => new Set(list.map((a) => a.invoiceId)).size === list.length, "Name each invoice once.");

/** The amount in minor units, or null (with the problem noted on `field`) when it is not a positive amount. */
function money(text: string, currency: string, field: string, problems: FieldProblems): bigint | null {
  const minor = parseMoneyInput(text, minorDigits(currency));
  if (minor === null || minor <= 0n) {
    if (!problems.has(field)) problems.add(field, amountProblem);
    return null;
  }
  return minor;
}

/** The amount and the asked allocations in minor units; every unreadable amount is noted before failing. */
function amounts(input: { amount: string; allocations: { invoiceId: string; amount: string }[] }, currency: string, problems: FieldProblems) {
  const amountMinor = money(input.amount, currency, "amount", problems);
  const asked = input.allocations.map((a) => ({ invoiceId: a.invoiceId, amountMinor: money(a.amount, currency, "allocations", problems) }));
  problems.throwIfAny();
  return { amountMinor: amountMinor!, asked: asked.map((a) => ({ invoiceId: a.invoiceId, amountMinor: a.amountMinor! })) };
}

/**
 * A payment is in its invoices' currency only (issue 15): the currency a form or client names must be the
 * company's (its invoices'), and an invoice named in another currency is refused by name, not converted.
 */
const paymentCurrency = z.preprocess(
  (v) => (typeof v === "string" && v.trim() !== "" ? v.trim().toUpperCase() : undefined),
  z.string().regex(/^[A-Z]{3}$/, "Use a three-letter ISO 4217 code such as EUR.").optional(),
);

function assertSameCurrency(named: string | undefined, currency: string, balances: Awaited<ReturnType<typeof invoiceBalances>>, asked: { invoiceId: string }[]) {
  const problems = new FieldProblems();
  if (named !== undefined && named !== currency) {
    problems.add("currency", `This company is invoiced in ${currency}; a payment in ${named} cannot be recorded against its invoices. Record the amount in ${currency} as it was credited, or ask finance.`);
  }
  for (const a of asked) {
    const other = balances.find((b) => b.invoiceId === a.invoiceId && b.currency !== (named ?? currency));
    if (other) problems.add("allocations", `${other.number} is in ${other.currency}; a payment in ${named ?? currency} cannot be allocated to it.`);
  }
  problems.throwIfAny();
}

/** A customer tells us they paid by bank transfer; finance verifies it against the bank. */
export const submitRemittance = defineMutation({
  name: "payment.submit",
  entityType: "payment",
  permission: "payments.submit",
  idempotent: true,
  input: z.object({ amount: amountText, currency: paymentCurrency, paidOn: paidOnDate, reference: remittanceReference, note: optionalText(1000), allocations: allocationInput }),
  async run(ctx, input) {
    const companyId = ctx.actor.companyId;
    if (!companyId) throw new DomainError("forbidden", "Only customer users record remittances.");
    // The open invoices locked (the lock answers the currency), their balances read right behind the lock.
    const [currency, balances] = await together(
      lockCompanyInvoices(ctx.tx, { companyId, openOnly: true }),
      invoiceBalances(ctx.tx, { companyId, counting: "verified_and_pending", openOnly: true }),
    );
    if (currency) assertSameCurrency(input.currency, currency, balances, input.allocations);
    const items = openItemsOf(balances, currency);
    const { amountMinor, asked } = amounts(input, currency!, new FieldProblems());
    const { allocations } = plannedAllocations(items, amountMinor, asked, currency!);
    const payment = await insertPayment(
      ctx,
      { companyId, source: "remittance", status: "pending_verification", amountMinor, currency: currency!, paidOn: input.paidOn, reference: input.reference, note: input.note, recordedBy: ctx.actor.id },
      allocations,
    );
    return { paymentId: payment.id, status: payment.status, amountMinor: amountMinor.toString(), allocations: allocations.map((a) => ({ invoiceId: a.invoiceId, amountMinor: a.amountMinor.toString() })) };
  },
});

/** Open items from balances: invoices in the company's currency with something still to allocate, in id order. */
function openItemsOf(balances: Awaited<ReturnType<typeof invoiceBalances>>, currency: string | null) {
  return balances
    .filter((b) => b.currency === currency && b.outstandingMinor > 0n)
    .sort((a, b) => (a.invoiceId < b.invoiceId ? -1 : 1))
    .map((b) => ({ invoiceId: b.invoiceId, number: b.number, issueDate: b.issueDate, dueDate: b.dueDate, currency: b.currency, totalMinor: b.totalMinor, outstandingMinor: b.outstandingMinor }));
}

/** Finance records money that arrived without a remittance (already verified against the bank). */
export const recordManualPayment = defineMutation({
  name: "payment.manual",
  entityType: "payment",
  permission: "payments.manage",
  idempotent: true,
  input: z.object({ companyId: uuidField("company"), amount: amountText, currency: paymentCurrency, paidOn: paidOnDate, reference: optionalText(140), note: optionalText(1000), allocations: allocationInput }),
  async run(ctx, input) {
    // As for a remittance: the lock answers the currency (null: no such company), the balances are read behind it.
    const [currency, balances] = await together(
      lockCompanyInvoices(ctx.tx, { companyId: input.companyId, openOnly: true }),
      invoiceBalances(ctx.tx, { companyId: input.companyId, counting: "verified_and_pending", openOnly: true }),
    );
    if (!currency) throw fieldError("companyId", "Choose an existing company.");
    assertSameCurrency(input.currency, currency, balances, input.allocations);
    const items = openItemsOf(balances, currency);
    const { amountMinor, asked } = amounts(input, currency, new FieldProblems());
    const { allocations, settling } = plannedAllocations(items, amountMinor, asked, currency);
    const payment = await insertPayment(
      ctx,
      { companyId: input.companyId, source: "manual", status: "verified", amountMinor, currency, paidOn: input.paidOn, reference: input.reference, note: input.note, recordedBy: ctx.actor.id, decidedBy: ctx.actor.id, decidedAt: new Date() },
      allocations,
    );
    // The invoices are locked: one this payment does not finish paying cannot be paid in full now.
    if (settling.length) await settleInvoices(ctx, settling);
    return { paymentId: payment.id, status: payment.status };
  },
});

/** Moves a payment from one status to another exactly once: a racing decision finds the status changed. */
async function decide(ctx: MutationContext, paymentId: string, from: Payment["status"], to: Payment["status"], reason: string | null) {
  const before = await getPayment(ctx.tx, paymentId);
  if (!before || (isCustomerRole(ctx.actor.role) && before.companyId !== ctx.actor.companyId)) throw notFound("Payment", { entityType: "payment", entityId: paymentId });
  const after = await setPaymentStatusIf(ctx.tx, { paymentId, from, to, decidedBy: ctx.actor.id, reason });
  if (!after) {
    const now = await getPayment(ctx.tx, paymentId);
    throw new DomainError("conflict", `This payment is already ${now?.status.replaceAll("_", " ")}; nothing was changed.`);
  }
  await ctx.audit({ action: `payment.${to === "verified" ? "verify" : to === "rejected" ? "reject" : "refund"}`, entityType: "payment", entityId: paymentId, companyId: after.companyId, before: { status: before.status }, after: { status: after.status }, reason: reason ?? undefined });
  const type = paymentEventType(after.status);
  if (type) await ctx.emit({ type, companyId: after.companyId, data: { ...paymentEventData(after), previousStatus: before.status, reason } });
  return { paymentId, status: after.status };
}

export const verifyPayment = defineMutation({
  name: "payment.verify",
  entityType: "payment",
  permission: "payments.manage",
  idempotent: true,
  input: z.object({ paymentId: uuidField("payment") }),
  async run(ctx, input) {
    const result = await decide(ctx, input.paymentId, "pending_verification", "verified", null);
    await settleInvoices(ctx, await allocatedInvoiceIds(ctx.tx, input.paymentId));
    return result;
  },
});

export const rejectPayment = defineMutation({
  name: "payment.reject",
  entityType: "payment",
  permission: "payments.manage",
  idempotent: true,
  input: z.object({ paymentId: uuidField("payment"), reason: requiredText("A reason", 1000) }),
  run: (ctx, input) => decide(ctx, input.paymentId, "pending_verification", "rejected", input.reason),
});

export const refundPayment = defineMutation({
  name: "payment.refund",
  entityType: "payment",
  permission: "payments.manage",
  idempotent: true,
  input: z.object({ paymentId: uuidField("payment"), reason: requiredText("A reason", 1000) }),
  async run(ctx, input) {
    const result = await decide(ctx, input.paymentId, "verified", "refunded", input.reason);
    await unsettleInvoices(ctx, await allocatedInvoiceIds(ctx.tx, input.paymentId), "A payment on this invoice was refunded");
    return result;
  },
});

/**
 * Records a payment reported by a provider, verified (the provider collected the money): matched
 * to the invoice by its RF reference or number, allocated up to what is outstanding, and recorded
 * once per provider event id even when the event is delivered again or twice at the same time.
 */
export async function recordProviderPayment(
  provider: string,
  p: ProviderPayment,
): Promise<{ paymentId: string; duplicate: boolean } | { error: "unknown_invoice" | "currency_mismatch" }> {
  const eventKey = `${provider}:${p.eventId}`;
  return db.transaction(async (tx) => {
    await lockProviderEvent(tx, eventKey);
    const existing = await paymentIdByProviderEvent(tx, eventKey);
    if (existing) return { paymentId: existing, duplicate: true };
    const ref = parseCreditorReference(p.invoiceReference);
    const invoice = await lockOpenInvoiceByReference(tx, ref ? { paymentReference: ref } : { number: p.invoiceReference.trim() });
    if (!invoice) return { error: "unknown_invoice" as const };
    if (invoice.currency !== p.currency) return { error: "currency_mismatch" as const };
    // Read after the invoice lock; pending remittances count, as the allocation trigger counts them.
    const [balance] = await invoiceBalances(tx, { invoiceIds: [invoice.id], counting: "verified_and_pending" });
    const outstanding = balance && balance.outstandingMinor > 0n ? balance.outstandingMinor : 0n;
    const allocated = p.amountMinor < outstanding ? p.amountMinor : outstanding;
    const payment = await insertPaymentWithAllocations(
      tx,
      { companyId: invoice.companyId, source: "provider", status: "verified", amountMinor: p.amountMinor, currency: p.currency, paidOn: notAfterToday(p.paidOn), reference: p.invoiceReference, providerEventId: eventKey, decidedAt: new Date() },
      allocated > 0n ? [{ invoiceId: invoice.id, amountMinor: allocated }] : [],
    );
    const system = systemContext(tx);
    await settleInvoices(system, [invoice.id]);
    await system.emit({ type: "payment.recorded", companyId: invoice.companyId, data: paymentEventData(payment, allocated > 0n ? [{ invoiceId: invoice.id, amountMinor: allocated }] : []) });
    await recordAudit(tx, { actor: "system", request: null }, {
      action: "payment.provider",
      entityType: "payment",
      entityId: payment.id,
      companyId: invoice.companyId,
      after: { provider, eventId: p.eventId, amountMinor: p.amountMinor, allocatedMinor: allocated, invoiceId: invoice.id },
    });
    return { paymentId: payment.id, duplicate: false };
  });
}

/** Whether verified payments cover each invoice's total (the only payments that count as paid), in id order. */
async function paidInFull(tx: Tx, invoiceIds: string[]): Promise<{ invoiceId: string; orderId: string; open: boolean; paid: boolean }[]> {
  const balances = await invoiceBalances(tx, { invoiceIds, counting: "verified" });
  return balances
    .map((b) => ({ invoiceId: b.invoiceId, orderId: b.orderId, open: b.status === "open", paid: b.paidMinor >= b.totalMinor }))
    .sort((a, b) => (a.invoiceId < b.invoiceId ? -1 : 1));
}

/**
 * After payments are verified: an invoice now paid in full marks its order paid, and a delivered
 * order moves on to "completed" (the state machine's "complete").
 */
export async function settleInvoices(ctx: TransitionContext, invoiceIds: string[]): Promise<void> {
  if (invoiceIds.length === 0) return;
  for (const invoice of await paidInFull(ctx.tx, invoiceIds)) {
    if (!invoice.open || !invoice.paid) continue;
    const order = await lockOrderRow(ctx.tx, invoice.orderId);
    if (!order || order.paidAt) continue;
    const paid = await setOrderPaidAt(ctx.tx, order.id, new Date());
    await insertOrderEvent(ctx.tx, { orderId: order.id, actorId: ctx.actor?.id ?? null, actorRole: ctx.actor?.role ?? "system", event: "invoice_paid", note: "Invoice paid in full" });
    await ctx.audit({ action: "order.invoice_paid", entityType: "order", entityId: order.id, companyId: order.companyId, after: { paidAt: paid.paidAt } });
    if (paid.status === "delivered") await transition(ctx, paid, "complete");
  }
}

/**
 * After a verified payment no longer counts (refund, undone bank match): an order marked paid whose
 * invoice is no longer paid in full loses the mark, with a timeline entry. A completed order stays
 * completed (the state machine has no way back); its invoice shows what is due again.
 */
export async function unsettleInvoices(ctx: TransitionContext, invoiceIds: string[], note: string): Promise<void> {
  if (invoiceIds.length === 0) return;
  for (const invoice of await paidInFull(ctx.tx, invoiceIds)) {
    if (invoice.paid) continue;
    const order = await lockOrderRow(ctx.tx, invoice.orderId);
    if (!order?.paidAt || order.status === "completed") continue;
    await setOrderPaidAt(ctx.tx, order.id, null);
    await insertOrderEvent(ctx.tx, { orderId: order.id, actorId: ctx.actor?.id ?? null, actorRole: ctx.actor?.role ?? "system", event: "invoice_unpaid", note });
    await ctx.audit({ action: "order.invoice_unpaid", entityType: "order", entityId: order.id, companyId: order.companyId, before: { paidAt: order.paidAt }, after: { paidAt: null }, reason: note });
  }
}

/**
 * Called by order cancellation, in its transaction, after the invoices were cancelled: a customer's
 * remittance awaiting verification on one of them must not stay allocated to a cancelled invoice.
 * It moves to the customer's other open invoices (oldest first) when they have enough outstanding
 * for all of it, else it is rejected with the reason; either way audited. Already verified money is
 * not touched here (a refund is finance's decision).
 */
export async function releaseRemittancesOfCancelledInvoices(ctx: MutationContext, invoiceIds: string[], cancelReason: string): Promise<{ reallocated: string[]; rejected: string[] }> {
  const out = { reallocated: [] as string[], rejected: [] as string[] };
  const remittances = await lockPendingRemittancesOn(ctx.tx, invoiceIds);
  if (remittances.length === 0) return out;
  const cancelled = new Map((await invoiceBalances(ctx.tx, { invoiceIds, counting: "verified_and_pending" })).map((b) => [b.invoiceId, b]));
  for (const payment of remittances) {
    // Its allocations to the cancelled invoices no longer count; the rest stay where they are.
    const kept = payment.allocations.filter((a) => !cancelled.has(a.invoiceId) || cancelled.get(a.invoiceId)!.status === "open");
    const released = payment.allocations.filter((a) => !kept.includes(a));
    if (released.length === 0) continue;
    const releasedMinor = released.reduce((s, a) => s + a.amountMinor, 0n);
    const numbers = released.map((a) => cancelled.get(a.invoiceId)!.number).join(", ");
    // Read after the lock: what the customer's other open invoices can still take.
    const items = (await invoiceBalances(ctx.tx, { companyId: payment.companyId, counting: "verified_and_pending", openOnly: true, lock: true }))
      .filter((b) => b.currency === payment.currency && b.outstandingMinor > 0n && !kept.some((k) => k.invoiceId === b.invoiceId))
      .map((b) => ({ invoiceId: b.invoiceId, number: b.number, issueDate: b.issueDate, dueDate: b.dueDate, outstandingMinor: b.outstandingMinor }));
    const moved = allocateOldestFirst(releasedMinor, items);
    if (moved.unallocatedMinor === 0n) {
      const allocations = [...kept, ...moved.allocations];
      await replaceAllocations(ctx.tx, payment.id, allocations);
      await ctx.audit({
        action: "payment.reallocate",
        entityType: "payment",
        entityId: payment.id,
        companyId: payment.companyId,
        before: { allocations: payment.allocations.map((a) => `${a.invoiceId}: ${a.amountMinor}`).join(", ") },
        after: { allocations: allocations.map((a) => `${a.invoiceId}: ${a.amountMinor}`).join(", ") },
        reason: `Invoice ${numbers} was cancelled`,
      });
      out.reallocated.push(payment.id);
      continue;
    }
    const reason = `Invoice ${numbers} was cancelled (order cancelled: ${cancelReason}); the payment could not be moved to another open invoice.`;
    const rejected = await setPaymentStatusIf(ctx.tx, { paymentId: payment.id, from: "pending_verification", to: "rejected", decidedBy: ctx.actor.id, reason });
    if (!rejected) continue;
    await ctx.audit({ action: "payment.reject", entityType: "payment", entityId: payment.id, companyId: payment.companyId, before: { status: "pending_verification" }, after: { status: "rejected" }, reason });
    await ctx.emit({ type: "payment.rejected", companyId: payment.companyId, data: { ...paymentEventData(rejected), previousStatus: "pending_verification", reason } });
    out.rejected.push(payment.id);
  }
  return out;
}
