import { sql, type SQL } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { db, queryRows } from "@/db/client";
import { customerDashboardData } from "@/db/queries/analytics/customer";
import { financeDashboardData } from "@/db/queries/analytics/finance";
import { bookedWithRates, collectedWithRates, convertedMinorSql, invoicedWithRates, receivablesWithRates } from "@/db/queries/analytics/converted";
import { bookedEntries, collectedEntries, invoicedEntries, outstandingAsOf, type ByCurrency, type LedgerFilter } from "@/db/queries/analytics/ledger";
import { salesDashboardData } from "@/db/queries/analytics/sales";
import { adminDashboardData } from "@/db/queries/analytics/stock";
import { invoiceBalances } from "@/db/queries/invoice-balances";
import { addDays, dateIn, endOfDayAfter } from "@/lib/domain/dates";
import { lastMonths, monthOf, monthPeriod, previousMonth, rangeOfDays, type AnalyticsClock, type Period } from "@/lib/domain/periods";
import { runAnalyticsWorkload, seededRandom, workloadSeed, type WorkloadResult } from "@/lib/services/demo-workload";
import { rows, setupTestDatabase, withOwner } from "@/lib/testing/helpers";
import { env } from "@/lib/env";
import { sellerClock } from "@/lib/time-zone";

// Every ledger fragment and dashboard figure against a brute-force recomputation over a random
// workload (lib/services/demo-workload.ts) spread over the past year. The brute force reads the
// tables with plain selects and applies the definitions of the design (/analytics-design.md) in
// JavaScript, one obvious loop per figure; it shares no SQL with db/queries/analytics. Amounts are
// compared exactly, per currency; counts exactly. The seed is printed: ANALYTICS_SEED=<n> replays it.

setupTestDatabase();

const SEED = workloadSeed(process.env.ANALYTICS_SEED);
const ORDERS = 120;

// ---------------------------------------------------------------------------------------------
// The tables, read plainly. Instants as epoch milliseconds, dates as yyyy-mm-dd, amounts as bigint.

type OrderRow = {
  id: string; company_id: string; buyer_id: string; status: string; currency: string; total: bigint | null;
  submitted: number | null; accepted: number | null; approved: number | null; closed: number | null; needs_finance: boolean;
};
type QuotationRow = { order_id: string; version: number; issued: number; valid_until: number; total: bigint };
type ApprovalRow = { order_id: string; step: "customer" | "sales" | "finance"; decision: string; decided: number };
type InvoiceRow = { id: string; number: string; order_id: string; company_id: string; currency: string; issue_date: string; due_date: string; total: bigint; status: string };
type InvoiceLineRow = { invoice_id: string; product_id: string; total: bigint };
type CreditNoteRow = { id: string; invoice_id: string; order_id: string; company_id: string; currency: string; issue_date: string; total: bigint };
type PaymentRow = { id: string; company_id: string; status: string; currency: string; amount: bigint; paid_on: string; created: number };
type AllocationRow = { payment_id: string; invoice_id: string; amount: bigint };
type CompanyRow = { id: string; name: string; currency: string; credit_limit: bigint; active: boolean };
type UserRow = { id: string; name: string; role: string; company_id: string | null; active: boolean };
type ProductRow = { id: string; sku: string; category: string; threshold: number; archived: boolean; on_hand: number; reserved: number };
type AuditRow = { occurred: number; outcome: string };
type QuotationLineRow = { order_id: string; version: number; product_id: string; quantity: number; total: bigint };
type BankLineRow = { status: string };

type Snapshot = {
  orders: OrderRow[]; quotations: QuotationRow[]; approvals: ApprovalRow[]; invoices: InvoiceRow[]; invoiceLines: InvoiceLineRow[];
  creditNotes: CreditNoteRow[]; payments: PaymentRow[]; allocations: AllocationRow[]; companies: CompanyRow[]; users: UserRow[]; products: ProductRow[];
  audit: AuditRow[]; bankLines: BankLineRow[]; quotationLines: QuotationLineRow[];
};

const ms = (column: string) => sql.raw(`(extract(epoch from ${column}) * 1000)::float8 as ${column.replace(/^\w+\./, "")}`);
type Raw = Record<string, string | number | boolean | null>;
const big = (v: unknown) => BigInt(v as string);
const num = (v: unknown) => (v === null ? null : Number(v));

async function snapshot(): Promise<Snapshot> {
  const [orders, quotations, approvals, invoices, invoiceLines, creditNotes, payments, allocations, companies, users, products, audit, bankLines, quotationLines] = await Promise.all([
    rows<Raw>(sql`select id, company_id, buyer_id, status::text, currency, total_minor::text as total, needs_finance_approval,
      ${ms("submitted_at")}, ${ms("accepted_at")}, ${ms("approved_at")}, ${ms("closed_at")} from orders where status <> 'draft'`),
    rows<Raw>(sql`select order_id, version, ${ms("issued_at")}, ${ms("valid_until")}, total_minor::text as total from quotations`),
    rows<Raw>(sql`select order_id, step::text, decision::text, ${ms("decided_at")} from order_approvals`),
    rows<Raw>(sql`select id, number, order_id, company_id, currency, issue_date::text, due_date::text, total_minor::text as total, status::text from invoices`),
    rows<Raw>(sql`select invoice_id, product_id, total_minor::text as total from invoice_lines`),
    rows<Raw>(sql`select id, invoice_id, order_id, company_id, currency, issue_date::text, total_minor::text as total from credit_notes`),
    rows<Raw>(sql`select id, company_id, status::text, currency, amount_minor::text as amount, paid_on::text, ${ms("created_at")} from payments`),
    rows<Raw>(sql`select payment_id, invoice_id, amount_minor::text as amount from payment_allocations`),
    rows<Raw>(sql`select id, name, currency, credit_limit_minor::text as credit_limit, active from companies`),
    rows<Raw>(sql`select id, name, role::text, company_id, active from users`),
    rows<Raw>(sql`select p.id, p.sku, p.category, p.low_stock_threshold, p.archived_at is not null as archived, i.on_hand, i.reserved
      from products p join inventory i on i.product_id = p.id`),
    rows<Raw>(sql`select ${ms("occurred_at")}, outcome::text from audit_events`),
    rows<Raw>(sql`select status::text from bank_statement_lines`),
    rows<Raw>(sql`select q.order_id, q.version, l.product_id, l.quantity, l.total_minor::text as total from quotation_lines l join quotations q on q.id = l.quotation_id`),
  ]);
  return {
    orders: orders.map((r) => ({
      id: r.id as string, company_id: r.company_id as string, buyer_id: r.buyer_id as string, status: r.status as string, currency: r.currency as string,
      total: r.total === null ? null : big(r.total), submitted: num(r.submitted_at), accepted: num(r.accepted_at), approved: num(r.approved_at),
      closed: num(r.closed_at), needs_finance: r.needs_finance_approval as boolean,
    })),
    quotations: quotations.map((r) => ({ order_id: r.order_id as string, version: Number(r.version), issued: Number(r.issued_at), valid_until: Number(r.valid_until), total: big(r.total) })),
    approvals: approvals.map((r) => ({ order_id: r.order_id as string, step: r.step as ApprovalRow["step"], decision: r.decision as string, decided: Number(r.decided_at) })),
    invoices: invoices.map((r) => ({ id: r.id as string, number: r.number as string, order_id: r.order_id as string, company_id: r.company_id as string, currency: r.currency as string, issue_date: r.issue_date as string, due_date: r.due_date as string, total: big(r.total), status: r.status as string })),
    invoiceLines: invoiceLines.map((r) => ({ invoice_id: r.invoice_id as string, product_id: r.product_id as string, total: big(r.total) })),
    creditNotes: creditNotes.map((r) => ({ id: r.id as string, invoice_id: r.invoice_id as string, order_id: r.order_id as string, company_id: r.company_id as string, currency: r.currency as string, issue_date: r.issue_date as string, total: big(r.total) })),
    payments: payments.map((r) => ({ id: r.id as string, company_id: r.company_id as string, status: r.status as string, currency: r.currency as string, amount: big(r.amount), paid_on: r.paid_on as string, created: Number(r.created_at) })),
    allocations: allocations.map((r) => ({ payment_id: r.payment_id as string, invoice_id: r.invoice_id as string, amount: big(r.amount) })),
    companies: companies.map((r) => ({ id: r.id as string, name: r.name as string, currency: r.currency as string, credit_limit: big(r.credit_limit), active: r.active as boolean })),
    users: users.map((r) => ({ id: r.id as string, name: r.name as string, role: r.role as string, company_id: r.company_id as string | null, active: r.active as boolean })),
    products: products.map((r) => ({ id: r.id as string, sku: r.sku as string, category: r.category as string, threshold: Number(r.low_stock_threshold), archived: r.archived as boolean, on_hand: Number(r.on_hand), reserved: Number(r.reserved) })),
    audit: audit.map((r) => ({ occurred: Number(r.occurred_at), outcome: r.outcome as string })),
    bankLines: bankLines.map((r) => ({ status: r.status as string })),
    quotationLines: quotationLines.map((r) => ({ order_id: r.order_id as string, version: Number(r.version), product_id: r.product_id as string, quantity: Number(r.quantity), total: big(r.total) })),
  };
}

