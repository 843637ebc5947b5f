// The heavy figures of the dashboards as the bench measured them before the dashboard functions
// existed: built on the ledger fragments (db/queries/analytics/ledger.ts) the way the design asks, so
// their plans show which indexes the figures need. The dashboards' own functions replace these in
// the bench once they land; these stay as the per-figure breakdown (`explain` prints their plans).
import { sql, type SQL } from "drizzle-orm";
import { openReceivables } from "@/db/queries/analytics/receivables";
import { bookedEntries, collectedEntries, invoicedEntries, outstandingAsOf } from "@/db/queries/analytics/ledger";
import { lastMonths, monthOf, monthPeriod, previousMonth, rangeOfDays, type AnalyticsClock } from "@/lib/domain/periods";

export function candidateFigures(clock: AnalyticsClock, companyId: string): Record<string, { dashboard: "sales" | "finance" | "admin" | "customer"; query: SQL }> {
  const month = monthPeriod(monthOf(clock.today));
  const lastMonth = monthPeriod(previousMonth(monthOf(clock.today)));
  const last90 = rangeOfDays(clock.today, 90);
  const today = clock.today;
  const now = clock.now.toISOString();
  const year = { from: monthPeriod(lastMonths(clock.today, 12)[0]!).from, to: today };
  return {
    "open quotations (count, value)": {
      dashboard: "sales",
      query: sql`select o.currency, count(*)::int as n, sum(o.total_minor)::text as value from orders o where o.status = 'quoted' group by o.currency`,
    },
    "quotations expiring in 7 days": {
      dashboard: "sales",
      query: sql`select count(*)::int as n from orders o
        join lateral (select valid_until from quotations q where q.order_id = o.id order by version desc limit 1) q on true
        where o.status = 'quoted' and q.valid_until >= ${now}::timestamptz
          and q.valid_until < ((${today}::date + 8)::timestamp at time zone ${clock.timeZone})`,
    },
    "win rate (90 days)": {
      dashboard: "sales",
      query: sql`select count(*) filter (where o.accepted_at is not null)::int as won,
          count(*) filter (where o.accepted_at is null and o.status in ('declined', 'expired', 'cancelled'))::int as lost
        from orders o where o.submitted_at >= (${last90.from}::date::timestamp at time zone ${clock.timeZone})`,
    },
    "approval queue with age": {
      dashboard: "sales",
      query: sql`select o.id, o.reference, o.status, o.accepted_at from orders o
        where o.status in ('awaiting_customer_approval', 'awaiting_seller_approval') order by o.accepted_at limit 10`,
    },
    "approval queue count": {
      dashboard: "sales",
      query: sql`select o.status, count(*)::int from orders o where o.status in ('awaiting_customer_approval', 'awaiting_seller_approval') group by o.status`,
    },
    // One lateral lookup of an order's decisions (order_approvals_step_key) per approved order: three
    // left joins on order_approvals made the planner hash all 130,000 decisions (157-440 ms at 100k
    // under load, 35 ms this way).
    "approval cycle p50/p90 (this month)": {
      dashboard: "sales",
      query: sql`select
          percentile_cont(0.5) within group (order by extract(epoch from o.approved_at - o.submitted_at)) as total_p50,
          percentile_cont(0.9) within group (order by extract(epoch from o.approved_at - o.submitted_at)) as total_p90,
          percentile_cont(0.5) within group (order by extract(epoch from x.sales - coalesce(x.customer, o.accepted_at))) as sales_p50,
          percentile_cont(0.9) within group (order by extract(epoch from x.finance - x.sales)) filter (where x.finance is not null) as finance_p90
        from orders o
        cross join lateral (select max(a.decided_at) filter (where a.step = 'customer') as customer, max(a.decided_at) filter (where a.step = 'sales') as sales,
            max(a.decided_at) filter (where a.step = 'finance') as finance
          from order_approvals a where a.order_id = o.id) x
        where o.approved_at >= (${month.from}::date::timestamp at time zone ${clock.timeZone})
          and o.approved_at < ((${month.to}::date + 1)::timestamp at time zone ${clock.timeZone})`,
    },
    "booked this month vs last": {
      dashboard: "sales",
      query: sql`select 'this' as m, e.currency, sum(e.amount_minor)::text from (${bookedEntries(month, clock)}) e group by e.currency
        union all select 'last', e.currency, sum(e.amount_minor)::text from (${bookedEntries(lastMonth, clock)}) e group by e.currency`,
    },
    "top customers (90 days)": {
      dashboard: "sales",
      query: sql`select e.company_id, e.currency, sum(e.amount_minor)::text as v from (${bookedEntries(last90, clock)}) e
        group by e.company_id, e.currency order by sum(e.amount_minor) desc limit 5`,
    },
    "top products (90 days, quotation lines)": {
      dashboard: "sales",
      query: sql`select l.product_id, e.currency, sum(l.total_minor)::text as v, sum(l.quantity)::int as q from (${bookedEntries(last90, clock)}) e
        join lateral (select id from quotations q where q.order_id = e.order_id order by version desc limit 1) q on true
        join quotation_lines l on l.quotation_id = q.id
        group by l.product_id, e.currency order by sum(l.total_minor) desc limit 5`,
    },
    // What the dashboard read with migration 0020: the monthly rollup, this month and the two before
    // (grows with the catalogue: every product booked in three months).
    "top products (3 months, rollup)": {
      dashboard: "sales",
      query: sql`select m.product_id, m.currency, sum(m.amount_minor)::text as v, sum(m.quantity)::int as q from booked_product_months m
        where m.month between ${monthPeriod(lastMonths(today, 3)[0]!).from}::date and ${month.to}::date
        group by m.product_id, m.currency order by sum(m.amount_minor) desc limit 5`,
    },
    // What the dashboard reads since migration 0021: the five largest three-month windows ending this month, per currency.
    "top products (3-month window rollup)": {
      dashboard: "sales",
      query: sql`select w.* from (values ('EUR'), ('USD'), ('GBP')) c (currency) cross join lateral (
          select w.product_id, w.amount_minor from booked_product_windows w where w.end_month = ${month.from}::date and w.currency = c.currency
          order by w.amount_minor desc nulls last, w.product_id limit 5) w`,
    },
    // What the dashboard reads since migration 0021: one index-only scan of the period's rows and their stored durations.
    "approval cycle p50/p90 (90 days, rollup)": {
      dashboard: "sales",
      query: sql`select count(*) filter (where t.submitted_at is not null), percentile_cont(array[0.5, 0.9]) within group (order by t.total_seconds) filter (where t.submitted_at is not null),
          count(*) filter (where t.sales_at is not null), percentile_cont(array[0.5, 0.9]) within group (order by t.sales_seconds) filter (where t.sales_at is not null)
        from order_cycle_times t
        where t.approved_at >= (${last90.from}::date::timestamp at time zone ${clock.timeZone})
          and t.approved_at < ((${today}::date + 1)::timestamp at time zone ${clock.timeZone})`,
    },
    "booked this month vs last (rollup)": {
      dashboard: "sales",
      query: sql`select m.month, m.currency, sum(m.orders)::int, sum(m.amount_minor)::text from booked_company_months m
        where m.month in (${lastMonth.from}::date, ${month.from}::date) group by 1, 2`,
    },
    "payments awaiting verification": {
      dashboard: "finance",
      query: sql`select p.currency, count(*)::int, sum(p.amount_minor)::text from payments p where p.status = 'pending_verification' group by p.currency`,
    },
    "unmatched bank lines": {
      dashboard: "finance",
      query: sql`select count(*)::int from bank_statement_lines b where b.status in ('unmatched', 'suggested')`,
    },
    "receivables by ageing bucket": {
      dashboard: "finance",
      query: sql`select e.currency, case when e.due_date >= ${today}::date then 'current' when ${today}::date - e.due_date <= 30 then '1-30'
            when ${today}::date - e.due_date <= 60 then '31-60' when ${today}::date - e.due_date <= 90 then '61-90' else '90+' end as bucket,
          count(*)::int, sum(e.outstanding_minor)::text
        from (${outstandingAsOf(today)}) e group by 1, 2`,
    },
    "receivables by ageing bucket (rollup)": {
      dashboard: "finance",
      query: sql`select e.currency, case when e.due_date >= ${today}::date then 'current' when ${today}::date - e.due_date <= 30 then '1-30'
            when ${today}::date - e.due_date <= 60 then '31-60' when ${today}::date - e.due_date <= 90 then '61-90' else '90+' end as bucket,
          count(*)::int, sum(e.outstanding_minor)::text
        from (${openReceivables()}) e group by 1, 2`,
    },
    "credit utilisation (> 80 %, rollup)": {
      dashboard: "finance",
      query: sql`select c.id, c.currency, c.credit_limit_minor, coalesce(r.due, 0) + coalesce(a.accepted, 0) as exposure from companies c
        left join (select e.company_id, sum(e.outstanding_minor) as due from (${openReceivables()}) e group by e.company_id) r on r.company_id = c.id
        left join (select o.company_id, sum(o.total_minor) as accepted from orders o where o.status in ('awaiting_customer_approval', 'awaiting_seller_approval') group by o.company_id) a on a.company_id = c.id
        where c.credit_limit_minor > 0 and (coalesce(r.due, 0) + coalesce(a.accepted, 0)) * 100 > c.credit_limit_minor * 80`,
    },
    "open invoices (rollup)": {
      dashboard: "customer",
      query: sql`select e.invoice_id, e.due_date, e.outstanding_minor::text from (${openReceivables({ companyId })}) e order by e.due_date limit 20`,
    },
    "DSO (outstanding / invoiced 90 days)": {
      dashboard: "finance",
      query: sql`select e.currency, sum(e.amount_minor)::text from (${invoicedEntries(last90)}) e group by e.currency`,
    },
    "invoiced 90 days without the buyer join": {
      dashboard: "finance",
      query: sql`select i.currency, sum(i.total_minor)::text from invoices i where i.issue_date between ${last90.from}::date and ${last90.to}::date group by i.currency
        union all select n.currency, (-sum(n.total_minor))::text from credit_notes n where n.issue_date between ${last90.from}::date and ${last90.to}::date group by n.currency`,
    },
    "collected this month": {
      dashboard: "finance",
      query: sql`select e.currency, sum(e.amount_minor)::text from (${collectedEntries(month)}) e group by e.currency`,
    },
    "credit utilisation (> 80 %)": {
      dashboard: "finance",
      query: sql`select c.id, c.currency, c.credit_limit_minor, x.exposure from companies c
        cross join lateral (select
          (select coalesce(sum(i.total_minor - coalesce(s.paid, 0)), 0) from invoices i
             left join lateral (select sum(a.amount_minor) filter (where p.status = 'verified') as paid
               from payment_allocations a join payments p on p.id = a.payment_id where a.invoice_id = i.id) s on true
             where i.company_id = c.id and i.status = 'open')
          + coalesce((select sum(o.total_minor) from orders o where o.company_id = c.id
             and o.status in ('awaiting_customer_approval', 'awaiting_seller_approval')), 0) as exposure) x
        where c.credit_limit_minor > 0 and x.exposure * 100 > c.credit_limit_minor * 80`,
    },
    "low stock": {
      dashboard: "admin",
      query: sql`select p.id, p.sku, i.on_hand - i.reserved as available, p.low_stock_threshold from products p join inventory i on i.product_id = p.id
        where p.archived_at is null and p.low_stock_threshold > 0 and i.on_hand - i.reserved < p.low_stock_threshold
        order by (i.on_hand - i.reserved)::float / p.low_stock_threshold, p.sku limit 20`,
    },
    "low stock count": {
      dashboard: "admin",
      query: sql`select count(*)::int from products p join inventory i on i.product_id = p.id
        where p.archived_at is null and p.low_stock_threshold > 0 and i.on_hand - i.reserved < p.low_stock_threshold`,
    },
    "spend by month (12)": {
      dashboard: "customer",
      query: sql`select to_char(e.on_date, 'YYYY-MM') as m, e.currency, sum(e.amount_minor)::text from (${invoicedEntries(year, { companyId })}) e group by 1, 2`,
    },
    "spend by buyer": {
      dashboard: "customer",
      query: sql`select e.buyer_id, e.currency, sum(e.amount_minor)::text from (${invoicedEntries(year, { companyId })}) e group by 1, 2`,
    },
    "spend by category": {
      dashboard: "customer",
      query: sql`select p.category, e.currency, sum(case when e.kind = 'invoice' then l.total_minor else -l.total_minor end)::text
        from (${invoicedEntries(year, { companyId })}) e
        join invoice_lines l on l.invoice_id = e.invoice_id join products p on p.id = l.product_id group by 1, 2`,
    },
    "open invoices": {
      dashboard: "customer",
      query: sql`select e.invoice_id, e.number, e.due_date, e.outstanding_minor::text from (${outstandingAsOf(today, { companyId })}) e order by e.due_date limit 20`,
    },
    "orders awaiting approval": {
      dashboard: "customer",
      query: sql`select o.id, o.reference, o.total_minor::text from orders o where o.company_id = ${companyId}::uuid and o.status = 'awaiting_customer_approval' order by o.accepted_at`,
    },
  };
}
