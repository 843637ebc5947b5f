import "server-only";
import { and, eq, sql } from "drizzle-orm";
import { z } from "zod";
import { orderEvents, orders, paymentAllocations, payments, type Payment } from "@/db/schema";
import { db, queryRows, type Tx } from "@/db/client";
import { parseCreditorReference } from "@/lib/domain/creditor-reference";
import { DomainError, fieldError, notFound } from "@/lib/domain/errors";
import { optionalText, requiredText, uuidField } from "@/lib/domain/forms";
import { formatMoney, minorDigits, parseMoneyInput } from "@/lib/domain/money";
import { allocateOldestFirst, type OpenItem } from "@/lib/domain/receivables";
import { isCustomerRole } from "@/lib/domain/roles";
import { defineMutation, type MutationContext } from "@/lib/mutation";
import { pgConstraint, pgErrorCode } from "@/lib/pg-error";
import { recordAudit } from "./audit";
import { jsonParam, statement, tableRow, together } from "@/db/prepared";
import type { ProviderPayment } from "./payment-providers/types";
import { sellerToday, systemContext, transition, type TransitionContext } from "./orders/common";

/** Open invoices of a company with what is still outstanding (pending and verified payments count). */
export async function openItems(tx: Tx, companyId: string, opts: { lock?: boolean } = {}): Promise<(OpenItem & { currency: string; totalMinor: bigint })[]> {
  const rows = await queryRows<{ id: string; number: string; issue_date: string; due_date: string; currency: string; total_minor: string; allocated: string }>(
    tx,
    sql`select i.id, i.number, i.issue_date::text, i.due_date::text, i.currency, i.total_minor::text,
          coalesce((select sum(a.amount_minor) from payment_allocations a join payments p on p.id = a.payment_id
                    where a.invoice_id = i.id and p.status in ('pending_verification', 'verified')), 0)::text as allocated
        from invoices i where i.company_id = ${companyId} and i.status = 'open'
          and i.currency = (select currency from companies where id = ${companyId})
        order by i.id ${opts.lock ? sql`for update of i` : sql``}`,
  );
  return rows
    .map((r) => ({
      invoiceId: r.id,
      number: r.number,
      issueDate: r.issue_date,
      dueDate: r.due_date,
      currency: r.currency,
      totalMinor: BigInt(r.total_minor),
      outstandingMinor: BigInt(r.total_minor) - BigInt(r.allocated),
    }))
    .filter((r) => r.outstandingMinor > 0n);
}

const paymentRow = tableRow(payments, "p");
const ph = sql.placeholder;

/**
 * The payment and its allocations in one prepared statement (one round trip on the hot path of
 * recording payments). The allocation trigger runs at the end of the statement and sees both.
 */
const insertPaymentStatement = statement<Record<string, unknown>, Record<string, unknown>>(
  "payments.insert_with_allocations",
  sql`with p as (
        insert into payments (company_id, source, status, amount_minor, currency, paid_on, reference, note, provider_event_id, recorded_by, decided_by, decided_at)
        values (${ph("companyId")}, ${ph("source")}::payment_source, ${ph("status")}::payment_status, ${ph("amountMinor")}::bigint, ${ph("currency")}, ${ph("paidOn")}::date,
                ${ph("reference")}, ${ph("note")}, ${ph("providerEventId")}, ${ph("recordedBy")}::uuid, ${ph("decidedBy")}::uuid, ${ph("decidedAt")}::timestamptz)
        returning *),
      a as (
        insert into payment_allocations (payment_id, invoice_id, amount_minor)
        select p.id, x.invoice_id, x.amount_minor from p, jsonb_to_recordset(${ph("allocations")}::jsonb) as x(invoice_id uuid, amount_minor bigint)
        returning 1)
      select ${paymentRow.list}, (select count(*) from a) as allocation_count from p`,
);