// ---------------------------------------------------------------------------------------------
// Brute force: the design's definitions, one loop each.

/** Sums (currency, amount) pairs per currency, sorted by currency, leaving out nothing (a zero sum stays). */
function byCurrency(items: Iterable<{ currency: string; minor: bigint }>): ByCurrency {
  const totals = new Map<string, bigint>();
  for (const i of items) totals.set(i.currency, (totals.get(i.currency) ?? 0n) + i.minor);
  return [...totals].sort(([a], [b]) => (a < b ? -1 : 1)).map(([currency, minor]) => ({ currency, minor }));
}

class BruteForce {
  constructor(readonly s: Snapshot, readonly clock: AnalyticsClock) {}
  day = (instant: number) => dateIn(this.clock.timeZone, new Date(instant));
  inPeriod = (date: string, p: Period) => date >= p.from && date <= p.to;
  matches = (row: { company_id: string; currency: string }, f: LedgerFilter = {}) => (!f.companyId || row.company_id === f.companyId) && (!f.currency || row.currency === f.currency);
  order = (id: string) => this.s.orders.find((o) => o.id === id)!;

  booked(p: Period, f?: LedgerFilter) {
    return this.s.orders.filter((o) => o.accepted !== null && this.inPeriod(this.day(o.accepted), p) && o.status !== "rejected" && o.status !== "cancelled" && this.matches(o, f));
  }
  invoiced(p: Period, f?: LedgerFilter) {
    const invoices = this.s.invoices.filter((i) => this.inPeriod(i.issue_date, p) && this.matches(i, f)).map((i) => ({ key: `invoice:${i.id}`, currency: i.currency, minor: i.total, order_id: i.order_id, invoice_id: i.id, on_date: i.issue_date }));
    const notes = this.s.creditNotes.filter((n) => this.inPeriod(n.issue_date, p) && this.matches(n, f)).map((n) => ({ key: `credit_note:${n.invoice_id}`, currency: n.currency, minor: -n.total, order_id: n.order_id, invoice_id: n.invoice_id, on_date: n.issue_date }));
    return [...invoices, ...notes];
  }
  collected(p: Period, f?: LedgerFilter) {
    return this.s.payments.filter((x) => x.status === "verified" && this.inPeriod(x.paid_on, p) && this.matches(x, f));
  }
  /** Per invoice issued by D and not credited by D: total − verified payments paid by D, when > 0. */
  outstanding(d: string, f?: LedgerFilter) {
    const out: { invoice: InvoiceRow; minor: bigint }[] = [];
    for (const i of this.s.invoices) {
      if (i.issue_date > d || !this.matches(i, f)) continue;
      if (this.s.creditNotes.some((n) => n.invoice_id === i.id && n.issue_date <= d)) continue;
      let paid = 0n;
      for (const a of this.s.allocations) {
        if (a.invoice_id !== i.id) continue;
        const p = this.s.payments.find((x) => x.id === a.payment_id)!;
        if (p.status === "verified" && p.paid_on <= d) paid += a.amount;
      }
      if (i.total - paid > 0n) out.push({ invoice: i, minor: i.total - paid });
    }
    return out;
  }
  bucket(due: string, d: string) {
    const days = Math.round((Date.parse(d) - Date.parse(due)) / 86_400_000);
    return days <= 0 ? "current" : days <= 30 ? "1-30" : days <= 60 ? "31-60" : days <= 90 ? "61-90" : "90+";
  }
  latestQuotation(orderId: string) {
    return this.s.quotations.filter((q) => q.order_id === orderId).sort((a, b) => b.version - a.version)[0];
  }

