import "server-only";
import { and, asc, desc, eq, inArray, sql } from "drizzle-orm";
import { companies, invoices, orders, paymentAllocations, payments, paymentStatus, type Order, type Payment } from "@/db/schema";
import { queryRows, type DbOrTx } from "@/db/client";
import { jsonParam, statement, tableRow } from "@/db/prepared";
import { formatMoney } from "@/lib/domain/money";

export type PaymentStatus = Payment["status"];
export type PaymentSource = Payment["source"];

export const paymentStatuses: readonly PaymentStatus[] = paymentStatus.enumValues;

/** A query parameter as a payment status; anything else is no filter. */
export function parsePaymentStatus(value: string | undefined): PaymentStatus | null {
  return (paymentStatuses as readonly string[]).includes(value ?? "") ? (value as PaymentStatus) : null;
}

export type PaymentRow = {
  id: string;
  companyId: string;
  companyName: string;
  amountMinor: bigint;
  currency: string;
  paidOn: string;
  reference: string;
  note: string;
  status: PaymentStatus;
  source: PaymentSource;
  createdAt: Date;
  decidedAt: Date | null;
  decisionReason: string | null;
  /** "INV-2026-000042 €1,250.00, INV-2026-000043 €80.00", or "" when nothing is allocated. */
  allocations: string;
  /** The same allocations with the invoice's order, for links from the number to the order. */
  allocationLinks: { number: string; amount: string; orderId: string }[];
  /**
   * For a remittance awaiting verification: the date of a bank statement payment of the same
   * company and amount, confirmed within 14 days of it, which may be this very transfer.
   */
  possibleDuplicateOf: string | null;
};

export type PaymentListFilter = {
  status?: PaymentStatus | readonly PaymentStatus[];
  /** "oldest" for a work queue (first in, first verified), "newest" for history. */
  order?: "oldest" | "newest";
  limit?: number;
  /** Skip this many rows first (the /api/v1 list's cursor). */
  offset?: number;
  /** One company's payments only (a customer's, scoped in SQL). */
  companyId?: string;
  /** One payment only (its detail). */
  paymentId?: string;
};

/**
 * Payments with their allocations; every company's unless `companyId` narrows it (callers check
 * payments.manage before reading every company's, and pass a customer's own company otherwise).
 */
export async function listPayments(db: DbOrTx, f: PaymentListFilter = {}): Promise<PaymentRow[]> {
  const statuses = f.status === undefined ? undefined : typeof f.status === "string" ? [f.status] : [...f.status];
  if (statuses && statuses.length === 0) return [];
  const limit = Math.min(Math.max(1, f.limit ?? 200), 500);
  // Invoice number and amount pairs, aggregated per payment; formatted below with the payment's currency.
  const allocationPairs = sql<string | null>`(
    select string_agg(i.number || '=' || a.amount_minor::text || '=' || i.order_id::text, ';' order by i.number)
    from payment_allocations a join invoices i on i.id = a.invoice_id
    where a.payment_id = "payments"."id")`;
  const rows = await db
    .select({
      id: payments.id,
      companyId: payments.companyId,
      companyName: companies.name,
      amountMinor: payments.amountMinor,
      currency: payments.currency,
      paidOn: payments.paidOn,
      reference: payments.reference,
      note: payments.note,
      status: payments.status,
      source: payments.source,
      createdAt: payments.createdAt,
      decidedAt: payments.decidedAt,
      decisionReason: payments.decisionReason,
      allocationPairs,
      possibleDuplicateOf: sql<string | null>`(
        select min(b.paid_on)::text from payments b
        where "payments"."status" = 'pending_verification' and b.source = 'bank_statement' and b.status = 'verified'
          and b.company_id = "payments"."company_id" and b.amount_minor = "payments"."amount_minor" and b.currency = "payments"."currency"
          and b.paid_on between "payments"."paid_on" - 14 and "payments"."paid_on" + 14)`,
    })
    .from(payments)
    .innerJoin(companies, eq(companies.id, payments.companyId))
    .where(
      and(
        statuses ? inArray(payments.status, statuses) : undefined,
        f.companyId ? eq(payments.companyId, f.companyId) : undefined,
        f.paymentId ? eq(payments.id, f.paymentId) : undefined,
      ),
    )
    .orderBy(...(f.order === "oldest" ? [asc(payments.createdAt), asc(payments.id)] : [desc(payments.createdAt), desc(payments.id)]))
    .limit(limit)
    .offset(f.offset ?? 0);
  return rows.map(({ allocationPairs: pairs, ...r }) => {
    // "number=amount=orderId" per allocation: the invoice number links to its order on the staff pages.
    const allocationLinks = (pairs ?? "")
      .split(";")
      .filter(Boolean)
      .map((pair) => {
        const [number, amount, orderId] = pair.split("=");
        return { number: number!, amount: formatMoney(BigInt(amount!), r.currency), orderId: orderId! };
      });
    return { ...r, allocations: allocationLinks.map((a) => `${a.number} ${a.amount}`).join(", "), allocationLinks };
  });
}

export type AllocationDetail = { paymentId: string; invoiceId: string; invoiceNumber: string; amountMinor: bigint; paymentStatus: PaymentStatus; paidOn: string };