/** Inserts a payment with its allocations and audit row; an over-allocation (trigger) becomes a conflict. */
export async function insertPayment(
  ctx: MutationContext,
  values: Omit<typeof payments.$inferInsert, "id" | "createdAt">,
  allocations: { invoiceId: string; amountMinor: bigint }[],
): Promise<Payment> {
  let payment: Payment;
  try {
    const [row] = await insertPaymentStatement(ctx.tx, {
      companyId: values.companyId,
      source: values.source,
      status: values.status,
      amountMinor: values.amountMinor.toString(),
      currency: values.currency,
      paidOn: values.paidOn,
      reference: values.reference ?? "",
      note: values.note ?? "",
      providerEventId: values.providerEventId ?? null,
      recordedBy: values.recordedBy ?? null,
      decidedBy: values.decidedBy ?? null,
      decidedAt: values.decidedAt ? values.decidedAt.toISOString() : null,
      allocations: jsonParam(allocations.map((a) => ({ invoice_id: a.invoiceId, amount_minor: a.amountMinor }))),
    });
    payment = paymentRow.map(row!);
  } catch (error) {
    if (pgErrorCode(error) === "23514" && pgConstraint(error) === "payment_allocations_within_invoice_total") {
      throw new DomainError("conflict", "An invoice would be paid more than its total. Reload: another payment was recorded meanwhile.");
    }
    throw error;
  }
  await ctx.audit({
    action: `payment.${values.source}`,
    entityType: "payment",
    entityId: payment!.id,
    companyId: values.companyId,
    after: { status: payment!.status, amountMinor: payment!.amountMinor, paidOn: payment!.paidOn, reference: payment!.reference, allocations: allocations.map((a) => `${a.invoiceId}: ${a.amountMinor}`).join(", ") },
  });
  return payment!;
}

/**
 * Allocations for a payment: the ones asked for (each within what is outstanding), or oldest
 * first. Invoices are locked, so two payments cannot both take the same outstanding amount.
 */
function plannedAllocations(items: OpenItem[], amountMinor: bigint, asked: { invoiceId: string; amountMinor: bigint }[], currency: string) {
  const outstanding = items.reduce((s, i) => s + i.outstandingMinor, 0n);
  const format = (m: bigint) => formatMoney(m, currency);
  /** Allocations that take all that is outstanding: only those invoices can now be paid in full. */
  const settling = (allocations: { invoiceId: string; amountMinor: bigint }[]) =>
    allocations.filter((a) => a.amountMinor === items.find((i) => i.invoiceId === a.invoiceId)?.outstandingMinor).map((a) => a.invoiceId);
  if (asked.length === 0) {
    if (amountMinor > outstanding) {
      throw fieldError("amount", `The amount is more than the ${format(outstanding)} outstanding on your open invoices.`);
    }
    const allocations = allocateOldestFirst(amountMinor, items).allocations;
    return { allocations, settling: settling(allocations) };
  }
  let sum = 0n;
  for (const a of asked) {
    const item = items.find((i) => i.invoiceId === a.invoiceId);
    if (!item) throw fieldError("allocations", "One of the invoices is not open for payment.");
    if (a.amountMinor > item.outstandingMinor) throw fieldError("allocations", `${item.number}: at most ${format(item.outstandingMinor)} is outstanding.`);
    sum += a.amountMinor;
  }
  if (sum !== amountMinor) throw fieldError("allocations", `The allocations add up to ${format(sum)}, the payment is ${format(amountMinor)}.`);
  return { allocations: asked, settling: settling(asked) };
}

const amountText = z.string({ error: "Enter the amount." }).trim().min(1, "Enter the amount.");
const isoDate = z.string().trim().regex(/^\d{4}-\d{2}-\d{2}$/, "Enter the date as YYYY-MM-DD.");
const allocationInput = z
  .array(z.object({ invoiceId: uuidField("invoice"), amount: amountText }))
  .default([])
  .refine((list) => new Set(list.map((a) => a.invoiceId)).size === list.length, "Name each invoice once.");

function money(text: string, currency: string, field: string): bigint {
  const minor = parseMoneyInput(text, minorDigits(currency));
  if (minor === null || minor <= 0n) throw fieldError(field, "Enter an amount greater than zero, such as 1250.00.");
  return minor;
}

const companyCurrency = (tx: Tx, companyId: string) => queryRows<{ currency: string }>(tx, sql`select currency from companies where id = ${companyId}`);

/** A customer tells us they paid by bank transfer; finance verifies it against the bank. */
export const submitRemittance = defineMutation({
  name: "payment.submit",
  entityType: "payment",
  permission: "payments.submit",
  idempotent: true,
  input: z.object({ amount: amountText, paidOn: isoDate, reference: optionalText(140), note: optionalText(1000), allocations: allocationInput }),
  async run(ctx, input) {
    const companyId = ctx.actor.companyId;
    if (!companyId) throw new DomainError("forbidden", "Only customer users record remittances.");
    if (input.paidOn > sellerToday()) throw fieldError("paidOn", "The payment date cannot be in the future.");
    if (input.reference && /^rf/i.test(input.reference.trim()) && !parseCreditorReference(input.reference)) {
      throw fieldError("reference", "This RF reference has a typo (its check digits do not match). Copy it from the invoice.");
    }
    // Independent reads, sent together: the company's currency, and its open invoices locked.
    const [[company], items] = await together(companyCurrency(ctx.tx, companyId), openItems(ctx.tx, companyId, { lock: true }));
    const currency = company!.currency;
    const amountMinor = money(input.amount, currency, "amount");
    const asked = input.allocations.map((a) => ({ invoiceId: a.invoiceId, amountMinor: money(a.amount, currency, "allocations") }));
    const { allocations } = plannedAllocations(items, amountMinor, asked, currency);
    const payment = await insertPayment(
      ctx,
      { companyId, source: "remittance", status: "pending_verification", amountMinor, currency, paidOn: input.paidOn, reference: input.reference, note: input.note, recordedBy: ctx.actor.id },
      allocations,
    );
    return { paymentId: payment.id, status: payment.status, amountMinor: amountMinor.toString(), allocations: allocations.map((a) => ({ invoiceId: a.invoiceId, amountMinor: a.amountMinor.toString() })) };
  },
});