  // Sales
  openQuotations() {
    const now = this.clock.now.getTime();
    const open = this.s.orders.filter((o) => o.status === "quoted" && this.latestQuotation(o.id)!.valid_until >= now);
    const horizon = endOfDayAfter(this.clock.now, 7, this.clock.timeZone).getTime();
    const expiring = open.filter((o) => this.latestQuotation(o.id)!.valid_until <= horizon);
    const stale = this.s.orders.filter((o) => o.status === "quoted" && this.latestQuotation(o.id)!.valid_until < now);
    return {
      count: open.length, value: byCurrency(open.map((o) => ({ currency: o.currency, minor: o.total! }))),
      expiring: expiring.length, expiringValue: byCurrency(expiring.map((o) => ({ currency: o.currency, minor: o.total! }))),
      /** Status "quoted" but past validity (not yet moved by the expiry job). */
      stale: stale.length,
    };
  }
  winRate() {
    const window = rangeOfDays(this.clock.today, 90);
    let won = 0;
    let lost = 0;
    for (const o of this.s.orders) {
      if (o.submitted === null || !this.inPeriod(this.day(o.submitted), window)) continue;
      if (o.accepted !== null) won++;
      else if (["declined", "expired", "cancelled"].includes(o.status)) lost++;
    }
    return { won, lost, rate: won + lost === 0 ? null : won / (won + lost) };
  }
  approvalQueue() {
    const now = this.clock.now.getTime();
    const waiting = this.s.orders.filter((o) => o.status === "awaiting_seller_approval");
    const stageOpened = (o: OrderRow) => {
      const decided = this.s.approvals.filter((a) => a.order_id === o.id).map((a) => a.decided);
      return Math.max(o.accepted!, ...decided);
    };
    const since = waiting.map(stageOpened);
    return {
      count: waiting.length,
      awaitingFinance: waiting.filter((o) => this.s.approvals.some((a) => a.order_id === o.id && a.step === "sales")).length,
      oldestWaitingMs: since.length ? now - Math.min(...since) : null,
      customerWaiting: this.s.orders.filter((o) => o.status === "awaiting_customer_approval").length,
    };
  }
  /** Cycle times in ms for orders finally approved in the period: per stage and total; median and p90 (percentile_cont). */
  approvalCycle(p: Period) {
    const stages: Record<"customer" | "sales" | "finance" | "total", number[]> = { customer: [], sales: [], finance: [], total: [] };
    for (const o of this.s.orders) {
      if (o.approved === null || !this.inPeriod(this.day(o.approved), p)) continue;
      const decision = (step: string) => this.s.approvals.find((a) => a.order_id === o.id && a.step === step);
      const customer = decision("customer");
      const sales = decision("sales");
      const finance = decision("finance");
      if (customer) stages.customer.push(customer.decided - o.accepted!);
      if (sales) stages.sales.push(sales.decided - (customer?.decided ?? o.accepted!));
      // Finance's stage opens at the sales decision; when finance decided first, with the seller's stage.
      if (finance) stages.finance.push(finance.decided - (sales && sales.decided < finance.decided ? sales.decided : (customer?.decided ?? o.accepted!)));
      stages.total.push(o.approved - o.submitted!);
    }
    const pct = (values: number[], q: number) => {
      if (!values.length) return null;
      const v = [...values].sort((a, b) => a - b);
      const pos = q * (v.length - 1);
      const lo = Math.floor(pos);
      return v[lo]! + (v[Math.min(lo + 1, v.length - 1)]! - v[lo]!) * (pos - lo);
    };
    return Object.fromEntries(Object.entries(stages).map(([k, v]) => [k, { count: v.length, median: pct(v, 0.5), p90: pct(v, 0.9) }]));
  }
  bookedThisAndLastMonth() {
    const month = monthOf(this.clock.today);
    const sum = (p: Period) => byCurrency(this.booked(p).map((o) => ({ currency: o.currency, minor: o.total! })));
    return { thisMonth: sum(monthPeriod(month)), lastMonth: sum(monthPeriod(previousMonth(month))) };
  }

  // Finance
  pendingPayments() {
    const pending = this.s.payments.filter((p) => p.status === "pending_verification");
    return { count: pending.length, amount: byCurrency(pending.map((p) => ({ currency: p.currency, minor: p.amount }))) };
  }
  ageing(d = this.clock.today) {
    const buckets = new Map<string, Map<string, { count: number; minor: bigint }>>();
    for (const { invoice, minor } of this.outstanding(d)) {
      const b = this.bucket(invoice.due_date, d);
      const perCurrency = buckets.get(b) ?? new Map();
      const cell = perCurrency.get(invoice.currency) ?? { count: 0, minor: 0n };
      perCurrency.set(invoice.currency, { count: cell.count + 1, minor: cell.minor + minor });
      buckets.set(b, perCurrency);
    }
    return buckets;
  }
  dso() {
    const outstanding = byCurrency(this.outstanding(this.clock.today).map((o) => ({ currency: o.invoice.currency, minor: o.minor })));
    const invoiced = byCurrency(this.invoiced(rangeOfDays(this.clock.today, 90)));
    return outstanding.map((o) => {
      const inv = invoiced.find((i) => i.currency === o.currency)?.minor ?? 0n;
      return { currency: o.currency, outstanding: o.minor, invoiced90: inv, days: inv > 0n ? (Number(o.minor) / Number(inv)) * 90 : null };
    });
  }
  collectedThisMonth() {
    return byCurrency(this.collected(monthPeriod(monthOf(this.clock.today))).map((p) => ({ currency: p.currency, minor: p.amount })));
  }
  /** Exposure (open invoices' verified outstanding + accepted orders awaiting approval) against the credit limit. */
  creditUtilisation() {
    return this.s.companies
      .filter((c) => c.credit_limit > 0n)
      .map((c) => {
        let exposure = 0n;
        for (const i of this.s.invoices) {
          if (i.company_id !== c.id || i.status !== "open") continue;
          const paid = this.s.allocations
            .filter((a) => a.invoice_id === i.id && this.s.payments.find((p) => p.id === a.payment_id)!.status === "verified")
            .reduce((s, a) => s + a.amount, 0n);
          exposure += i.total - paid;
        }
        for (const o of this.s.orders) if (o.company_id === c.id && (o.status === "awaiting_customer_approval" || o.status === "awaiting_seller_approval")) exposure += o.total!;
        return { companyId: c.id, currency: c.currency, exposure, limit: c.credit_limit, ratio: Number(exposure) / Number(c.credit_limit) };
      });
  }

  // Admin
  lowStock() {
    return this.s.products.filter((p) => !p.archived && p.threshold > 0 && p.on_hand - p.reserved < p.threshold).map((p) => p.id).sort();
  }

  // Customer admin
  spendByMonth(companyId: string, months = 12) {
    return lastMonths(this.clock.today, months).map((m) => ({ month: m, amount: byCurrency(this.invoiced(monthPeriod(m), { companyId })) }));
  }
  spendByBuyer(companyId: string, p: Period) {
    const totals = new Map<string, { currency: string; minor: bigint }[]>();
    for (const e of this.invoiced(p, { companyId })) {
      const buyer = this.order(e.order_id).buyer_id;
      totals.set(buyer, [...(totals.get(buyer) ?? []), e]);
    }
    return new Map([...totals].map(([k, v]) => [k, byCurrency(v)]));
  }
  spendByCategory(companyId: string, p: Period) {
    const items: { category: string; currency: string; minor: bigint }[] = [];
    const lines = (invoiceId: string, sign: bigint, currency: string) => {
      for (const l of this.s.invoiceLines.filter((x) => x.invoice_id === invoiceId)) {
        items.push({ category: this.s.products.find((x) => x.id === l.product_id)!.category, currency, minor: sign * l.total });
      }
    };
    for (const i of this.s.invoices) if (i.company_id === companyId && this.inPeriod(i.issue_date, p)) lines(i.id, 1n, i.currency);
    for (const n of this.s.creditNotes) if (n.company_id === companyId && this.inPeriod(n.issue_date, p)) lines(n.invoice_id, -1n, n.currency);
    const categories = new Map<string, ByCurrency>();
    for (const c of new Set(items.map((i) => i.category))) categories.set(c, byCurrency(items.filter((i) => i.category === c)));
    return categories;
  }
  openInvoices(companyId: string) {
    return this.outstanding(this.clock.today, { companyId }).map((o) => ({ invoiceId: o.invoice.id, dueDate: o.invoice.due_date, outstanding: o.minor })).sort((a, b) => (a.invoiceId < b.invoiceId ? -1 : 1));
  }
  waitingForCustomerApproval(companyId: string) {
    return this.s.orders.filter((o) => o.company_id === companyId && o.status === "awaiting_customer_approval").map((o) => o.id).sort();
  }
}

