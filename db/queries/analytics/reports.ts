import "server-only";
import { sql, type SQL } from "drizzle-orm";
import { queryRows, type DbOrTx } from "@/db/client";
import { bookedEntries, collectedEntries, invoicedEntries, outstandingAsOf, sellerDate, type AnalyticsClock, type LedgerFilter, type Period } from "./ledger";
import { quotationExpiredSql } from "@/db/queries/orders";
import { bookedWithRates, collectedWithRates, convertedGroups, invoicedWithRates, type ConvertedGroup, type ConvertedTotal } from "./converted";
import { orderStates, type OrderState } from "@/lib/domain/order-state";
import { monthPeriod, monthsOf, periodInstants } from "@/lib/domain/periods";
import { ageingBucket, ageingBuckets, type AgeingBucket } from "@/lib/domain/receivables";

// The report series of /admin/reports and their CSV exports. Every amount comes from the ledger's
// fragments (booked, invoiced, collected, outstanding at a date); nothing here re-derives them.
// Each report reads every currency at once (grouped by currency, in one statement) and returns the
// currencies present, most used first, with the rows of the one currency asked for (or of the most
// used one): a report shows one currency at a time and never sums across them.
// Staff reports are platform-wide: the page and the route check `reports.read` before calling.
//
// Converted amounts (issue 15), when runReport is given the seller's base currency: per row of the
// shown currency, each money figure in the base currency, and per figure one converted total over every
// currency of the report's dates and company, with the sources of the rates used. Each document counts
// at the rate it kept (its fx_* snapshot; converted.ts, the dashboards' definition): booked at the
// accepted quotation's, invoiced and receivables at the invoice's (a credit note at its invoice's),
// collected at the rates of the invoices a payment pays, the pipeline at the latest quotation's. A
// document in another currency that kept no rate is counted apart, never at 1.

export const reportNames = [
  "revenue-by-month",
  "revenue-by-customer",
  "revenue-by-product",
  "revenue-by-category",
  "sales-pipeline",
  "receivables-ageing",
  "approval-cycle-times",
] as const;
export type ReportName = (typeof reportNames)[number];

export function isReportName(name: string): name is ReportName {
  return (reportNames as readonly string[]).includes(name);
}

export type ReportInput = { period: Period; companyId: string | null; currency: string | null };

/** One row's figure in the base currency: the converted documents' sum and how many kept no rate. */
export type ConvertedCell = { minor: bigint; documents: number; notConverted: number };

export type ReportConversion = {
  /** The seller's base currency. */
  currency: string;
  /** Per row key (the view's row key: month, company id, product id, category, stage, date), per figure. */
  rows: Record<string, Record<string, ConvertedCell>>;
  /** Per figure: every currency of the report's dates and company, converted (receivables: at the last date). */
  totals: Record<string, ConvertedTotal>;
  /** The rate sources of the converted documents ("ECB", "manual"), sorted. */
  sources: string[];
};

/** The currency shown and the ones the picker offers (most used first; null/[] for reports without amounts). */
type InCurrency<T> = { currencies: string[]; currency: string | null; rows: T[]; converted?: ReportConversion | null };

export type RevenueMonthRow = { month: string; bookedMinor: bigint; invoicedMinor: bigint; collectedMinor: bigint };
export type RevenueCustomerRow = { companyId: string; companyName: string; bookedMinor: bigint; invoicedMinor: bigint; collectedMinor: bigint };
export type RevenueProductRow = { productId: string; sku: string; name: string; category: string; quantity: number; invoicedMinor: bigint };
export type RevenueCategoryRow = { category: string; quantity: number; invoicedMinor: bigint };
export type PipelineStage = Exclude<OrderState, "draft">;
export type PipelineRow = { stage: PipelineStage; orders: number; valueMinor: bigint };
export type AgeingRow = { asOf: string; buckets: Record<AgeingBucket, bigint>; totalMinor: bigint };
export type CycleStage = "customer" | "sales" | "finance" | "total";
export type CycleRow = { month: string; stage: CycleStage; orders: number; medianHours: number; p90Hours: number };