/** Finance records money that arrived without a remittance (already verified against the bank). */
export const recordManualPayment = defineMutation({
  name: "payment.manual",
  entityType: "payment",
  permission: "payments.manage",
  idempotent: true,
  input: z.object({ companyId: uuidField("company"), amount: amountText, paidOn: isoDate, reference: optionalText(140), note: optionalText(1000), allocations: allocationInput }),
  async run(ctx, input) {
    const [[company], items] = await together(companyCurrency(ctx.tx, input.companyId), openItems(ctx.tx, input.companyId, { lock: true }));
    if (!company) throw fieldError("companyId", "Choose an existing company.");
    const amountMinor = money(input.amount, company.currency, "amount");
    const asked = input.allocations.map((a) => ({ invoiceId: a.invoiceId, amountMinor: money(a.amount, company.currency, "allocations") }));
    const { allocations, settling } = plannedAllocations(items, amountMinor, asked, company.currency);
    const payment = await insertPayment(
      ctx,
      { companyId: input.companyId, source: "manual", status: "verified", amountMinor, currency: company.currency, paidOn: input.paidOn, reference: input.reference, note: input.note, recordedBy: ctx.actor.id, decidedBy: ctx.actor.id, decidedAt: new Date() },
      allocations,
    );
    // The invoices are locked: one this payment does not finish paying cannot be paid in full now.
    if (settling.length) await settleInvoices(ctx, settling);
    return { paymentId: payment.id, status: payment.status };
  },
});