// ---------------------------------------------------------------------------------------------

const sum = (entries: SQL) => queryRows<{ currency: string; minor: string }>(db, sql`select currency, sum(amount_minor)::text as minor from (${entries}) e group by currency order by currency`).then((r) => r.map((x) => ({ currency: x.currency, minor: BigInt(x.minor) })));
const nonZero = (amounts: ByCurrency) => amounts.filter((a) => a.minor !== 0n);

let workload: WorkloadResult;
let clock: AnalyticsClock;
let bf: BruteForce;

beforeAll(async () => {
  console.log(`[analytics] seed ${SEED} (replay: ANALYTICS_SEED=${SEED})`);
  workload = await runAnalyticsWorkload({ seed: SEED, orders: ORDERS, asOwner: withOwner, label: `Analytics ${SEED}`, log: console.log });
  clock = sellerClock();
  bf = new BruteForce(await snapshot(), clock);
}, 120_000);

describe(`analytics workload (seed ${SEED})`, () => {
  it("spreads the orders over the past year with their events in order", () => {
    const now = clock.now.getTime();
    const mine = bf.s.orders.filter((o) => workload.orderIds.includes(o.id));
    expect(mine).toHaveLength(ORDERS);
    const problems: string[] = [];
    for (const o of mine) {
      const qs = bf.s.quotations.filter((q) => q.order_id === o.id).sort((a, b) => a.version - b.version);
      const latest = qs.at(-1)!;
      const chain = [o.submitted, ...qs.map((q) => q.issued), o.accepted, ...bf.s.approvals.filter((a) => a.order_id === o.id).sort((a, b) => a.decided - b.decided).map((a) => a.decided), o.approved].filter((t): t is number => t !== null);
      // One step stamps some columns with PostgreSQL's transaction start (a quotation's issued_at) and
      // others with Node's clock later in the same transaction (the order's submitted_at): on a loaded
      // machine they are milliseconds apart in that order. Steps are planned hours to weeks apart, so
      // a second of slack still catches any step the rewrite put out of order.
      if (chain.some((t, i) => i > 0 && t < chain[i - 1]! - 1000)) problems.push(`${o.id}: events out of order ${o.status} ${JSON.stringify({ s: o.submitted, q: qs.map((q) => q.issued), a: o.accepted, d: bf.s.approvals.filter((x) => x.order_id === o.id).map((x) => [x.step, x.decided]), ap: o.approved })}`);
      if (chain.some((t) => t > now) || (o.closed !== null && o.closed > now)) problems.push(`${o.id}: an event in the future`);
      if (o.accepted !== null && o.accepted > latest.valid_until) problems.push(`${o.id}: accepted after its quotation expired`);
      if (o.status === "expired" && (o.closed === null || o.closed < latest.valid_until)) problems.push(`${o.id}: expired before its validity ended`);
      const invoice = bf.s.invoices.find((i) => i.order_id === o.id);
      if (invoice && invoice.issue_date !== bf.day(o.approved!)) problems.push(`${o.id}: invoice dated ${invoice.issue_date}, approved ${bf.day(o.approved!)}`);
      for (const n of bf.s.creditNotes.filter((n) => n.order_id === o.id)) if (n.issue_date < invoice!.issue_date || n.issue_date > clock.today) problems.push(`${o.id}: credit note dated ${n.issue_date}`);
      for (const a of bf.s.allocations.filter((a) => a.invoice_id === invoice?.id)) {
        const p = bf.s.payments.find((x) => x.id === a.payment_id)!;
        if (p.paid_on < invoice!.issue_date || p.paid_on > clock.today) problems.push(`${o.id}: payment on ${p.paid_on}, invoice of ${invoice!.issue_date}`);
      }
    }
    expect(problems).toEqual([]);
    // Due dates keep the company's payment terms.
    const terms = new Map(bf.s.invoices.filter((i) => workload.companyIds.includes(i.company_id)).map((i) => [i.id, Math.round((Date.parse(i.due_date) - Date.parse(i.issue_date)) / 86_400_000)]));
    expect(new Set(terms.values()).size).toBeGreaterThan(1);
    // Months, ageing buckets and overdue invoices are populated.
    const months = new Set(bf.s.invoices.filter((i) => workload.companyIds.includes(i.company_id)).map((i) => monthOf(i.issue_date)));
    expect(months.size).toBeGreaterThanOrEqual(8);
    const overdue = bf.outstanding(clock.today).filter((o) => o.invoice.due_date < clock.today);
    expect(overdue.length).toBeGreaterThan(0);
    console.log(`[analytics] ${months.size} months invoiced, ${overdue.length} overdue invoices, buckets ${JSON.stringify([...bf.ageing().keys()])}`);
  });
});

