import "server-only";
import { asc, desc, eq, inArray, sql } from "drizzle-orm";
import { companies, payments, type Payment } from "@/db/schema";
import type { DbOrTx } from "@/db/client";
import { formatMoney } from "@/lib/domain/money";

export type PaymentStatus = Payment["status"];
export type PaymentSource = Payment["source"];

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
};

/** Staff only: callers check payments.manage before calling. Payments of every company with their allocations. */
export async function listPayments(db: DbOrTx, f: PaymentListFilter = {}): Promise<PaymentRow[]> {
  const statuses = f.status === undefined ? undefined : typeof f.status === "string" ? [f.status] : [...f.status];
  if (statuses && statuses.length === 0) return [];
  const limit = Math.min(Math.max(1, f.limit ?? 200), 500);
  // Invoice number and amount pairs, aggregated per payment; formatted below with the payment's currency.
  const allocationPairs = sql<string | null>`(
    select string_agg(i.number || '=' || a.amount_minor::text, ';' order by i.number)
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
    .where(statuses ? inArray(payments.status, statuses) : undefined)
    .orderBy(...(f.order === "oldest" ? [asc(payments.createdAt), asc(payments.id)] : [desc(payments.createdAt), desc(payments.id)]))
    .limit(limit);
  return rows.map(({ allocationPairs: pairs, ...r }) => ({
    ...r,
    allocations: (pairs ?? "")
      .split(";")
      .filter(Boolean)
      .map((pair) => {
        const at = pair.lastIndexOf("=");
        return `${pair.slice(0, at)} ${formatMoney(BigInt(pair.slice(at + 1)), r.currency)}`;
      })
      .join(", "),
  }));
}