/** Moves a payment from one status to another exactly once: a racing decision finds the status changed. */
async function decide(ctx: MutationContext, paymentId: string, from: Payment["status"], to: Payment["status"], reason: string | null) {
  const [before] = await ctx.tx.select().from(payments).where(eq(payments.id, paymentId));
  if (!before || (isCustomerRole(ctx.actor.role) && before.companyId !== ctx.actor.companyId)) throw notFound("Payment", { entityType: "payment", entityId: paymentId });
  const [after] = await ctx.tx
    .update(payments)
    .set({ status: to, decidedBy: ctx.actor.id, decidedAt: new Date(), decisionReason: reason })
    .where(and(eq(payments.id, paymentId), eq(payments.status, from)))
    .returning();
  if (!after) {
    const [now] = await ctx.tx.select({ status: payments.status }).from(payments).where(eq(payments.id, paymentId));
    throw new DomainError("conflict", `This payment is already ${now?.status.replaceAll("_", " ")}; nothing was changed.`);
  }
  await ctx.audit({ action: `payment.${to === "verified" ? "verify" : to === "rejected" ? "reject" : "refund"}`, entityType: "payment", entityId: paymentId, companyId: after.companyId, before: { status: before.status }, after: { status: after.status }, reason: reason ?? undefined });
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
    await settleInvoices(ctx, await allocatedInvoices(ctx.tx, input.paymentId));
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
    await unsettleInvoices(ctx, await allocatedInvoices(ctx.tx, input.paymentId), "A payment on this invoice was refunded");
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
    // Serialise deliveries of one event; the unique index on provider_event_id is the backstop.
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${eventKey}))`);
    const [existing] = await tx.select({ id: payments.id }).from(payments).where(eq(payments.providerEventId, eventKey));
    if (existing) return { paymentId: existing.id, duplicate: true };
    const ref = parseCreditorReference(p.invoiceReference);
    const [invoice] = await queryRows<{ id: string; company_id: string; currency: string }>(
      tx,
      sql`select id, company_id, currency from invoices where ${ref ? sql`payment_reference = ${ref}` : sql`number = ${p.invoiceReference.trim()}`} and status = 'open' for update`,
    );
    if (!invoice) return { error: "unknown_invoice" as const };
    if (invoice.currency !== p.currency) return { error: "currency_mismatch" as const };
    const outstanding = (await openItems(tx, invoice.company_id)).find((i) => i.invoiceId === invoice.id)?.outstandingMinor ?? 0n;
    const allocated = p.amountMinor < outstanding ? p.amountMinor : outstanding;
    const [payment] = await tx
      .insert(payments)
      .values({ companyId: invoice.company_id, source: "provider", status: "verified", amountMinor: p.amountMinor, currency: p.currency, paidOn: p.paidOn, reference: p.invoiceReference, providerEventId: eventKey, decidedAt: new Date() })
      .returning();
    if (allocated > 0n) await tx.insert(paymentAllocations).values({ paymentId: payment!.id, invoiceId: invoice.id, amountMinor: allocated });
    await settleInvoices(systemContext(tx), [invoice.id]);
    await recordAudit(tx, { actor: "system", request: null }, {
      action: "payment.provider",
      entityType: "payment",
      entityId: payment!.id,
      companyId: invoice.company_id,
      after: { provider, eventId: p.eventId, amountMinor: p.amountMinor, allocatedMinor: allocated, invoiceId: invoice.id },
    });
    return { paymentId: payment!.id, duplicate: false };
  });
}

/** Whether verified payments cover an invoice's total (the only payments that count as paid). */
async function paidInFull(tx: Tx, invoiceId: string): Promise<{ orderId: string; open: boolean; paid: boolean } | null> {
  const [row] = await queryRows<{ order_id: string; open: boolean; paid: boolean }>(
    tx,
    sql`select i.order_id, i.status = 'open' as open,
          coalesce((select sum(a.amount_minor) from payment_allocations a join payments p on p.id = a.payment_id
                    where a.invoice_id = i.id and p.status = 'verified'), 0) >= i.total_minor as paid
        from invoices i where i.id = ${invoiceId}`,
  );
  return row ? { orderId: row.order_id, open: row.open, paid: row.paid } : null;
}

/**
 * After payments are verified: an invoice now paid in full marks its order paid, and a delivered
 * order moves on to "completed" (the state machine's "complete").
 */
export async function settleInvoices(ctx: TransitionContext, invoiceIds: string[]): Promise<void> {
  for (const invoiceId of [...new Set(invoiceIds)].sort()) {
    const invoice = await paidInFull(ctx.tx, invoiceId);
    if (!invoice?.open || !invoice.paid) continue;
    const [order] = await ctx.tx.select().from(orders).where(eq(orders.id, invoice.orderId)).for("update");
    if (!order || order.paidAt) continue;
    const [paid] = await ctx.tx.update(orders).set({ paidAt: new Date(), updatedAt: new Date() }).where(eq(orders.id, order.id)).returning();
    await ctx.tx.insert(orderEvents).values({ orderId: order.id, actorId: ctx.actor?.id ?? null, actorRole: ctx.actor?.role ?? "system", event: "invoice_paid", note: "Invoice paid in full" });
    await ctx.audit({ action: "order.invoice_paid", entityType: "order", entityId: order.id, companyId: order.companyId, after: { paidAt: paid!.paidAt } });
    if (paid!.status === "delivered") await transition(ctx, paid!, "complete");
  }
}

/**
 * After a verified payment no longer counts (refund, undone bank match): an order marked paid whose
 * invoice is no longer paid in full loses the mark, with a timeline entry. A completed order stays
 * completed (the state machine has no way back); its invoice shows what is due again.
 */
export async function unsettleInvoices(ctx: TransitionContext, invoiceIds: string[], note: string): Promise<void> {
  for (const invoiceId of [...new Set(invoiceIds)].sort()) {
    const invoice = await paidInFull(ctx.tx, invoiceId);
    if (!invoice || invoice.paid) continue;
    const [order] = await ctx.tx.select().from(orders).where(eq(orders.id, invoice.orderId)).for("update");
    if (!order?.paidAt || order.status === "completed") continue;
    await ctx.tx.update(orders).set({ paidAt: null, updatedAt: new Date() }).where(eq(orders.id, order.id));
    await ctx.tx.insert(orderEvents).values({ orderId: order.id, actorId: ctx.actor?.id ?? null, actorRole: ctx.actor?.role ?? "system", event: "invoice_unpaid", note });
    await ctx.audit({ action: "order.invoice_unpaid", entityType: "order", entityId: order.id, companyId: order.companyId, before: { paidAt: order.paidAt }, after: { paidAt: null }, reason: note });
  }
}

async function allocatedInvoices(tx: Tx, paymentId: string): Promise<string[]> {
  const rows = await tx.select({ invoiceId: paymentAllocations.invoiceId }).from(paymentAllocations).where(eq(paymentAllocations.paymentId, paymentId));
  return rows.map((r) => r.invoiceId);
}