describe(`ledger fragments against the brute force (seed ${SEED})`, () => {
  const periods = () => {
    const rnd = seededRandom(SEED + 1);
    const list: Period[] = lastMonths(clock.today, 13).map(monthPeriod);
    list.push(rangeOfDays(clock.today, 90), rangeOfDays(clock.today, 30), { from: clock.today, to: clock.today });
    for (let i = 0; i < 4; i++) {
      const from = addDays(clock.today, -rnd.int(0, 400));
      list.push({ from, to: addDays(from, rnd.int(0, 120)) });
    }
    return list;
  };
  const filters = (): LedgerFilter[] => [{}, { currency: "USD" }, { currency: "EUR" }, ...workload.companyIds.map((companyId) => ({ companyId })), { companyId: workload.companyIds[0], currency: "USD" }];

  it("booked: the orders accepted in the period that still stand, at their totals", async () => {
    let entries = 0;
    for (const p of periods())
      for (const f of filters()) {
        const actual = await queryRows<{ order_id: string; amount_minor: string; on_date: string }>(db, sql`select order_id, amount_minor::text, on_date::text from (${bookedEntries(p, clock, f)}) e order by order_id`);
        const expected = bf.booked(p, f).sort((a, b) => (a.id < b.id ? -1 : 1));
        expect(actual.map((r) => [r.order_id, BigInt(r.amount_minor), r.on_date]), `${JSON.stringify(p)} ${JSON.stringify(f)}`).toEqual(expected.map((o) => [o.id, o.total, bf.day(o.accepted!)]));
        expect(await sum(bookedEntries(p, clock, f))).toEqual(byCurrency(expected.map((o) => ({ currency: o.currency, minor: o.total! }))));
        entries += expected.length;
      }
    expect(entries).toBeGreaterThan(0);
  });

  it("invoiced: invoices by issue date minus credit notes by theirs", async () => {
    let entries = 0;
    for (const p of periods())
      for (const f of filters()) {
        const actual = await queryRows<{ kind: string; invoice_id: string; amount_minor: string; on_date: string }>(db, sql`select kind, invoice_id, amount_minor::text, on_date::text from (${invoicedEntries(p, f)}) e`);
        const expected = bf.invoiced(p, f);
        const key = (k: string, id: string) => `${k}:${id}`;
        expect(actual.map((r) => [key(r.kind, r.invoice_id), BigInt(r.amount_minor), r.on_date]).sort(), `${JSON.stringify(p)} ${JSON.stringify(f)}`).toEqual(expected.map((e) => [e.key, e.minor, e.on_date]).sort());
        expect(nonZero(await sum(invoicedEntries(p, f)))).toEqual(nonZero(byCurrency(expected)));
        entries += expected.length;
      }
    expect(entries).toBeGreaterThan(0);
  });

  it("collected: verified payments by the date paid", async () => {
    let entries = 0;
    for (const p of periods())
      for (const f of filters()) {
        const actual = await queryRows<{ payment_id: string; amount_minor: string }>(db, sql`select payment_id, amount_minor::text from (${collectedEntries(p, f)}) e order by payment_id`);
        const expected = bf.collected(p, f).sort((a, b) => (a.id < b.id ? -1 : 1));
        expect(actual.map((r) => [r.payment_id, BigInt(r.amount_minor)]), `${JSON.stringify(p)} ${JSON.stringify(f)}`).toEqual(expected.map((x) => [x.id, x.amount]));
        entries += expected.length;
      }
    expect(entries).toBeGreaterThan(0);
  });

  it("outstanding at a date: per invoice, at month ends, random days and today", async () => {
    const rnd = seededRandom(SEED + 2);
    const dates = [clock.today, ...lastMonths(clock.today, 13).map((m) => monthPeriod(m).to).filter((d) => d < clock.today), ...Array.from({ length: 5 }, () => addDays(clock.today, -rnd.int(0, 400)))];
    let entries = 0;
    for (const d of dates)
      for (const f of filters()) {
        const actual = await queryRows<{ invoice_id: string; outstanding_minor: string }>(db, sql`select invoice_id, outstanding_minor::text from (${outstandingAsOf(d, f)}) e order by invoice_id`);
        const expected = bf.outstanding(d, f).sort((a, b) => (a.invoice.id < b.invoice.id ? -1 : 1));
        expect(actual.map((r) => [r.invoice_id, BigInt(r.outstanding_minor)]), `${d} ${JSON.stringify(f)}`).toEqual(expected.map((o) => [o.invoice.id, o.minor]));
        entries += expected.length;
      }
    expect(entries).toBeGreaterThan(0);
  });

  it("outstanding today equals invoiceBalances' verified outstanding, invoice by invoice", async () => {
    const balances = (await invoiceBalances(db, { everyCompany: true, counting: "verified" })).filter((b) => b.outstandingMinor > 0n);
    const ledger = await queryRows<{ invoice_id: string; outstanding_minor: string }>(db, sql`select invoice_id, outstanding_minor::text from (${outstandingAsOf(clock.today)}) e`);
    const byId = (list: [string, bigint][]) => list.sort(([a], [b]) => (a < b ? -1 : 1));
    expect(byId(ledger.map((r) => [r.invoice_id, BigInt(r.outstanding_minor)]))).toEqual(byId(balances.map((b) => [b.invoiceId, b.outstandingMinor])));
    expect(balances.length).toBeGreaterThan(0);
  });
});