export type ReportResult =
  | ({ name: "revenue-by-month" } & InCurrency<RevenueMonthRow>)
  | ({ name: "revenue-by-customer" } & InCurrency<RevenueCustomerRow>)
  | ({ name: "revenue-by-product" } & InCurrency<RevenueProductRow>)
  | ({ name: "revenue-by-category" } & InCurrency<RevenueCategoryRow>)
  | ({ name: "sales-pipeline" } & InCurrency<PipelineRow>)
  | ({ name: "receivables-ageing" } & InCurrency<AgeingRow>)
  | ({ name: "approval-cycle-times" } & InCurrency<CycleRow>);

/** The pipeline's stages: every order state but the cart, in the state machine's order. */
export const pipelineStages = orderStates.filter((s): s is PipelineStage => s !== "draft");

/**
 * Runs one report; `clock` pins "today" (booked dates by the seller's zone; ageing stops at today).
 * With `seller` (the base currency), amount reports also carry their converted amounts (see the header).
 */
export async function runReport(db: DbOrTx, name: ReportName, input: ReportInput, clock: AnalyticsClock, seller?: string): Promise<ReportResult> {
  switch (name) {
    case "revenue-by-month":
      return { name, ...withConversion(await revenueByMonth(db, input, clock, seller), seller) };
    case "revenue-by-customer":
      return { name, ...withConversion(await revenueByCustomer(db, input, clock, seller), seller) };
    case "revenue-by-product":
      return { name, ...withConversion(await revenueByProduct(db, input, seller), seller) };
    case "revenue-by-category":
      return { name, ...withConversion(await revenueByCategory(db, input, seller), seller) };
    case "sales-pipeline":
      return { name, ...withConversion(await salesPipeline(db, input, clock, seller), seller) };
    case "receivables-ageing":
      return { name, ...withConversion(await receivablesAgeingOverTime(db, input, clock, seller), seller) };
    case "approval-cycle-times":
      return { name, currencies: [], currency: null, rows: await approvalCycleTimes(db, input, clock) };
  }
}

const companyOnly = (input: ReportInput): LedgerFilter => ({ companyId: input.companyId });

/** A result carries `converted` only when conversion was asked for (a seller's currency given). */
function withConversion<T>(result: InCurrency<T>, seller: string | undefined): InCurrency<T> {
  if (seller !== undefined) return result;
  const { converted, ...rest } = result;
  void converted;
  return rest;
}

/**
 * The currencies of `rows` ordered by how many rows (entries) carry them, then by code, and the
 * one to show: the one asked for when present, else the most used.
 */
export function pickCurrency(weights: readonly { currency: string; entries: number }[], asked: string | null): { currencies: string[]; currency: string | null } {
  const counts = new Map<string, number>();
  for (const w of weights) counts.set(w.currency, (counts.get(w.currency) ?? 0) + w.entries);
  const currencies = [...counts].sort(([a, x], [b, y]) => y - x || (a < b ? -1 : a > b ? 1 : 0)).map(([c]) => c);
  const currency = asked && currencies.includes(asked) ? asked : (currencies[0] ?? null);
  return { currencies, currency };
}

type FigureRow = { currency: string; figure: "booked" | "invoiced" | "collected"; entries: number; minor: string };

const fx = sql`e.currency, e.amount_minor, e.fx_base, e.fx_quote, e.fx_rate, e.fx_source`;

/** Booked, invoiced and collected entries with their rates, keyed by `key` (over alias e). */
function figuresWithRates(input: ReportInput, clock: AnalyticsClock, key: SQL): SQL {
  const f = companyOnly(input);
  return sql`select ${key} as key, 'booked' as figure, ${fx} from (${bookedWithRates(input.period, clock, f)}) e
    union all select ${key}, 'invoiced', ${fx} from (${invoicedWithRates(input.period, f)}) e
    union all select ${key}, 'collected', ${fx} from (${collectedWithRates(input.period, f)}) e`;
}

/**
 * The report's conversion from its groups: the shown currency's rows per key and figure, and per
 * figure the total over every currency (over the keys `inTotal` accepts).
 */
