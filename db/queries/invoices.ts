import "server-only";
import { sql, type SQL } from "drizzle-orm";
import { queryRows, type DbOrTx } from "@/db/client";
import { invoiceBalances, type InvoiceBalance, type InvoiceBalanceScope } from "@/db/queries/invoice-balances";
import { ageingBucket, ageingBuckets, invoiceStatus, type AgeingBucket, type InvoiceStatus } from "@/lib/domain/receivables";
import { isCustomerRole } from "@/lib/domain/roles";
import type { Actor } from "@/lib/domain/actor";
import { sellerToday } from "@/lib/time-zone";

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

/** An invoice as the receivables pages show it: amounts from invoiceBalances (verified payments count as paid). */
function invoiceRow(b: InvoiceBalance, today: string): InvoiceRow {
  return {
    id: b.invoiceId,
    number: b.number,
    companyId: b.companyId,
    companyName: b.companyName,
    orderId: b.orderId,
    issueDate: b.issueDate,
    dueDate: b.dueDate,
    currency: b.currency,
    totalMinor: b.totalMinor,
    paidMinor: b.paidMinor,
    pendingMinor: b.pendingMinor,
    dueMinor: b.outstandingMinor,
    status: invoiceStatus({ cancelled: b.status === "cancelled", totalMinor: b.totalMinor - b.creditedMinor, paidMinor: b.paidMinor, dueDate: b.dueDate, today }),
    paymentReference: b.paymentReference,
  };
}

/** Invoices the actor may see (a customer: their company's, in SQL), with paid and due amounts. */
export async function listInvoices(db: DbOrTx, actor: Actor, f: { status?: InvoiceStatus; companyId?: string } = {}): Promise<InvoiceRow[]> {
  const scope: InvoiceBalanceScope | null = isCustomerRole(actor.role)
    ? actor.companyId
      ? { companyId: actor.companyId }
      : null
    : f.companyId
      ? { companyId: f.companyId }
      : { everyCompany: true };
  if (!scope) return [];
  const today = sellerToday();
  const out = (await invoiceBalances(db, { ...scope, counting: "verified" })).map((b) => invoiceRow(b, today));
  return f.status ? out.filter((r) => r.status === f.status) : out;
}

/**
 * An order's invoices as the invoice list shows them (amounts, status), for the order pages.
 * Callers have already checked that the actor may see the order; the ids come from it.
 */
export async function listOrderInvoices(db: DbOrTx, invoiceIds: string[]): Promise<InvoiceRow[]> {
  const today = sellerToday();
  return (await invoiceBalances(db, { invoiceIds, counting: "verified" })).map((b) => invoiceRow(b, today));
}

/**
 * The status of one invoice by the same definition as the invoice list (the order pages show it).
 * Callers have already checked that the actor may see the invoice's order.
 */
export async function getInvoiceStatus(db: DbOrTx, invoiceId: string): Promise<InvoiceStatus | null> {
  const [b] = await invoiceBalances(db, { invoiceIds: [invoiceId], counting: "verified" });
  return b ? invoiceRow(b, sellerToday()).status : null;
}

/** The open invoice a provider's payment names, by RF reference (normalised) or by number, locked. */
export async function lockOpenInvoiceByReference(tx: DbOrTx, ref: { paymentReference: string } | { number: string }): Promise<{ id: string; companyId: string; currency: string } | null> {
  const [row] = await queryRows<{ id: string; company_id: string; currency: string }>(
    tx,
    sql`select id, company_id, currency from invoices
        where ${"paymentReference" in ref ? sql`payment_reference = ${ref.paymentReference}` : sql`number = ${ref.number}`} and status = 'open' for update`,
  );
  return row ? { id: row.id, companyId: row.company_id, currency: row.currency } : null;
}

export type AgeingRow = { companyId: string; companyName: string; currency: string; buckets: Record<AgeingBucket, bigint>; totalMinor: bigint };

/** What the ageing list can be narrowed to: one bucket, or everything overdue (every bucket but "current"). */
export const ageingFilters = [...ageingBuckets, "overdue"] as const;
export type AgeingFilter = (typeof ageingFilters)[number];