describe(`sales dashboard against the brute force (seed ${SEED})`, () => {
  it("open and expiring quotations, win rate, approval queue, cycle times, booked this and last month, top customers and products", async () => {
    const data = await salesDashboardData(db, clock);
    const s = bf.s;
    const now = clock.now.getTime();
    const window = rangeOfDays(clock.today, 90);
    expect(data.window).toEqual(window);

    // Open: quoted and still valid now; expiring: valid until before the end of the 7th seller day after today.
    const validUntil = (o: OrderRow) => bf.latestQuotation(o.id)!.valid_until;
    const open = s.orders.filter((o) => o.status === "quoted" && validUntil(o) >= now);
    const horizon = endOfDayAfter(clock.now, 7, clock.timeZone).getTime();
    const expiring = open.filter((o) => validUntil(o) <= horizon);
    const value = (list: OrderRow[]) => byCurrency(list.map((o) => ({ currency: o.currency, minor: o.total! })));
    expect([data.openQuotations.count, data.openQuotations.value]).toEqual([open.length, value(open)]);
    expect([data.expiring.count, data.expiring.value]).toEqual([expiring.length, value(expiring)]);
    expect(open.length).toBeGreaterThan(0);

    // Win rate over orders submitted in the last 90 days (a quoted order past its validity is lost: expired).
    let won = 0;
    let lost = 0;
    for (const o of s.orders) {
      if (o.submitted === null || !bf.inPeriod(bf.day(o.submitted), window)) continue;
      if (o.accepted !== null) won++;
      else if (["declined", "expired", "cancelled"].includes(o.status) || (o.status === "quoted" && validUntil(o) < now)) lost++;
    }
    expect([data.winRate.won, data.winRate.lost, data.winRate.rate]).toEqual([won, lost, won + lost ? won / (won + lost) : null]);
    expect(won + lost).toBeGreaterThan(0);

    // The approval queue: the stage each waiting order is in, and since when.
    const decided = (o: OrderRow, step: string) => s.approvals.find((a) => a.order_id === o.id && a.step === step)?.decided;
    const waiting = s.orders
      .filter((o) => o.status === "awaiting_customer_approval" || o.status === "awaiting_seller_approval")
      .map((o) => {
        const stage = o.status === "awaiting_customer_approval" ? "customer" : decided(o, "sales") === undefined ? "sales" : "finance";
        const since = stage === "customer" ? o.accepted! : stage === "sales" ? (decided(o, "customer") ?? o.accepted!) : decided(o, "sales")!;
        return { o, stage, since };
      });
    expect(data.approvalQueue.stages.map((x) => [x.stage, x.count, x.oldestSince?.getTime() ?? null])).toEqual(
      ["customer", "sales", "finance"].map((stage) => {
        const mine = waiting.filter((w) => w.stage === stage);
        return [stage, mine.length, mine.length ? Math.floor(Math.min(...mine.map((w) => w.since))) : null];
      }),
    );
    const oldest = [...waiting].sort((a, b) => a.since - b.since || (a.o.id < b.o.id ? -1 : 1)).slice(0, 10);
    expect(data.approvalQueue.oldest.map((x) => [x.orderId, x.stage])).toEqual(oldest.map((w) => [w.o.id, w.stage]));
    expect(waiting.length).toBeGreaterThan(0);

    // Cycle times of the orders finally approved in the window, in seconds (percentile_cont: linear interpolation).
    const cycle = bf.approvalCycle(window) as Record<string, { count: number; median: number | null; p90: number | null }>;
    expect(cycle.total!.count).toBeGreaterThan(0);
    expect(data.cycleTime.stages.map((x) => x.stage)).toEqual(["customer", "sales", "finance", "total"].filter((k) => cycle[k]!.count > 0));
    for (const x of data.cycleTime.stages) {
      expect(x.orders, x.stage).toBe(cycle[x.stage]!.count);
      expect(x.medianSeconds, `${x.stage} median`).toBeCloseTo(cycle[x.stage]!.median! / 1000, 2);
      expect(x.p90Seconds, `${x.stage} p90`).toBeCloseTo(cycle[x.stage]!.p90! / 1000, 2);
    }

    // Booked this month and last.
    const month = monthOf(clock.today);
    for (const [figure, m] of [[data.booked.thisMonth, month], [data.booked.lastMonth, previousMonth(month)]] as const) {
      const booked = bf.booked(monthPeriod(m));
      expect([figure.month, figure.count, figure.value], m).toEqual([m, booked.length, value(booked)]);
    }

    // Top five customers and products per currency, by value booked this month and the two months before.
    const months = lastMonths(clock.today, 3);
    const topPeriod = { from: monthPeriod(months[0]!).from, to: monthPeriod(months[2]!).to };
    expect(data.topMonths).toEqual({ months, period: topPeriod });
    const booked = bf.booked(topPeriod);
    const top = <K extends string>(items: { currency: string; key: K; minor: bigint; quantity: number }[]) => {
      const groups = new Map<string, { currency: string; key: K; minor: bigint; quantity: number; orders: number }>();
      for (const i of items) {
        const g = groups.get(`${i.currency}|${i.key}`) ?? { currency: i.currency, key: i.key, minor: 0n, quantity: 0, orders: 0 };
        groups.set(`${i.currency}|${i.key}`, { ...g, minor: g.minor + i.minor, quantity: g.quantity + i.quantity, orders: g.orders + 1 });
      }
      const sorted = [...groups.values()].sort((a, b) => (a.currency !== b.currency ? (a.currency < b.currency ? -1 : 1) : a.minor !== b.minor ? (a.minor > b.minor ? -1 : 1) : a.key < b.key ? -1 : 1));
      return sorted.filter((g, i) => sorted.slice(0, i).filter((h) => h.currency === g.currency).length < 5);
    };
    expect(data.topCustomers.map((c) => [c.currency, c.companyId, c.orders, c.minor])).toEqual(
      top(booked.map((o) => ({ currency: o.currency, key: o.company_id, minor: o.total!, quantity: 0 }))).map((g) => [g.currency, g.key, g.orders, g.minor]),
    );
    const lines = booked.flatMap((o) => {
      const version = bf.latestQuotation(o.id)!.version;
      return s.quotationLines.filter((l) => l.order_id === o.id && l.version === version).map((l) => ({ currency: o.currency, key: l.product_id, minor: l.total, quantity: l.quantity }));
    });
    expect(data.topProducts.map((p) => [p.currency, p.productId, p.orders, p.quantity, p.minor])).toEqual(top(lines).map((g) => [g.currency, g.key, g.orders, g.quantity, g.minor]));
    expect(data.topProducts.length).toBeGreaterThan(0);
  });

  it("the sales rollups (kept by triggers through the workload) equal a recomputation from the ledger and the documents", async () => {
    // Every month ever booked, per currency and company or product, from bookedEntries and the booked
    // orders' latest quotation lines; the rollups must hold exactly these rows (symmetric difference empty).
    // Each with the converted columns (migration 0034): entries converted into the seller's currency at
    // their latest quotation's rate (orders whole, products line by line), those without a rate apart.
    const all = bookedWithRates({ from: "2000-01-01", to: "2099-12-31" }, clock);
    const seller = env().DEFAULT_CURRENCY;
    const month = sql`date_trunc('month', e.on_date)::date`;
    const toSeller = (amount: SQL) => convertedMinorSql({ amount, currency: sql`e.currency`, fxBase: sql`e.fx_base`, fxQuote: sql`e.fx_quote`, fxRate: sql`e.fx_rate` }, seller);
    const converted = (amount: SQL) => sql`count(${toSeller(amount)})::int as converted_orders, coalesce(sum(${toSeller(amount)}), 0)::bigint as converted_minor,
      coalesce(sum(${amount}) filter (where ${toSeller(amount)} is null), 0)::bigint as unconverted_minor`;
    const companies = sql`select ${month} as month, e.currency::text as currency, e.company_id as key, count(*)::int as orders, 0::bigint as quantity, sum(e.amount_minor) as minor,
        ${converted(sql`e.amount_minor`)}
      from (${all}) e group by 1, 2, 3`;
    const products = sql`select ${month} as month, e.currency::text as currency, l.product_id as key, count(*)::int as orders, sum(l.quantity)::bigint as quantity, sum(l.total_minor) as minor,
        ${converted(sql`l.total_minor`)}
      from (${all}) e cross join lateral (select q.id from quotations q where q.order_id = e.order_id order by q.version desc limit 1) lq
      join quotation_lines l on l.quotation_id = lq.id group by 1, 2, 3`;
    const conv = sql`converted_orders, converted_minor, unconverted_minor`;
    const rollupCompanies = sql`select month, currency::text, company_id, orders, 0::bigint, amount_minor, ${conv} from booked_company_months`;
    const rollupProducts = sql`select month, currency::text, product_id, orders, quantity, amount_minor, ${conv} from booked_product_months`;
    const differences = async (ledger: SQL, rollup: SQL) =>
      (await rows<{ n: number; ledger: number }>(sql`select
          (select count(*) from ((${ledger}) except all (${rollup})) a)::int + (select count(*) from ((${rollup}) except all (${ledger})) b)::int as n,
          (select count(*) from (${ledger}) c)::int as ledger`))[0]!;
    const c = await differences(companies, rollupCompanies);
    const p = await differences(products, rollupProducts);
    expect([c.n, p.n]).toEqual([0, 0]);
    expect(c.ledger).toBeGreaterThan(0);
    expect(p.ledger).toBeGreaterThan(c.ledger / 2);
    const foreign = (await rows<{ converted: number; unconverted: number }>(sql`select count(*) filter (where converted_orders > 0)::int as converted,
        count(*) filter (where converted_orders < orders)::int as unconverted from booked_company_months where currency <> ${seller}`))[0]!;
    expect(foreign.converted).toBeGreaterThan(0);
    // The rolling windows (migration 0021): per product, the sums over each month and the two before,
    // for every month that ends a window with a booking in it.
    const windows = await differences(
      sql`select (p.month + make_interval(months => s))::date, p.currency, p.key, sum(p.orders)::int, sum(p.quantity)::bigint, sum(p.minor),
          sum(p.converted_orders)::int, sum(p.converted_minor)::bigint, sum(p.unconverted_minor)::bigint
        from (${products}) p cross join generate_series(0, 2) s group by 1, 2, 3`,
      sql`select end_month, currency::text, product_id, orders, quantity, amount_minor, ${conv} from booked_product_windows`,
    );
    expect(windows.n).toBe(0);
    expect(windows.ledger).toBeGreaterThan(p.ledger);
    // The approval cycle rollup: one row per approved order with its instants, as the documents have them.
    const cycle = await differences(
      sql`select o.id, o.approved_at, o.submitted_at, o.accepted_at,
          (select max(x.decided_at) from order_approvals x where x.order_id = o.id and x.step = 'customer'),
          (select max(x.decided_at) from order_approvals x where x.order_id = o.id and x.step = 'sales'),
          (select max(x.decided_at) from order_approvals x where x.order_id = o.id and x.step = 'finance')
        from orders o where o.approved_at is not null`,
      sql`select order_id, approved_at, submitted_at, accepted_at, customer_at, sales_at, finance_at from order_cycle_times`,
    );
    expect(cycle.n).toBe(0);
    expect(cycle.ledger).toBeGreaterThan(0);
  });
});