export function reportConversion(groups: ConvertedGroup[], seller: string, shown: string | null, inTotal: (key: string) => boolean = () => true): ReportConversion {
  const rows: ReportConversion["rows"] = {};
  const totals: ReportConversion["totals"] = {};
  const sources = new Set<string>();
  for (const g of groups) {
    if (g.currency === shown) (rows[g.key] ??= {})[g.figure] = { minor: g.minor, documents: g.documents, notConverted: g.notConverted.documents };
    if (!inTotal(g.key)) continue;
    const t = (totals[g.figure] ??= { currency: seller, minor: 0n, documents: 0, notConverted: [], currencies: [] });
    t.minor += g.minor;
    t.documents += g.documents;
    if (g.documents + g.notConverted.documents > 0 && !t.currencies.includes(g.currency)) t.currencies = [...t.currencies, g.currency].sort();
    if (g.notConverted.documents > 0) {
      const n = t.notConverted.find((x) => x.currency === g.currency);
      if (n) {
        n.documents += g.notConverted.documents;
        n.minor += g.notConverted.minor;
      } else t.notConverted = [...t.notConverted, { currency: g.currency, documents: g.notConverted.documents, minor: g.notConverted.minor }].sort((a, b) => (a.currency < b.currency ? -1 : 1));
    }
    if (g.documents > 0) for (const s of g.sources) sources.add(s);
  }
  return { currency: seller, rows, totals, sources: [...sources].sort() };
}

/** Booked, invoiced (net of credit notes) and collected per month of the period. */
export async function revenueByMonth(db: DbOrTx, input: ReportInput, clock: AnalyticsClock, seller?: string): Promise<InCurrency<RevenueMonthRow>> {
  const f = companyOnly(input);
  const figures = (key: SQL) => sql`
    select currency, ${key} as key, 'booked' as figure, count(*)::int as entries, sum(amount_minor)::text as minor from (${bookedEntries(input.period, clock, f)}) e group by 1, 2
    union all
    select currency, ${key}, 'invoiced', count(*)::int, sum(amount_minor)::text from (${invoicedEntries(input.period, f)}) e group by 1, 2
    union all
    select currency, ${key}, 'collected', count(*)::int, sum(amount_minor)::text from (${collectedEntries(input.period, f)}) e group by 1, 2`;
  const [rows, groups] = await Promise.all([
    queryRows<FigureRow & { key: string }>(db, figures(sql`to_char(on_date, 'YYYY-MM')`)),
    seller ? convertedGroups(db, figuresWithRates(input, clock, sql`to_char(e.on_date, 'YYYY-MM')`), seller) : null,
  ]);
  const picked = pickCurrency(rows, input.currency);
  const converted = groups && seller ? reportConversion(groups, seller, picked.currency) : null;
  const months = new Map(monthsOf(input.period).map((month) => [month, { month, bookedMinor: 0n, invoicedMinor: 0n, collectedMinor: 0n }]));
  for (const r of rows) {
    const row = months.get(r.key);
    if (r.currency === picked.currency && row) row[`${r.figure}Minor`] += BigInt(r.minor);
  }
  return { ...picked, rows: picked.currency ? [...months.values()] : [], converted };
}

/** Booked, invoiced and collected per customer company, largest invoiced first. */
export async function revenueByCustomer(db: DbOrTx, input: ReportInput, clock: AnalyticsClock, seller?: string): Promise<InCurrency<RevenueCustomerRow>> {
  const f = companyOnly(input);
  const groupsPromise = seller ? convertedGroups(db, figuresWithRates(input, clock, sql`e.company_id::text`), seller) : null;
  const rows = await queryRows<FigureRow & { company_id: string; company_name: string }>(
    db,
    sql`select x.currency, x.company_id, c.name as company_name, x.figure, x.entries, x.minor
      from (
        select currency, company_id, 'booked' as figure, count(*)::int as entries, sum(amount_minor)::text as minor from (${bookedEntries(input.period, clock, f)}) e group by 1, 2
        union all
        select currency, company_id, 'invoiced', count(*)::int, sum(amount_minor)::text from (${invoicedEntries(input.period, f)}) e group by 1, 2
        union all
        select currency, company_id, 'collected', count(*)::int, sum(amount_minor)::text from (${collectedEntries(input.period, f)}) e group by 1, 2
      ) x join companies c on c.id = x.company_id`,
  );
  const picked = pickCurrency(rows, input.currency);
  const groups = await groupsPromise;
  const converted = groups && seller ? reportConversion(groups, seller, picked.currency) : null;
  const byCompany = new Map<string, RevenueCustomerRow>();
  for (const r of rows) {
    if (r.currency !== picked.currency) continue;
    let row = byCompany.get(r.company_id);
    if (!row) byCompany.set(r.company_id, (row = { companyId: r.company_id, companyName: r.company_name, bookedMinor: 0n, invoicedMinor: 0n, collectedMinor: 0n }));
    row[`${r.figure}Minor`] += BigInt(r.minor);
  }
  return { ...picked, rows: [...byCompany.values()].sort(byAmountThen((r) => r.invoicedMinor, (r) => r.companyName)), converted };
}