/** A query parameter as an ageing filter; anything else is no filter. */
export function parseAgeingFilter(value: string | undefined): AgeingFilter | null {
  return (ageingFilters as readonly string[]).includes(value ?? "") ? (value as AgeingFilter) : null;
}

/** A row's amount under a filter (overdue: all but "current"). */
export function ageingAmount(row: AgeingRow, filter: AgeingFilter): bigint {
  return filter === "overdue" ? row.totalMinor - row.buckets.current : row.buckets[filter];
}

/**
 * Accounts-receivable ageing per company (staff): amounts still due, by days past the due date.
 * With `filter`, only the companies owing something in it, per currency the most owed in it first.
 */
export async function receivablesAgeing(db: DbOrTx, actor: Actor, today = sellerToday(), filter: AgeingFilter | null = null): Promise<AgeingRow[]> {
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
  const rows = [...byCompany.values()].sort((a, b) => a.companyName.localeCompare(b.companyName));
  if (!filter) return rows;
  // Amounts of different currencies are never compared; the sort is stable, so equal amounts keep the names' order.
  return rows
    .filter((r) => ageingAmount(r, filter) > 0n)
    .sort((a, b) => (a.currency !== b.currency ? (a.currency < b.currency ? -1 : 1) : ageingAmount(b, filter) > ageingAmount(a, filter) ? 1 : ageingAmount(b, filter) < ageingAmount(a, filter) ? -1 : 0));
}

export type CreditNoteRow = {
  id: string;
  number: string;
  invoiceId: string;
  invoiceNumber: string;
  orderId: string;
  companyId: string;
  companyName: string;
  issueDate: string;
  currency: string;
  subtotalMinor: bigint;
  taxMinor: bigint;
  totalMinor: bigint;
  reason: string;
};

/**
 * Credit notes, newest issued first (id as tie-break: a stable order for cursor pages), scoped in
 * SQL: `companyId` (a customer's own company always), `invoiceId` (an invoice's), `id` (one note).
 * Answers at most `limit` rows after `offset`.
 */
export async function listCreditNotes(
  db: DbOrTx,
  f: { companyId?: string; invoiceId?: string; id?: string; from?: string; to?: string; offset?: number; limit?: number },
): Promise<CreditNoteRow[]> {
  const where: SQL[] = [sql`true`];
  if (f.companyId) where.push(sql`n.company_id = ${f.companyId}::uuid`);
  if (f.invoiceId) where.push(sql`n.invoice_id = ${f.invoiceId}::uuid`);
  if (f.id) where.push(sql`n.id = ${f.id}::uuid`);
  if (f.from) where.push(sql`n.issue_date >= ${f.from}::date`);
  if (f.to) where.push(sql`n.issue_date <= ${f.to}::date`);
  const rows = await queryRows<{
    id: string; number: string; invoice_id: string; invoice_number: string; order_id: string; company_id: string; company_name: string;
    issue_date: string; currency: string; subtotal: string; tax: string; total: string; reason: string;
  }>(
    db,
    sql`select n.id, n.number, n.invoice_id, i.number as invoice_number, n.order_id, n.company_id, c.name as company_name, n.issue_date::text as issue_date,
               n.currency, n.subtotal_minor::text as subtotal, n.tax_minor::text as tax, n.total_minor::text as total, n.reason
        from credit_notes n join invoices i on i.id = n.invoice_id join companies c on c.id = n.company_id
        where ${sql.join(where, sql` and `)}
        order by n.issue_date desc, n.number desc, n.id desc limit ${f.limit ?? 100} offset ${f.offset ?? 0}`,
  );
  return rows.map((r) => ({
    id: r.id, number: r.number, invoiceId: r.invoice_id, invoiceNumber: r.invoice_number, orderId: r.order_id, companyId: r.company_id, companyName: r.company_name,
    issueDate: r.issue_date, currency: r.currency, subtotalMinor: BigInt(r.subtotal), taxMinor: BigInt(r.tax), totalMinor: BigInt(r.total), reason: r.reason,
  }));
}
