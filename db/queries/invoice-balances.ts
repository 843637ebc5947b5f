import "server-only";
import { sql, type SQL } from "drizzle-orm";
import { queryRows, type DbOrTx } from "@/db/client";
import { statement, together } from "@/db/prepared";

// The one place the balance of an invoice is computed. Every figure of "what is paid / still due /
// still open for payment" in the app comes from here; callers choose what counts:
// - "verified": only money finance has verified (the invoice status, the amount due, ageing, the
//   statement of account, whether an order is paid, bank matching);
// - "verified_and_pending": remittances awaiting verification count as well (what may still be
//   allocated to an invoice: a payment must not promise more than the total; the database trigger
//   payment_allocations_within_invoice_total counts the same).
// Rejected and refunded payments never count. A cancelled invoice has nothing outstanding. A
// return's credit note (credit_notes.return_id) lowers what the invoice asks: outstanding is
// total − credited − allocated (negative when the goods came back after it was paid: money owed back).

export type BalanceCounting = "verified" | "verified_and_pending";

export type InvoiceBalance = {
  invoiceId: string;
  number: string;
  companyId: string;
  companyName: string;
  orderId: string;
  status: "open" | "cancelled";
  currency: string;
  issueDate: string;
  dueDate: string;
  paymentReference: string | null;
  totalMinor: bigint;
  /** Credited by returns' credit notes (a cancelling credit note cancels the invoice instead). */
  creditedMinor: bigint;
  /** Verified payments. */
  paidMinor: bigint;
  /** Remittances awaiting verification. */
  pendingMinor: bigint;
  /** What counts against the total under the chosen counting. */
  allocatedMinor: bigint;
  /** total − credited − allocated for an open invoice, 0 for a cancelled one. */
  outstandingMinor: bigint;
};

export type InvoiceBalanceScope = { invoiceIds: readonly string[] } | { companyId: string } | { everyCompany: true };

export type InvoiceBalanceQuery = InvoiceBalanceScope & {
  counting: BalanceCounting;
  /** Open invoices only (not cancelled). */
  openOnly?: boolean;
  /**
   * Lock the invoices (FOR UPDATE, in id order) before their balances are read. The read is a
   * statement of its own sent right behind the lock, so its snapshot is taken after the lock is
   * granted and sees every allocation committed before it (one statement could not: its snapshot
   * predates the wait). Both travel in one round trip. With `openOnly` only open invoices are locked.
   */
  lock?: boolean;
};

type Row = {
  id: string;
  number: string;
  company_id: string;
  company_name: string;
  order_id: string;
  status: "open" | "cancelled";
  currency: string;
  issue_date: string;
  due_date: string;
  payment_reference: string | null;
  total: string;
  credited: string;
  paid: string;
  pending: string;
};

const ph = sql.placeholder;

// Prepared statements with one text per scope: ids travel as one comma-separated parameter.
const columns = sql`i.id, i.number, i.company_id, c.name as company_name, i.order_id, i.status::text as status, i.currency, i.issue_date::text as issue_date,
  i.due_date::text as due_date, i.payment_reference, i.total_minor::text as total,
  coalesce(cr.credited, 0)::text as credited, coalesce(s.paid, 0)::text as paid, coalesce(s.pending, 0)::text as pending`;
const sums = sql`left join lateral (
    select sum(a.amount_minor) filter (where p.status = 'verified') as paid,
           sum(a.amount_minor) filter (where p.status = 'pending_verification') as pending
    from payment_allocations a join payments p on p.id = a.payment_id where a.invoice_id = i.id) s on true
  left join lateral (select sum(n.total_minor) as credited from credit_notes n where n.invoice_id = i.id and n.return_id is not null) cr on true`;
/**
 * Open invoices with what is still outstanding on them, counting verified payments only (rows
 * invoice_id, company_id, outstanding_minor; the credit exposure's receivables, creditExposureSql):
 * the same sums as `invoiceBalances` with "verified", as a relation for a bigger statement. Read from
 * the receivables rollup (receivable_balances, migration 0017), which its triggers keep in the
 * documents' own transactions: summing every verified allocation took 1 to 4 s for every company's
 * exposure at 100,000 orders (lib/bench/analytics-*.ts), the rollup a few milliseconds. Invoices with
 * nothing left to pay have no row (they added 0). `companyId` scopes it.
 */
export function openInvoicesOutstandingVerifiedSql(companyId?: SQL): SQL {
  return sql`select r.invoice_id, r.company_id, r.outstanding_minor from receivable_balances r
    ${companyId ? sql`where r.company_id = ${companyId}` : sql``}`;
}
const openFilter = sql`(not ${ph("openOnly")}::boolean or i.status = 'open')`;
const order = sql`order by i.issue_date desc, i.number desc`;
const idList = sql`string_to_array(${ph("ids")}::text, ',')::uuid[]`;

const readByIds = statement<Row, { ids: string; openOnly: boolean }>(
  "invoice_balances.by_ids",
  sql`select ${columns} from invoices i join companies c on c.id = i.company_id ${sums} where i.id = any(${idList}) and ${openFilter} ${order}`,
);
const readByCompany = statement<Row, { companyId: string; openOnly: boolean }>(
  "invoice_balances.by_company",
  sql`select ${columns} from invoices i join companies c on c.id = i.company_id ${sums} where i.company_id = ${ph("companyId")}::uuid and ${openFilter} ${order}`,
);
const readAll = statement<Row, { openOnly: boolean }>(
  "invoice_balances.all",
  sql`select ${columns} from invoices i join companies c on c.id = i.company_id ${sums} where ${openFilter} ${order}`,
);
const lockByIds = statement<{ id: string }, { ids: string; openOnly: boolean }>(
  "invoice_balances.lock_by_ids",
  sql`select i.id from invoices i where i.id = any(${idList}) and ${openFilter} order by i.id for update`,
);
// The company's row answers with its currency: the hot path of recording a payment needs it, and
// gets it from the lock instead of one more statement.
const lockByCompany = statement<{ currency: string }, { companyId: string; openOnly: boolean }>(
  "invoice_balances.lock_by_company",
  sql`select c.currency from companies c
      where c.id = ${ph("companyId")}::uuid
        and (select count(*) from (select i.id from invoices i where i.company_id = c.id and ${openFilter} order by i.id for update of i) locked) >= 0`,
);