describe(`finance dashboard against the brute force (seed ${SEED})`, () => {
  it("payments awaiting verification, bank lines, receivables by ageing bucket, DSO, collected, credit utilisation", async () => {
    const data = await financeDashboardData(db, clock);
    const s = bf.s;
    const pending = s.payments.filter((p) => p.status === "pending_verification");
    expect(data.awaitingVerification.count).toBe(pending.length);
    expect(data.awaitingVerification.amounts).toEqual(byCurrency(pending.map((p) => ({ currency: p.currency, minor: p.amount }))));
    expect(data.awaitingVerification.oldestRecordedAt?.getTime() ?? null).toBe(pending.length ? Math.floor(Math.min(...pending.map((p) => p.created))) : null);
    expect(data.bankLines).toEqual({ unmatched: s.bankLines.filter((l) => l.status === "unmatched").length, toConfirm: s.bankLines.filter((l) => l.status === "suggested").length });

    const buckets = ["current", "1-30", "31-60", "61-90", "90+"] as const;
    const outstanding = bf.outstanding(clock.today);
    const currencies = [...new Set(outstanding.map((o) => o.invoice.currency))].sort();
    expect(data.receivables).toEqual(
      currencies.map((currency) => {
        const mine = outstanding.filter((o) => o.invoice.currency === currency);
        const inBucket = (b: string) => mine.filter((o) => bf.bucket(o.invoice.due_date, clock.today) === b);
        return {
          currency,
          buckets: Object.fromEntries(buckets.map((b) => [b, inBucket(b).reduce((t, o) => t + o.minor, 0n)])),
          invoices: Object.fromEntries(buckets.map((b) => [b, inBucket(b).length])),
          overdueMinor: mine.filter((o) => o.invoice.due_date < clock.today).reduce((t, o) => t + o.minor, 0n),
          totalMinor: mine.reduce((t, o) => t + o.minor, 0n),
        };
      }),
    );
    expect(data.receivables.some((r) => r.overdueMinor > 0n)).toBe(true);

    const dso = bf.dso();
    const invoiced90 = byCurrency(bf.invoiced(rangeOfDays(clock.today, 90)));
    const dsoCurrencies = [...new Set([...dso.map((d) => d.currency), ...invoiced90.map((i) => i.currency)])].sort();
    expect(data.dso.figures.map((f) => [f.currency, f.outstandingMinor, f.invoicedMinor])).toEqual(
      dsoCurrencies.map((c) => [c, dso.find((d) => d.currency === c)?.outstanding ?? 0n, invoiced90.find((i) => i.currency === c)?.minor ?? 0n]),
    );
    for (const f of data.dso.figures) {
      // One decimal, rounded: within 0.05 days of outstanding / invoiced × 90.
      if (f.invoicedMinor <= 0n) expect(f.days, f.currency).toBeNull();
      else expect(Math.abs(f.days! - (Number(f.outstandingMinor) / Number(f.invoicedMinor)) * 90), f.currency).toBeLessThanOrEqual(0.0500001);
    }

    const month = monthOf(clock.today);
    const thisMonth = byCurrency(bf.collected(monthPeriod(month)).map((p) => ({ currency: p.currency, minor: p.amount })));
    const lastMonth = byCurrency(bf.collected(monthPeriod(previousMonth(month))).map((p) => ({ currency: p.currency, minor: p.amount })));
    const collectedCurrencies = [...new Set([...thisMonth, ...lastMonth].map((c) => c.currency))].sort();
    expect(data.collected.amounts).toEqual(
      collectedCurrencies.map((currency) => ({ currency, thisMonthMinor: thisMonth.find((c) => c.currency === currency)?.minor ?? 0n, lastMonthMinor: lastMonth.find((c) => c.currency === currency)?.minor ?? 0n })),
    );

    const above = bf.creditUtilisation().filter((c) => c.exposure * 100n >= c.limit * 80n);
    const name = (id: string) => s.companies.find((c) => c.id === id)!.name;
    above.sort((a, b) => b.ratio - a.ratio || (name(a.companyId) < name(b.companyId) ? -1 : 1));
    expect(data.creditUtilisation.total).toBe(above.length);
    expect(data.creditUtilisation.companies.map((c) => [c.companyId, c.exposureMinor, c.creditLimitMinor, c.utilisationPercent])).toEqual(
      above.slice(0, 50).map((c) => [c.companyId, c.exposure, c.limit, Number((c.exposure * 1000n) / c.limit) / 10]),
    );
    // The in-or-out decision was made on the workload's own companies too (a limit and some exposure).
    // Whether its tight-limit customer ends above 80 % depends on the seed (565215302: it does not),
    // so that is not asserted here; finance-dashboard.integration.test.ts lists a company above it
    // deterministically.
    expect(bf.creditUtilisation().some((c) => workload.companyIds.includes(c.companyId) && c.exposure > 0n)).toBe(true);
  });

  it("the converted entries and receivables (kept by triggers through the workload) equal the documents converted at their rates", async () => {
    // Migration 0035: per invoice, credit note and verified payment part, the amount in the seller's
    // currency at the rate the document kept; per open invoice, its outstanding amount likewise.
    const seller = env().DEFAULT_CURRENCY;
    const always = { from: "2000-01-01", to: "2099-12-31" };
    const toSeller = convertedMinorSql({ amount: sql`e.amount_minor`, currency: sql`e.currency`, fxBase: sql`e.fx_base`, fxQuote: sql`e.fx_quote`, fxRate: sql`e.fx_rate` }, seller);
    const documents = (relation: SQL) => sql`select e.on_date, e.currency::text, e.amount_minor::bigint, ${toSeller}::bigint from (${relation}) e`;
    const kept = (figure: string) => sql`select on_date, currency::text, amount_minor, converted_minor from converted_entries where figure = ${figure}`;
    const differences = async (a: SQL, b: SQL) =>
      (await rows<{ n: number; rows: number; converted: number }>(sql`select
          (select count(*) from ((${a}) except all (${b})) x)::int + (select count(*) from ((${b}) except all (${a})) y)::int as n,
          (select count(*) from (${a}) z)::int as rows, (select count(*) from (${a}) w where w.converted_minor is not null and w.currency <> ${seller})::int as converted`))[0]!;
    const invoiced = await differences(kept("invoiced"), documents(invoicedWithRates(always)));
    const collected = await differences(kept("collected"), documents(collectedWithRates(always)));
    const receivables = await differences(
      sql`select invoice_id, currency::text, outstanding_minor as amount_minor, converted_minor from receivable_balances`,
      sql`select e.invoice_id, e.currency::text, e.amount_minor::bigint, ${toSeller}::bigint from (${receivablesWithRates()}) e`,
    );
    expect([invoiced.n, collected.n, receivables.n]).toEqual([0, 0, 0]);
    expect([invoiced.rows, collected.rows, receivables.rows].every((n) => n > 0)).toBe(true);
    // Foreign documents were converted (the workload's USD customer buys at a rate).
    expect(invoiced.converted).toBeGreaterThan(0);
    expect(collected.converted).toBeGreaterThan(0);
  });
});