/**
 * Invoiced lines of the period: each invoice's lines (+) and, for a credit note, its invoice's
 * lines (−), at the line's total incl. tax and its quantity, with the product's current category.
 */
function invoicedLines(input: ReportInput, group: SQL, columns: SQL): SQL {
  return sql`select e.currency, ${columns}, count(*)::int as entries,
      sum(case when e.kind = 'credit_note' then -l.quantity else l.quantity end)::int as quantity,
      sum(case when e.kind = 'credit_note' then -l.total_minor else l.total_minor end)::text as minor
    from (${invoicedEntries(input.period, companyOnly(input))}) e
    join invoice_lines l on l.invoice_id = e.invoice_id
    join products p on p.id = l.product_id
    group by e.currency, ${group}`;
}

/** The invoiced lines as entries with their invoice's rate (a credit note's lines at its invoice's, negative), keyed by `key`. */
function invoicedLinesWithRates(input: ReportInput, key: SQL): SQL {
  return sql`select ${key} as key, 'invoiced' as figure, e.currency,
      case when e.kind = 'credit_note' then -l.total_minor else l.total_minor end as amount_minor, e.fx_base, e.fx_quote, e.fx_rate, e.fx_source
    from (${invoicedWithRates(input.period, companyOnly(input))}) e
    join invoice_lines l on l.invoice_id = e.invoice_id
    join products p on p.id = l.product_id`;
}

/** Invoiced (net of credit notes) per product, from invoice lines; largest first. */
export async function revenueByProduct(db: DbOrTx, input: ReportInput, seller?: string): Promise<InCurrency<RevenueProductRow>> {
  const [rows, groups] = await Promise.all([
    queryRows<{ currency: string; product_id: string; sku: string; name: string; category: string; entries: number; quantity: number; minor: string }>(
      db,
      invoicedLines(input, sql`p.id`, sql`p.id as product_id, min(p.sku) as sku, min(p.name) as name, min(p.category) as category`),
    ),
    seller ? convertedGroups(db, invoicedLinesWithRates(input, sql`p.id::text`), seller) : null,
  ]);
  const picked = pickCurrency(rows, input.currency);
  return {
    ...picked,
    converted: groups && seller ? reportConversion(groups, seller, picked.currency) : null,
    rows: rows
      .filter((r) => r.currency === picked.currency)
      .map((r) => ({ productId: r.product_id, sku: r.sku, name: r.name, category: r.category, quantity: Number(r.quantity), invoicedMinor: BigInt(r.minor) }))
      .sort(byAmountThen((r) => r.invoicedMinor, (r) => r.sku)),
  };
}

/** Invoiced (net of credit notes) per product category, from invoice lines; largest first. */
export async function revenueByCategory(db: DbOrTx, input: ReportInput, seller?: string): Promise<InCurrency<RevenueCategoryRow>> {
  const [rows, groups] = await Promise.all([
    queryRows<{ currency: string; category: string; entries: number; quantity: number; minor: string }>(db, invoicedLines(input, sql`p.category`, sql`p.category`)),
    seller ? convertedGroups(db, invoicedLinesWithRates(input, sql`p.category`), seller) : null,
  ]);
  const picked = pickCurrency(rows, input.currency);
  return {
    ...picked,
    converted: groups && seller ? reportConversion(groups, seller, picked.currency) : null,
    rows: rows
      .filter((r) => r.currency === picked.currency)
      .map((r) => ({ category: r.category, quantity: Number(r.quantity), invoicedMinor: BigInt(r.minor) }))
      .sort(byAmountThen((r) => r.invoicedMinor, (r) => r.category)),
  };
}

/**
 * Orders submitted in the period by the stage they are in now, with their count and value (the
 * latest quotation's total). Every stage is listed, empty ones with 0, in the state machine's order.
 */
