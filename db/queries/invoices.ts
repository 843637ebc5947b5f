import "server-only";
import { sql } from "drizzle-orm";
import { queryRows, type DbOrTx } from "@/db/client";
import { dateIn } from "@/lib/domain/dates";
import { ageingBucket, ageingBuckets, invoiceStatus, type AgeingBucket, type InvoiceStatus } from "@/lib/domain/receivables";
import { isCustomerRole } from "@/lib/domain/roles";
import { env } from "@/lib/env";
import type { Actor } from "@/lib/domain/actor";

export type InvoiceRow = {
  id: string;
  number: string;
  companyId: string;
  companyName: string;
  orderId: string;
  issueDate: string;
  dueDate: string;
  currency: string;
  totalMinor: bigint;
  paidMinor: bigint;
  pendingMinor: bigint;
  dueMinor: bigint;
  status: InvoiceStatus;
  paymentReference: string | null;
};

/** Invoices the actor may see (a customer: their company's, in SQL), with paid and due amounts. */
export async function listInvoices(db: DbOrTx, actor: Actor, f: { status?: InvoiceStatus; companyId?: string } = {}): Promise<InvoiceRow[]> {
  const scope = isCustomerRole(actor.role)
    ? sql`i.company_id = ${actor.companyId ?? "00000000-0000-0000-0000-000000000000"}`
    : f.companyId
      ? sql`i.company_id = ${f.companyId}`
      : sql`true`;
  const rows = await queryRows<{ id: string; number: string; company_id: string; company_name: string; order_id: string; issue_date: string; due_date: string; currency: string; total: string; paid: string; pending: string; status: string; payment_reference: string | null }>(
    db,
    sql`select i.id, i.number, i.company_id, c.name as company_name, i.order_id, i.issue_date::text, i.due_date::text, i.currency,
          i.total_minor::text as total, i.status::text, i.payment_reference,
          coalesce(sum(a.amount_minor) filter (where p.status = 'verified'), 0)::text as paid,
          coalesce(sum(a.amount_minor) filter (where p.status = 'pending_verification'), 0)::text as pending
        from invoices i join companies c on c.id = i.company_id
        left join payment_allocations a on a.invoice_id = i.id left join payments p on p.id = a.payment_id
        where ${scope}
        group by i.id, c.name order by i.issue_date desc, i.number desc`,
  );
  const today = dateIn(env().SELLER_TIME_ZONE, new Date());
  const out = rows.map((r) => {
    const totalMinor = BigInt(r.total);
    const paidMinor = BigInt(r.paid);
    return {
      id: r.id,
      number: r.number,
      companyId: r.company_id,
      companyName: r.company_name,
      orderId: r.order_id,
      issueDate: r.issue_date,
      dueDate: r.due_date,
      currency: r.currency,
      totalMinor,
      paidMinor,
      pendingMinor: BigInt(r.pending),
      dueMinor: r.status === "cancelled" ? 0n : totalMinor - paidMinor,
      status: invoiceStatus({ cancelled: r.status === "cancelled", totalMinor, paidMinor, dueDate: r.due_date, today }),
      paymentReference: r.payment_reference,
    };
  });
  return f.status ? out.filter((r) => r.status === f.status) : out;
}

export type AgeingRow = { companyId: string; companyName: string; currency: string; buckets: Record<AgeingBucket, bigint>; totalMinor: bigint };

/** Accounts-receivable ageing per company (staff): amounts still due, by days past the due date. */
export async function receivablesAgeing(db: DbOrTx, actor: Actor, today = dateIn(env().SELLER_TIME_ZONE, new Date())): Promise<AgeingRow[]> {
  const byCompany = new Map<string, AgeingRow>();
  for (const inv of await listInvoices(db, actor)) {
    if (inv.status === "cancelled" || inv.dueMinor <= 0n) continue;
    const key = `${inv.companyId}:${inv.currency}`;
    const row = byCompany.get(key) ?? {
      companyId: inv.companyId,
      companyName: inv.companyName,
      currency: inv.currency,
      buckets: Object.fromEntries(ageingBuckets.map((b) => [b, 0n])) as Record<AgeingBucket, bigint>,
      totalMinor: 0n,
    };
    row.buckets[ageingBucket(inv.dueDate, today)] += inv.dueMinor;
    row.totalMinor += inv.dueMinor;
    byCompany.set(key, row);
  }
  return [...byCompany.values()].sort((a, b) => a.companyName.localeCompare(b.companyName));
}