describe(`admin dashboard against the brute force (seed ${SEED})`, () => {
  it("low stock, users by role, companies, denied attempts in the last 24 hours", async () => {
    const data = await adminDashboardData(db, clock);
    const s = bf.s;
    const low = s.products
      .filter((p) => !p.archived && p.threshold > 0 && p.on_hand - p.reserved < p.threshold)
      .sort((a, b) => a.on_hand - a.reserved - (b.on_hand - b.reserved) || (a.sku < b.sku ? -1 : a.sku > b.sku ? 1 : 0));
    expect(data.lowStock.total).toBe(low.length);
    expect(data.lowStock.items.map((i) => i.id)).toEqual(low.slice(0, data.lowStock.items.length).map((p) => p.id));
    expect(data.lowStock.items.length).toBe(Math.min(low.length, 5));
    const active = s.users.filter((u) => u.active);
    expect(data.users.total).toBe(active.length);
    expect(Object.fromEntries(data.users.byRole.map((r) => [r.role, r.count]))).toEqual(
      Object.fromEntries(["buyer", "customer_admin", "sales", "finance", "admin"].map((role) => [role, active.filter((u) => u.role === role).length])),
    );
    expect(data.companies).toEqual({ total: s.companies.length, active: s.companies.filter((c) => c.active).length });
    const since = clock.now.getTime() - 24 * 3_600_000;
    const denied = s.audit.filter((a) => a.outcome === "denied" && a.occurred >= since).length;
    expect(data.deniedAttempts24h).toBe(denied);
    expect(denied).toBeGreaterThanOrEqual(2);
  });
});

describe(`customer dashboard against the brute force (seed ${SEED})`, () => {
  it("spend by month, buyer and category, open invoices, orders awaiting the company's approval, for each company", async () => {
    const months = lastMonths(clock.today, 12);
    const window: Period = { from: monthPeriod(months[0]!).from, to: clock.today };
    const s = bf.s;
    let checked = 0;
    for (const companyId of [...workload.companyIds, s.companies.find((c) => c.name === "Globex Manufacturing")!.id]) {
      const data = await customerDashboardData(db, companyId, clock);
      const label = s.companies.find((c) => c.id === companyId)!.name;
      expect(data.period, label).toEqual(window);
      expect(data.months, label).toEqual(months);

      const entries = bf.invoiced(window, { companyId });
      const currencies = [...new Set(entries.map((e) => e.currency))].sort();
      expect(data.spendByMonth, label).toEqual(
        currencies.map((currency) => ({
          currency,
          total: entries.filter((e) => e.currency === currency).reduce((t, e) => t + e.minor, 0n),
          months: months.map((month) => ({ month, minor: entries.filter((e) => e.currency === currency && monthOf(e.on_date) === month).reduce((t, e) => t + e.minor, 0n) })),
        })),
      );

      const byKey = <T extends { currency: string }>(list: T[], key: (t: T) => string) => [...list].sort((a, b) => (a.currency + key(a) < b.currency + key(b) ? -1 : 1));
      const buyers = [...bf.spendByBuyer(companyId, window)].flatMap(([buyerId, amounts]) => amounts.filter((a) => a.minor !== 0n).map((a) => ({ buyerId, currency: a.currency, minor: a.minor })));
      expect(byKey(data.spendByBuyer.map((b) => ({ buyerId: b.buyerId, currency: b.currency, minor: b.minor })), (b) => b.buyerId), label).toEqual(byKey(buyers, (b) => b.buyerId));
      for (const c of new Set(data.spendByBuyer.map((b) => b.currency))) {
        const amounts = data.spendByBuyer.filter((b) => b.currency === c).map((b) => b.minor);
        expect(amounts, `${label}: buyers by amount`).toEqual([...amounts].sort((a, b) => (a > b ? -1 : a < b ? 1 : 0)));
      }
      const categories = [...bf.spendByCategory(companyId, window)].flatMap(([category, amounts]) => amounts.filter((a) => a.minor !== 0n).map((a) => ({ category, currency: a.currency, minor: a.minor })));
      expect(byKey(data.spendByCategory, (c) => c.category), label).toEqual(byKey(categories, (c) => c.category));

      // The dashboard lists by due date, then number (ties at the cut-off of the listed rows must fall alike).
      const open = bf
        .outstanding(clock.today, { companyId })
        .sort((a, b) => (a.invoice.due_date < b.invoice.due_date ? -1 : a.invoice.due_date > b.invoice.due_date ? 1 : a.invoice.number < b.invoice.number ? -1 : a.invoice.number > b.invoice.number ? 1 : 0));
      const overdue = open.filter((o) => o.invoice.due_date < clock.today);
      expect(data.openInvoices.count, label).toBe(open.length);
      expect(data.openInvoices.overdueCount, label).toBe(overdue.length);
      expect(data.openInvoices.outstanding, label).toEqual(byCurrency(open.map((o) => ({ currency: o.invoice.currency, minor: o.minor }))));
      expect(data.openInvoices.overdue, label).toEqual(byCurrency(overdue.map((o) => ({ currency: o.invoice.currency, minor: o.minor }))));
      expect(data.openInvoices.items.map((i) => [i.invoiceId, i.outstandingMinor, i.dueDate, i.overdue]).sort(), label).toEqual(
        open.slice(0, data.openInvoices.items.length).map((o) => [o.invoice.id, o.minor, o.invoice.due_date, o.invoice.due_date < clock.today]).sort(),
      );
      expect(data.openInvoices.items.length, label).toBe(Math.min(open.length, 10));

      const waiting = s.orders.filter((o) => o.company_id === companyId && o.status === "awaiting_customer_approval").sort((a, b) => a.accepted! - b.accepted!);
      expect(data.awaitingApproval.count, label).toBe(waiting.length);
      expect(data.awaitingApproval.items.map((i) => i.orderId), label).toEqual(waiting.slice(0, 10).map((o) => o.id));
      checked += entries.length;
    }
    expect(checked).toBeGreaterThan(0);
  });
});