export async function salesPipeline(db: DbOrTx, input: ReportInput, clock: AnalyticsClock, seller?: string): Promise<InCurrency<PipelineRow>> {
  const { start, end } = periodInstants(input.period, clock.timeZone);
  // A quoted order past its latest quotation's validity is expired (effectiveStatus), as on the
  // sales dashboard and in /admin/orders?status=quoted, before the expiry job moves it.
  const stage = sql`case when o.status = 'quoted' and ${quotationExpiredSql(sql`lq.valid_until`, clock.now)} then 'expired' else o.status::text end`;
  const orders = sql`from orders o
      left join lateral (select q.valid_until from quotations q where o.status = 'quoted' and q.order_id = o.id order by q.version desc limit 1) lq on true
      where o.submitted_at >= ${start.toISOString()}::timestamptz and o.submitted_at < ${end.toISOString()}::timestamptz
        and o.status <> 'draft' ${input.companyId ? sql`and o.company_id = ${input.companyId}::uuid` : sql``}`;
  const [rows, groups] = await Promise.all([
    queryRows<{ currency: string; stage: PipelineStage; entries: number; minor: string }>(
      db,
      sql`select o.currency::text as currency, ${stage} as stage, count(*)::int as entries, coalesce(sum(o.total_minor), 0)::text as minor
        ${orders}
        group by 1, 2`,
    ),
    // Each order at its latest quotation's rate (the total it shows is that quotation's).
    seller
      ? convertedGroups(
          db,
          sql`select ${stage} as key, 'value' as figure, o.currency::text as currency, o.total_minor as amount_minor, fq.fx_base, fq.fx_quote, fq.fx_rate, fq.fx_source
            from (select o.*, lq.valid_until ${orders}) o
            cross join lateral (select o.valid_until) lq
            left join lateral (select q.fx_base, q.fx_quote, q.fx_rate, q.fx_source from quotations q where q.order_id = o.id order by q.version desc limit 1) fq on true
            where o.total_minor is not null`,
          seller,
        )
      : null,
  ]);
  const picked = pickCurrency(rows, input.currency);
  if (!picked.currency) return { ...picked, rows: [], converted: null };
  const found = new Map(rows.filter((r) => r.currency === picked.currency).map((r) => [r.stage, r]));
  return {
    ...picked,
    rows: pipelineStages.map((stage) => ({ stage, orders: found.get(stage)?.entries ?? 0, valueMinor: BigInt(found.get(stage)?.minor ?? 0) })),
    converted: groups && seller ? reportConversion(groups, seller, picked.currency) : null,
  };
}

/**
 * The dates receivables are aged at: each month's last day within the period, the period's end for
 * its last month, and never after today (the future has no balance yet).
 */
export function ageingDates(period: Period, today: string): string[] {
  const last = period.to < today ? period.to : today;
  if (last < period.from) return [];
  return monthsOf({ from: period.from, to: last }).map((m) => {
    const end = monthPeriod(m).to;
    return end < last ? end : last;
  });
}

/** Outstanding receivables per ageing bucket at each month end of the period (see ageingDates). */
export async function receivablesAgeingOverTime(db: DbOrTx, input: ReportInput, clock: AnalyticsClock, seller?: string): Promise<InCurrency<AgeingRow>> {
  const dates = ageingDates(input.period, clock.today);
  if (dates.length === 0) return { currencies: [], currency: null, rows: [] };
  const f = companyOnly(input);
  // One statement: the ledger's outstanding-at-a-date relation once per date, summed per due date
  // (the bucket is lib/domain's ageingBucket(due date, as-of date), applied below).
  const parts = dates.map(
    (d) => sql`select ${d}::text as as_of, e.currency, e.due_date::text as due_date, count(*)::int as entries, sum(e.outstanding_minor)::text as minor
      from (${outstandingAsOf(d, f)}) e group by e.currency, e.due_date`,
  );
  // Converted: each invoice's balance at its own rate; the total is what was outstanding at the last date.
  const withRates = dates.map(
    (d) => sql`select ${d}::text as key, 'total' as figure, e.currency, e.outstanding_minor as amount_minor, fi.fx_base, fi.fx_quote, fi.fx_rate, fi.fx_source
      from (${outstandingAsOf(d, f)}) e join invoices fi on fi.id = e.invoice_id`,
  );
  const [rows, groups] = await Promise.all([
    queryRows<{ as_of: string; currency: string; due_date: string; entries: number; minor: string }>(db, sql.join(parts, sql` union all `)),
    seller ? convertedGroups(db, sql.join(withRates, sql` union all `), seller) : null,
  ]);
  const picked = pickCurrency(rows, input.currency);
  if (!picked.currency) return { ...picked, rows: [], converted: null };
  const byDate = new Map(dates.map((asOf) => [asOf, { asOf, buckets: Object.fromEntries(ageingBuckets.map((b) => [b, 0n])) as Record<AgeingBucket, bigint>, totalMinor: 0n }]));
  for (const r of rows) {
    if (r.currency !== picked.currency) continue;
    const row = byDate.get(r.as_of)!;
    const minor = BigInt(r.minor);
    row.buckets[ageingBucket(r.due_date, r.as_of)] += minor;
    row.totalMinor += minor;
  }
  const last = dates[dates.length - 1]!;
  return { ...picked, rows: [...byDate.values()], converted: groups && seller ? reportConversion(groups, seller, picked.currency, (key) => key === last) : null };
}