/**
 * Locks a company's invoices (open ones with `openOnly`) in id order; answers the company's
 * currency, or null when there is no such company. `invoiceBalances` with `lock` uses it; a caller
 * that also needs the currency sends it itself, with the balances read right behind it in the same
 * `together` (the read's snapshot is then taken after the lock is granted).
 */
export async function lockCompanyInvoices(tx: DbOrTx, p: { companyId: string; openOnly?: boolean }): Promise<string | null> {
  const [row] = await lockByCompany(tx, { companyId: p.companyId, openOnly: p.openOnly ?? false });
  return row?.currency ?? null;
}

function balance(r: Row, counting: BalanceCounting): InvoiceBalance {
  const totalMinor = BigInt(r.total);
  const creditedMinor = BigInt(r.credited);
  const paidMinor = BigInt(r.paid);
  const pendingMinor = BigInt(r.pending);
  const allocatedMinor = counting === "verified" ? paidMinor : paidMinor + pendingMinor;
  return {
    invoiceId: r.id,
    number: r.number,
    companyId: r.company_id,
    companyName: r.company_name,
    orderId: r.order_id,
    status: r.status,
    currency: r.currency,
    issueDate: r.issue_date,
    dueDate: r.due_date,
    paymentReference: r.payment_reference,
    totalMinor,
    creditedMinor,
    paidMinor,
    pendingMinor,
    allocatedMinor,
    outstandingMinor: r.status === "cancelled" ? 0n : totalMinor - creditedMinor - allocatedMinor,
  };
}

/** Per invoice: total, paid, awaiting verification, allocated and outstanding under `counting`; newest issued first. */
export async function invoiceBalances(tx: DbOrTx, q: InvoiceBalanceQuery): Promise<InvoiceBalance[]> {
  const openOnly = q.openOnly ?? false;
  let rows: Row[];
  if ("invoiceIds" in q) {
    if (q.invoiceIds.length === 0) return [];
    const params = { ids: [...new Set(q.invoiceIds)].join(","), openOnly };
    rows = q.lock ? (await together(lockByIds(tx, params), readByIds(tx, params)))[1] : await readByIds(tx, params);
  } else if ("companyId" in q) {
    const params = { companyId: q.companyId, openOnly };
    rows = q.lock ? (await together(lockCompanyInvoices(tx, params), readByCompany(tx, params)))[1] : await readByCompany(tx, params);
  } else {
    if (q.lock) throw new Error("invoiceBalances: lock every company's invoices? Name the invoices or the company.");
    rows = await readAll(tx, { openOnly });
  }
  return rows.map((r) => balance(r, q.counting));
}

export type InvoicePageFilter = {
  /** A company's invoices only (a customer's always; staff optionally). */
  companyId?: string;
  /** One invoice (its detail, still scoped by companyId). */
  invoiceId?: string;
  /** The status as the invoice list defines it (lib/domain/receivables.ts invoiceStatus), counting verified payments. */
  status?: "open" | "partially_paid" | "paid" | "overdue" | "cancelled";
  /** Issue date from/to, inclusive (YYYY-MM-DD). */
  from?: string;
  to?: string;
  /** Today on the seller's calendar (overdue is due before it). */
  today: string;
  offset: number;
  limit: number;
};

/**
 * One page of invoices with balances counting verified payments (the /api/v1 list): filters and
 * scope in SQL, ordered newest issued first with the id as tie-break (a stable order: pages neither
 * overlap nor skip). Answers `limit` rows at most (a list asks for one more than its page, to know whether a next page exists).
 */
export async function invoiceBalancePage(tx: DbOrTx, f: InvoicePageFilter): Promise<InvoiceBalance[]> {
  const paid = sql`coalesce(s.paid, 0)`;
  const due = sql`(i.total_minor - coalesce(cr.credited, 0))`;
  const open = sql`i.status = 'open'`;
  const statusFilter = {
    cancelled: sql`i.status = 'cancelled'`,
    paid: sql`${open} and ${paid} >= ${due}`,
    overdue: sql`${open} and ${paid} < ${due} and i.due_date < ${f.today}::date`,
    partially_paid: sql`${open} and ${paid} > 0 and ${paid} < ${due} and i.due_date >= ${f.today}::date`,
    open: sql`${open} and ${paid} = 0 and ${due} > 0 and i.due_date >= ${f.today}::date`,
  } as const;
  const where: SQL[] = [sql`true`];
  if (f.companyId) where.push(sql`i.company_id = ${f.companyId}::uuid`);
  if (f.invoiceId) where.push(sql`i.id = ${f.invoiceId}::uuid`);
  if (f.from) where.push(sql`i.issue_date >= ${f.from}::date`);
  if (f.to) where.push(sql`i.issue_date <= ${f.to}::date`);
  if (f.status) where.push(statusFilter[f.status]);
  const rows = await queryRows<Row>(
    tx,
    sql`select ${columns} from invoices i join companies c on c.id = i.company_id ${sums}
        where ${sql.join(where, sql` and `)}
        order by i.issue_date desc, i.number desc, i.id desc limit ${f.limit} offset ${f.offset}`,
  );
  return rows.map((r) => balance(r, "verified"));
}