/** Allocations of these payments, or to this invoice, with the invoice's number and the payment's status; by invoice number. */
export async function allocationDetails(db: DbOrTx, of: { paymentIds: readonly string[] } | { invoiceId: string }): Promise<AllocationDetail[]> {
  if ("paymentIds" in of && of.paymentIds.length === 0) return [];
  return db
    .select({
      paymentId: paymentAllocations.paymentId,
      invoiceId: paymentAllocations.invoiceId,
      invoiceNumber: invoices.number,
      amountMinor: paymentAllocations.amountMinor,
      paymentStatus: payments.status,
      paidOn: payments.paidOn,
    })
    .from(paymentAllocations)
    .innerJoin(invoices, eq(invoices.id, paymentAllocations.invoiceId))
    .innerJoin(payments, eq(payments.id, paymentAllocations.paymentId))
    .where("paymentIds" in of ? inArray(paymentAllocations.paymentId, [...of.paymentIds]) : eq(paymentAllocations.invoiceId, of.invoiceId))
    .orderBy(asc(invoices.number), asc(payments.paidOn), asc(payments.id));
}

// Writes and locks of the payment use cases (lib/services/payments.ts, reconciliation.ts); the
// services decide what to write and audit it.

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

export type NewPayment = Omit<typeof payments.$inferInsert, "id" | "createdAt">;
export type Allocation = { invoiceId: string; amountMinor: bigint };

/** Inserts a payment with its allocations; the trigger refuses an over-allocation (check_violation). */
export async function insertPaymentWithAllocations(tx: DbOrTx, values: NewPayment, allocations: readonly Allocation[]): Promise<Payment> {
  const [row] = await insertPaymentStatement(tx, {
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
  return paymentRow.map(row!);
}

export async function getPayment(tx: DbOrTx, paymentId: string, opts: { lock?: boolean } = {}): Promise<Payment | null> {
  const q = tx.select().from(payments).where(eq(payments.id, paymentId));
  const [row] = opts.lock ? await q.for("update") : await q;
  return row ?? null;
}

/**
 * Moves a payment to another status only if it still has `from` (exactly once under races), with
 * who decided and why; null when its status was no longer `from`.
 */
export async function setPaymentStatusIf(
  tx: DbOrTx,
  p: { paymentId: string; from: Payment["status"]; to: Payment["status"]; decidedBy: string | null; reason: string | null },
): Promise<Payment | null> {
  const [row] = await tx
    .update(payments)
    .set({ status: p.to, decidedBy: p.decidedBy, decidedAt: p.to === "pending_verification" ? null : new Date(), decisionReason: p.reason })
    .where(and(eq(payments.id, p.paymentId), eq(payments.status, p.from)))
    .returning();
  return row ?? null;
}

/** Invoices a payment is allocated to. */
export async function allocatedInvoiceIds(tx: DbOrTx, paymentId: string): Promise<string[]> {
  const rows = await tx.select({ invoiceId: paymentAllocations.invoiceId }).from(paymentAllocations).where(eq(paymentAllocations.paymentId, paymentId));
  return rows.map((r) => r.invoiceId);
}

/** Serialises deliveries of one provider event within the transaction (the unique index is the backstop). */
export async function lockProviderEvent(tx: DbOrTx, eventKey: string): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${eventKey}))`);
}

export async function paymentIdByProviderEvent(tx: DbOrTx, eventKey: string): Promise<string | null> {
  const [row] = await tx.select({ id: payments.id }).from(payments).where(eq(payments.providerEventId, eventKey));
  return row?.id ?? null;
}

/** Remittances awaiting verification allocated to any of these invoices, locked, oldest first. */
export async function lockPendingRemittancesOn(tx: DbOrTx, invoiceIds: readonly string[]): Promise<(Payment & { allocations: Allocation[] })[]> {
  if (invoiceIds.length === 0) return [];
  const found = await queryRows<{ id: string }>(
    tx,
    sql`select p.id from payments p
        where p.status = 'pending_verification'
          and exists (select 1 from payment_allocations a where a.payment_id = p.id and a.invoice_id in (${sql.join(invoiceIds.map((id) => sql`${id}::uuid`), sql`, `)}))
        order by p.id for update of p`,
  );
  if (found.length === 0) return [];
  const ids = found.map((f) => f.id);
  const [rows, allocations] = await Promise.all([
    tx.select().from(payments).where(inArray(payments.id, ids)).orderBy(asc(payments.createdAt), asc(payments.id)),
    tx.select().from(paymentAllocations).where(inArray(paymentAllocations.paymentId, ids)),
  ]);
  return rows.map((p) => ({
    ...p,
    allocations: allocations.filter((a) => a.paymentId === p.id).map((a) => ({ invoiceId: a.invoiceId, amountMinor: a.amountMinor })),
  }));
}

/** Replaces a payment's allocations (the trigger checks the new ones against each invoice's total). */
export async function replaceAllocations(tx: DbOrTx, paymentId: string, allocations: readonly Allocation[]): Promise<void> {
  await tx.delete(paymentAllocations).where(eq(paymentAllocations.paymentId, paymentId));
  if (allocations.length) await tx.insert(paymentAllocations).values(allocations.map((a) => ({ paymentId, invoiceId: a.invoiceId, amountMinor: a.amountMinor })));
}

// Settlement: an order's "paid" mark follows its invoice.

/** Sets or clears an order's paid mark; returns the order as updated. */
export async function setOrderPaidAt(tx: DbOrTx, orderId: string, paidAt: Date | null): Promise<Order> {
  const [row] = await tx.update(orders).set({ paidAt, updatedAt: new Date() }).where(eq(orders.id, orderId)).returning();
  return row as Order;
}