/**
 * Approval cycle times of the orders finally approved in the period, per month of that approval
 * (seller's calendar): per stage, the hours from the stage opening to its decision, median and p90
 * (percentile_cont); total is submission to final approval.
 * Stages: customer opens at acceptance; sales at the customer decision (or acceptance); finance at
 * the sales decision, or with sales when finance decided first (the two may decide in either order,
 * and a stage cannot take negative time).
 */
export async function approvalCycleTimes(db: DbOrTx, input: ReportInput, clock: AnalyticsClock): Promise<CycleRow[]> {
  const { start, end } = periodInstants(input.period, clock.timeZone);
  const rows = await queryRows<{ month: string; stage: CycleStage; orders: number; median: number | string; p90: number | string }>(
    db,
    sql`with a as (
        select to_char(${sellerDate(sql`o.approved_at`, clock.timeZone)}, 'YYYY-MM') as month, o.submitted_at, o.accepted_at, o.approved_at,
          c.decided_at as customer_at, s.decided_at as sales_at, f.decided_at as finance_at
        from orders o
        left join order_approvals c on c.order_id = o.id and c.step = 'customer'
        left join order_approvals s on s.order_id = o.id and s.step = 'sales'
        left join order_approvals f on f.order_id = o.id and f.step = 'finance'
        where o.approved_at >= ${start.toISOString()}::timestamptz and o.approved_at < ${end.toISOString()}::timestamptz
          ${input.companyId ? sql`and o.company_id = ${input.companyId}::uuid` : sql``}
      ), d as (
        select month, 'customer' as stage, customer_at - accepted_at as took from a where customer_at is not null and accepted_at is not null
        union all
        select month, 'sales', sales_at - coalesce(customer_at, accepted_at) from a where sales_at is not null and coalesce(customer_at, accepted_at) is not null
        union all
        select month, 'finance', finance_at - case when sales_at <= finance_at then sales_at else coalesce(customer_at, accepted_at) end
          from a where finance_at is not null and coalesce(sales_at, customer_at, accepted_at) is not null
        union all
        select month, 'total', approved_at - submitted_at from a where submitted_at is not null
      )
      select month, stage, count(*)::int as orders,
        percentile_cont(0.5) within group (order by extract(epoch from took) / 3600) as median,
        percentile_cont(0.9) within group (order by extract(epoch from took) / 3600) as p90
      from d group by month, stage`,
  );
  const order: CycleStage[] = ["customer", "sales", "finance", "total"];
  return rows
    .map((r) => ({ month: r.month, stage: r.stage, orders: Number(r.orders), medianHours: Number(r.median), p90Hours: Number(r.p90) }))
    .sort((x, y) => (x.month < y.month ? -1 : x.month > y.month ? 1 : order.indexOf(x.stage) - order.indexOf(y.stage)));
}

function byAmountThen<T>(amount: (row: T) => bigint, name: (row: T) => string): (a: T, b: T) => number {
  return (a, b) => {
    const d = amount(b) - amount(a);
    if (d !== 0n) return d > 0n ? 1 : -1;
    return name(a) < name(b) ? -1 : name(a) > name(b) ? 1 : 0;
  };
}
