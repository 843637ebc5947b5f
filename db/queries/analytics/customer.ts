import "server-only";
import { sql } from "drizzle-orm";
import { queryRows, type DbOrTx } from "@/db/client";
import { lastMonths, monthPeriod, type Period } from "@/lib/domain/periods";
import { invoicedEntries, outstandingAsOf, sumByCurrency, type AnalyticsClock, type ByCurrency } from "./ledger";

// The customer admin's company dashboard on the portal home. Every statement is scoped to the one
// company in its WHERE (the ledger fragments take the company as their filter); the page passes the
// company from the session, never from the URL.

export const SPEND_MONTHS = 12;
export const LISTED_ROWS = 10;

/** One currency's spend per month, every month of the window present (0 for a month without documents). */
export type MonthlySpend = { currency: string; months: { month: string; minor: bigint }[]; total: bigint };
export type BuyerSpend = { buyerId: string; buyerName: string; currency: string; minor: bigint };
export type CategorySpend = { category: string; currency: string; minor: bigint };
export type OpenInvoice = { invoiceId: string; number: string; currency: string; issueDate: string; dueDate: string; totalMinor: bigint; outstandingMinor: bigint; overdue: boolean };
export type AwaitingOrder = { orderId: string; reference: string; buyerName: string; currency: string; totalMinor: bigint | null; acceptedAt: Date; waitingDays: number };

export type CustomerDashboardData = {
  /** The spend window: the first day of the month eleven months ago through today. */
  period: Period;
  months: string[];
  spendByMonth: MonthlySpend[];
  spendByBuyer: BuyerSpend[];
  spendByCategory: CategorySpend[];
  openInvoices: { count: number; overdueCount: number; outstanding: ByCurrency; overdue: ByCurrency; items: OpenInvoice[] };
  awaitingApproval: { count: number; items: AwaitingOrder[] };
};

/** The spend window ending today: this month and the eleven before it. */
export function spendPeriod(today: string): { period: Period; months: string[] } {
  const months = lastMonths(today, SPEND_MONTHS);
  return { period: { from: monthPeriod(months[0]!).from, to: today }, months };
}

export async function customerDashboardData(db: DbOrTx, companyId: string, clock: AnalyticsClock): Promise<CustomerDashboardData> {
  const { period, months } = spendPeriod(clock.today);
  const filter = { companyId };
  const entries = invoicedEntries(period, filter);

  const [monthRows, buyerRows, categoryRows, openRows, awaitingRows] = await Promise.all([
    queryRows<{ month: string; currency: string; minor: string }>(
      db,
      sql`select to_char(e.on_date, 'YYYY-MM') as month, e.currency, sum(e.amount_minor)::text as minor
        from (${entries}) e group by 1, 2`,
    ),
    queryRows<{ buyer_id: string; buyer_name: string; currency: string; minor: string }>(
      db,
      sql`select e.buyer_id, u.name as buyer_name, e.currency, sum(e.amount_minor)::text as minor
        from (${entries}) e join users u on u.id = e.buyer_id
        group by e.buyer_id, u.name, e.currency
        having sum(e.amount_minor) <> 0
        order by e.currency, sum(e.amount_minor) desc, u.name, e.buyer_id`,
    ),
    // A credit note takes back its whole invoice, so it subtracts that invoice's lines.
    queryRows<{ category: string; currency: string; minor: string }>(
      db,
      // The company's documents first (a materialized CTE, so the planner drives the line lookups
      // from them instead of starting parallel workers, which cost more than the work here).
      sql`with e as materialized (${entries})
        select c.category, c.currency, c.minor::text as minor
        from (
          select p.category, e.currency, sum(case when e.kind = 'credit_note' then -l.total_minor else l.total_minor end) as minor
          from e
          join invoice_lines l on l.invoice_id = e.invoice_id
          join products p on p.id = l.product_id
          group by p.category, e.currency
        ) c
        where c.minor <> 0
        order by c.currency, c.minor desc, c.category`,
    ),
    queryRows<{ invoice_id: string; number: string; currency: string; issue_date: string; due_date: string; total_minor: string; outstanding_minor: string }>(
      db,
      sql`select o.invoice_id, o.number, o.currency, o.issue_date::text as issue_date, o.due_date::text as due_date,
          o.total_minor::text as total_minor, o.outstanding_minor::text as outstanding_minor
        from (${outstandingAsOf(clock.today, filter)}) o
        order by o.due_date, o.number`,
    ),
    queryRows<{ id: string; reference: string; buyer_name: string; currency: string; total_minor: string | null; accepted_at: string | Date; total: number | string }>(
      db,
      sql`select o.id, o.reference, u.name as buyer_name, o.currency::text as currency, o.total_minor::text as total_minor,
          o.accepted_at, count(*) over () as total
        from orders o join users u on u.id = o.buyer_id
        where o.company_id = ${companyId}::uuid and o.status = 'awaiting_customer_approval'
        order by o.accepted_at, o.reference
        limit ${LISTED_ROWS}`,
    ),
  ]);

  const spendByMonth = sumByCurrency(monthRows).map(({ currency, minor: total }) => {
    const byMonth = new Map(monthRows.filter((r) => r.currency === currency).map((r) => [r.month, BigInt(r.minor)]));
    return { currency, total, months: months.map((month) => ({ month, minor: byMonth.get(month) ?? 0n })) };
  });

  const open: OpenInvoice[] = openRows.map((r) => ({
    invoiceId: r.invoice_id,
    number: r.number,
    currency: r.currency,
    issueDate: r.issue_date,
    dueDate: r.due_date,
    totalMinor: BigInt(r.total_minor),
    outstandingMinor: BigInt(r.outstanding_minor),
    overdue: r.due_date < clock.today,
  }));
  const overdue = open.filter((i) => i.overdue);

  return {
    period,
    months,
    spendByMonth,
    spendByBuyer: buyerRows.map((r) => ({ buyerId: r.buyer_id, buyerName: r.buyer_name, currency: r.currency, minor: BigInt(r.minor) })),
    spendByCategory: categoryRows.map((r) => ({ category: r.category, currency: r.currency, minor: BigInt(r.minor) })),
    openInvoices: {
      count: open.length,
      overdueCount: overdue.length,
      outstanding: sumByCurrency(open.map((i) => ({ currency: i.currency, minor: i.outstandingMinor }))),
      overdue: sumByCurrency(overdue.map((i) => ({ currency: i.currency, minor: i.outstandingMinor }))),
      items: open.slice(0, LISTED_ROWS),
    },
    awaitingApproval: {
      count: Number(awaitingRows[0]?.total ?? 0),
      items: awaitingRows.map((r) => {
        const acceptedAt = new Date(r.accepted_at);
        return {
          orderId: r.id,
          reference: r.reference,
          buyerName: r.buyer_name,
          currency: r.currency,
          totalMinor: r.total_minor === null ? null : BigInt(r.total_minor),
          acceptedAt,
          waitingDays: Math.max(0, Math.floor((clock.now.getTime() - acceptedAt.getTime()) / 86_400_000)),
        };
      }),
    },
  };
}
