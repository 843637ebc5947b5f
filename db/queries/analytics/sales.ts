import "server-only";
import { sql, type SQL } from "drizzle-orm";
import { queryRows, type DbOrTx } from "@/db/client";
import { sumByCurrency, type AnalyticsClock, type ByCurrency, type Period } from "@/db/queries/analytics/ledger";
import { assertRollupSettings, rankConverted, type ConvertedRankRow } from "@/db/queries/analytics/converted";
import { quotationExpiredSql, quotationExpiringSql } from "@/db/queries/orders";
import { addDays } from "@/lib/domain/dates";
import { lastMonths, monthOf, monthPeriod, periodInstants, previousMonth, rangeOfDays } from "@/lib/domain/periods";

// The sales dashboard's figures, each defined here once (pages, the bench and the brute-force test
// call salesDashboardData). Staff-wide: the page checks the permission. Amounts stay per currency.
//
// - Open quotations: quoted orders whose latest quotation is still valid at clock.now (a quoted
//   order past its validity reads as expired, effectiveStatus, even before the expiry job runs),
//   at orders.total_minor. Expiring: of those, valid until before the end of the 7th seller day
//   after today.
// - Win rate: orders submitted in the last 90 seller days whose quotation is decided: won when
//   accepted, lost when never accepted and declined, expired (or past validity), or cancelled.
// - Approval queue: orders awaiting the customer's or the seller's approval, the stage they wait
//   in and since when: customer from acceptance; sales from the customer's decision (or
//   acceptance); finance from the sales decision when sales decided first, else like sales
//   (sales and finance may decide in either order).
// - Approval cycle time: orders whose final approval fell in the last 90 seller days; per stage the
//   time from its opening (as above) to its decision, and in total from submission to final
//   approval; median and p90 (percentile_cont). Read from order_cycle_times (migration 0020): per
//   approved order its submission, acceptance, decisions and final approval, kept by triggers from the
//   order and its order_approvals, so the statement reads the period's rows instead of looking up
//   every approved order's decisions. Each stage's duration as defined here is a stored generated
//   column of that table (migration 0021, db/schema/analytics.ts), and the period's rows are one
//   index-only scan.
// - Booked: the ledger's bookedEntries, this month and last month (whole months, so from the monthly
//   rollup booked_company_months).
// - Top customers and products: booked this seller-calendar month and the two months before (three
//   whole months, so they read from the monthly sales rollups of migration 0020, kept by triggers
//   from the documents; products from their three-month windows, migration 0021), per currency, by
//   booked value; products from the booked orders' latest (the
//   accepted) quotation lines, incl. tax like the order total. The rollups date months in the
//   database's seller zone (the migrate step writes SELLER_TIME_ZONE); a clock in another zone is refused.
// - Converted top lists (issue 15): when the window holds a currency other than the seller's base one,
//   customers and products are ranked once across currencies by their booked value in the base currency,
//   each order (or each line of it) converted at its accepted quotation's snapshot rate and rounded once
//   (to_seller_minor, the converted totals' definition). The sales rollups keep these converted amounts
//   beside their own-currency sums, written at booking by the same triggers (migration 0034: the
//   quotation's rate never changes), so the ranking reads the same rollup rows as the per-currency lists
//   (rankConverted in converted.ts) instead of converting three months of documents per view (1.1 s at
//   100,000 orders). A row whose documents kept no rate is not ranked and is named apart; one with some
//   documents without a rate is ranked by the rest and says what it leaves out.

export const EXPIRING_DAYS = 7;
export const WINDOW_DAYS = 90;
export const TOP_N = 5;
export const TOP_MONTHS = 3;
export const QUEUE_ROWS = 10;
/** The months booked_product_windows (migration 0021) sums; equal to TOP_MONTHS. */
const PRODUCT_WINDOW_MONTHS = 3;

export type ApprovalStage = "customer" | "sales" | "finance";
export type CycleStage = ApprovalStage | "total";

export type SalesDashboardData = {
  clock: AnalyticsClock;
  window: Period;
  /** The whole months top customers and products cover, oldest first (this month last). */
  topMonths: { months: string[]; period: Period };
  openQuotations: { count: number; value: ByCurrency };
  expiring: { count: number; value: ByCurrency; until: Date; days: number };
  winRate: { won: number; lost: number; rate: number | null; period: Period };
  approvalQueue: {
    stages: { stage: ApprovalStage; count: number; oldestSince: Date | null }[];
    /** The longest-waiting orders, oldest first. */
    oldest: { orderId: string; reference: string; companyName: string; stage: ApprovalStage; since: Date; ageSeconds: number; currency: string; totalMinor: bigint }[];
  };
  cycleTime: { period: Period; stages: { stage: CycleStage; orders: number; medianSeconds: number; p90Seconds: number }[] };
  booked: {
    thisMonth: { month: string; count: number; value: ByCurrency };
    lastMonth: { month: string; count: number; value: ByCurrency };
  };
  topCustomers: { currency: string; companyId: string; companyName: string; orders: number; minor: bigint }[];
  topProducts: { currency: string; productId: string; sku: string; name: string; quantity: number; orders: number; minor: bigint }[];
  /** Null unless the seller's currency is given and the window holds another currency: the rankings across currencies. */
  topConverted: TopConverted | null;
};

type Converted<T> = T & Omit<ConvertedRankRow, "key" | "documents"> & { orders: number };
export type TopConvertedList<T> = { ranked: Converted<T>[]; unranked: Converted<T>[]; moreUnranked: number };
export type TopConverted = {
  /** The seller's base currency, in which the rows are ranked. */
  currency: string;
  customers: TopConvertedList<{ companyId: string; companyName: string }>;
  products: TopConvertedList<{ productId: string; sku: string; name: string }>;
};

/** Quotations valid now and expiring before the end of the `days`-th seller day after today. */
export function expiringWindow(clock: AnalyticsClock, days = EXPIRING_DAYS): { now: Date; until: Date } {
  return { now: clock.now, until: periodInstants({ from: clock.today, to: addDays(clock.today, days) }, clock.timeZone).end };
}

const ts = (d: Date) => sql`${d.toISOString()}::timestamptz`;
const latestValidUntil = sql`lateral (select q.valid_until from quotations q where q.order_id = o.id order by q.version desc limit 1)`;

async function openQuotations(db: DbOrTx, clock: AnalyticsClock) {
  const w = expiringWindow(clock);
  const rows = await queryRows<{ currency: string; n: number; minor: string; expiring_n: number; expiring_minor: string | null }>(
    db,
    sql`select o.currency::text as currency, count(*)::int as n, sum(o.total_minor)::text as minor,
        count(*) filter (where ${quotationExpiringSql(sql`lq.valid_until`, w.now, w.until)})::int as expiring_n,
        sum(o.total_minor) filter (where ${quotationExpiringSql(sql`lq.valid_until`, w.now, w.until)})::text as expiring_minor
      from orders o cross join ${latestValidUntil} lq
      where o.status = 'quoted' and not ${quotationExpiredSql(sql`lq.valid_until`, clock.now)}
      group by o.currency`,
  );
  return {
    openQuotations: { count: rows.reduce((n, r) => n + r.n, 0), value: sumByCurrency(rows.map((r) => ({ currency: r.currency, minor: r.minor }))) },
    expiring: {
      count: rows.reduce((n, r) => n + r.expiring_n, 0),
      value: sumByCurrency(rows.map((r) => ({ currency: r.currency, minor: r.expiring_minor }))),
      until: w.until,
      days: EXPIRING_DAYS,
    },
  };
}

/** won / (won + lost), null when nothing is decided. */
export function winRate(won: number, lost: number): number | null {
  return won + lost === 0 ? null : won / (won + lost);
}

async function winRateFigure(db: DbOrTx, clock: AnalyticsClock, period: Period) {
  const { start, end } = periodInstants(period, clock.timeZone);
  const submitted = sql`o.submitted_at >= ${ts(start)} and o.submitted_at < ${ts(end)}`;
  // Quoted orders past their validity count as expired; only those few get their latest quotation looked up.
  const [row] = await queryRows<{ won: number; lost: number }>(
    db,
    sql`select count(*) filter (where o.accepted_at is not null)::int as won,
        (count(*) filter (where o.accepted_at is null and o.status in ('declined', 'expired', 'cancelled'))
          + (select count(*) from orders o cross join ${latestValidUntil} lq
              where o.status = 'quoted' and ${submitted} and ${quotationExpiredSql(sql`lq.valid_until`, clock.now)}))::int as lost
      from orders o
      where ${submitted}`,
  );
  const won = row?.won ?? 0;
  const lost = row?.lost ?? 0;
  return { won, lost, rate: winRate(won, lost), period };
}

async function approvalQueueFigure(db: DbOrTx, clock: AnalyticsClock): Promise<SalesDashboardData["approvalQueue"]> {
  // The stage an order waits in and since when; sales is named first while both seller steps are open.
  const waiting = sql`select o.id, o.reference, o.company_id, o.currency::text as currency, o.total_minor,
      case when o.status = 'awaiting_customer_approval' then 'customer' when d.s is null then 'sales' else 'finance' end as stage,
      case when o.status = 'awaiting_customer_approval' then o.accepted_at
        when d.s is null then coalesce(d.c, o.accepted_at)
        else d.s end as since
    from orders o
    left join lateral (select
        max(a.decided_at) filter (where a.step = 'customer') as c,
        max(a.decided_at) filter (where a.step = 'sales') as s
      from order_approvals a where a.order_id = o.id) d on true
    where o.status in ('awaiting_customer_approval', 'awaiting_seller_approval')`;
  const [stages, oldest] = await Promise.all([
    queryRows<{ stage: ApprovalStage; n: number; oldest: string | Date | null }>(
      db,
      sql`select w.stage, count(*)::int as n, min(w.since) as oldest from (${waiting}) w group by w.stage`,
    ),
    queryRows<{ id: string; reference: string; company_name: string; stage: ApprovalStage; since: string | Date; currency: string; total_minor: string }>(
      db,
      sql`select w.id, w.reference, c.name as company_name, w.stage, w.since, w.currency, w.total_minor::text as total_minor
        from (${waiting}) w join companies c on c.id = w.company_id
        order by w.since asc, w.id asc limit ${QUEUE_ROWS}`,
    ),
  ]);
  const order: ApprovalStage[] = ["customer", "sales", "finance"];
  return {
    stages: order.map((stage) => {
      const r = stages.find((s) => s.stage === stage);
      return { stage, count: r?.n ?? 0, oldestSince: r?.oldest ? new Date(r.oldest) : null };
    }),
    oldest: oldest.map((r) => {
      const since = new Date(r.since);
      return {
        orderId: r.id,
        reference: r.reference,
        companyName: r.company_name,
        stage: r.stage,
        since,
        ageSeconds: Math.max(0, Math.floor((clock.now.getTime() - since.getTime()) / 1000)),
        currency: r.currency,
        totalMinor: BigInt(r.total_minor),
      };
    }),
  };
}

async function cycleTimeFigure(db: DbOrTx, clock: AnalyticsClock, period: Period): Promise<SalesDashboardData["cycleTime"]> {
  const { start, end } = periodInstants(period, clock.timeZone);
  // One pass over the period's rows (an index-only scan of order_cycle_times_approved_idx), each stage an
  // aggregate with its own filter over the stage's stored duration (migration 0021: the seconds from the
  // stage's opening to its decision, from submission to final approval in total);
  // percentile_cont([0.5, 0.9]) sorts each stage once for both.
  const stageSql = {
    customer: { when: sql`t.customer_at is not null`, seconds: sql`t.customer_seconds` },
    sales: { when: sql`t.sales_at is not null`, seconds: sql`t.sales_seconds` },
    finance: { when: sql`t.finance_at is not null`, seconds: sql`t.finance_seconds` },
    total: { when: sql`t.submitted_at is not null`, seconds: sql`t.total_seconds` },
  } satisfies Record<CycleStage, { when: SQL; seconds: SQL }>;
  const order: CycleStage[] = ["customer", "sales", "finance", "total"];
  const [row] = await queryRows<Record<string, number | number[] | null>>(
    db,
    sql`select ${sql.join(
      order.map(
        (stage) =>
          sql`count(*) filter (where ${stageSql[stage].when})::int as ${sql.raw(`${stage}_n`)},
            percentile_cont(array[0.5, 0.9]::float8[]) within group (order by ${stageSql[stage].seconds}) filter (where ${stageSql[stage].when}) as ${sql.raw(`${stage}_p`)}`,
      ),
      sql`, `,
    )}
      from order_cycle_times t
      where t.approved_at >= ${ts(start)} and t.approved_at < ${ts(end)}`,
  );
  return {
    period,
    stages: order.flatMap((stage) => {
      const n = Number(row?.[`${stage}_n`] ?? 0);
      const p = (row?.[`${stage}_p`] ?? null) as (number | string | null)[] | null;
      return n > 0 ? [{ stage, orders: n, medianSeconds: Number(p?.[0] ?? null), p90Seconds: Number(p?.[1] ?? null) }] : [];
    }),
  };
}

async function bookedFigure(db: DbOrTx, clock: AnalyticsClock): Promise<SalesDashboardData["booked"]> {
  // Whole months: the ledger's bookedEntries summed per month, as booked_company_months (migration 0020)
  // holds them, so the statement reads a few hundred rollup rows instead of two months of orders.
  const thisMonth = monthOf(clock.today);
  const lastMonth = previousMonth(thisMonth);
  const current = monthPeriod(thisMonth);
  const rows = await queryRows<{ this_month: boolean; currency: string; n: number; minor: string }>(
    db,
    sql`select m.month = ${current.from}::date as this_month, m.currency::text as currency, sum(m.orders)::int as n, sum(m.amount_minor)::text as minor
      from booked_company_months m
      where m.month in (${monthPeriod(lastMonth).from}::date, ${current.from}::date)
      group by 1, 2`,
  );
  const of = (mine: boolean) => {
    const part = rows.filter((r) => r.this_month === mine);
    return { count: part.reduce((n, r) => n + r.n, 0), value: sumByCurrency(part) };
  };
  return { thisMonth: { month: thisMonth, ...of(true) }, lastMonth: { month: lastMonth, ...of(false) } };
}

/** The months top customers and products cover at `today`: this month and the TOP_MONTHS − 1 before. */
export function topMonths(today: string): SalesDashboardData["topMonths"] {
  const months = lastMonths(today, TOP_MONTHS);
  return { months, period: { from: monthPeriod(months[0]!).from, to: monthPeriod(months[months.length - 1]!).to } };
}

async function topCustomers(db: DbOrTx, period: Period): Promise<SalesDashboardData["topCustomers"]> {
  const rows = await queryRows<{ currency: string; company_id: string; name: string; n: number; minor: string }>(
    db,
    sql`select t.currency, t.company_id, c.name, t.n, t.minor::text as minor from (
        select m.currency::text as currency, m.company_id, sum(m.orders)::int as n, sum(m.amount_minor) as minor,
          row_number() over (partition by m.currency order by sum(m.amount_minor) desc, m.company_id) as rank
        from booked_company_months m
        where m.month between ${period.from}::date and ${period.to}::date
        group by m.currency, m.company_id
      ) t join companies c on c.id = t.company_id
      where t.rank <= ${TOP_N}
      order by t.currency, t.rank`,
  );
  return rows.map((r) => ({ currency: r.currency, companyId: r.company_id, companyName: r.name, orders: r.n, minor: BigInt(r.minor) }));
}

async function topProducts(db: DbOrTx, months: string[]): Promise<SalesDashboardData["topProducts"]> {
  // A quotation has one line per product (the cart's key is order and product), so the rollup's line
  // count is the number of orders. booked_product_windows (migration 0021) holds the sums over the
  // TOP_MONTHS months ending in each month, so per currency the first TOP_N rows of
  // booked_product_windows_top_idx (booked value descending, then product) are the answer; the window's
  // currencies are found with one index probe each (a loose index scan).
  if (months.length !== PRODUCT_WINDOW_MONTHS) throw new Error(`booked_product_windows sums ${PRODUCT_WINDOW_MONTHS} months, not ${months.length}`);
  const endMonth = monthPeriod(months[months.length - 1]!).from;
  const rows = await queryRows<{ currency: string; product_id: string; sku: string; name: string; quantity: string; n: number; minor: string }>(
    db,
    sql`select w.currency::text as currency, w.product_id, p.sku, p.name, w.quantity::text as quantity, w.orders as n, w.amount_minor::text as minor
      from (
        with recursive cur as (
          select (select min(x.currency) from booked_product_windows x where x.end_month = ${endMonth}::date) as currency
          union all
          select (select min(x.currency) from booked_product_windows x where x.end_month = ${endMonth}::date and x.currency > cur.currency)
          from cur where cur.currency is not null
        ) select cur.currency from cur where cur.currency is not null
      ) cur
      cross join lateral (
        select w.currency, w.product_id, w.quantity, w.orders, w.amount_minor from booked_product_windows w
        where w.end_month = ${endMonth}::date and w.currency = cur.currency
        order by w.amount_minor desc nulls last, w.product_id limit ${TOP_N}
      ) w join products p on p.id = w.product_id
      order by w.currency, w.amount_minor desc, w.product_id`,
  );
  return rows.map((r) => ({ currency: r.currency, productId: r.product_id, sku: r.sku, name: r.name, quantity: Number(r.quantity), orders: r.n, minor: BigInt(r.minor) }));
}

/** The groups topConverted ranks customers by (rankConverted's columns): booked_company_months over `period`. */
export function customerRankGroups(period: Period): SQL {
  return sql`select m.company_id as key, m.currency::text as currency, sum(m.orders)::int as orders, 0::bigint as quantity, sum(m.amount_minor)::bigint as minor,
      sum(m.converted_orders)::int as converted_orders, sum(m.converted_minor)::bigint as converted_minor, sum(m.unconverted_minor)::bigint as unconverted_minor
    from booked_company_months m where m.month between ${period.from}::date and ${period.to}::date
    group by m.company_id, m.currency`;
}

/**
 * The groups topConverted ranks products by: the booked_product_windows row ending in `endMonth`, its
 * columns as stored (so rankConverted's order is the partial indexes' order).
 */
export function productRankGroups(endMonth: string): SQL {
  return sql`select w.product_id as key, w.currency, w.orders, w.quantity, w.amount_minor as minor, w.converted_orders, w.converted_minor, w.unconverted_minor
    from booked_product_windows w where w.end_month = ${endMonth}::date`;
}

/**
 * The top lists ranked across currencies by booked value converted into `seller` (see the header), from
 * the rollups' converted columns (migration 0034): customers from booked_company_months over the
 * window's months, products from the window row of booked_product_windows.
 */
export async function topConverted(db: DbOrTx, top: SalesDashboardData["topMonths"], seller: string): Promise<TopConverted> {
  const endMonth = monthPeriod(top.months[top.months.length - 1]!).from;
  const [customers, products] = await Promise.all([
    rankConverted(db, customerRankGroups(top.period), seller, TOP_N),
    rankConverted(db, productRankGroups(endMonth), seller, TOP_N),
  ]);
  const ids = (rows: ConvertedRankRow[]) => [...new Set(rows.map((r) => r.key))];
  const inList = (list: string[]) => (list.length ? sql.join(list.map((id) => sql`${id}::uuid`), sql`, `) : sql`null::uuid`);
  const companyIds = ids([...customers.ranked, ...customers.unranked]);
  const productIds = ids([...products.ranked, ...products.unranked]);
  const [companies, items] = await Promise.all([
    queryRows<{ id: string; name: string }>(db, sql`select c.id, c.name from companies c where c.id in (${inList(companyIds)})`),
    queryRows<{ id: string; sku: string; name: string }>(db, sql`select p.id, p.sku, p.name from products p where p.id in (${inList(productIds)})`),
  ]);
  const companyName = new Map(companies.map((c) => [c.id, c.name]));
  const product = new Map(items.map((p) => [p.id, p]));
  const base = ({ key, documents, ...rest }: ConvertedRankRow) => {
    void key;
    return { ...rest, orders: documents };
  };
  const customer = (r: ConvertedRankRow) => ({ companyId: r.key, companyName: companyName.get(r.key) ?? "", ...base(r) });
  const item = (r: ConvertedRankRow) => ({ productId: r.key, sku: product.get(r.key)?.sku ?? "", name: product.get(r.key)?.name ?? "", ...base(r) });
  return {
    currency: seller,
    customers: { ranked: customers.ranked.map(customer), unranked: customers.unranked.map(customer), moreUnranked: customers.moreUnranked },
    products: { ranked: products.ranked.map(item), unranked: products.unranked.map(item), moreUnranked: products.moreUnranked },
  };
}

/**
 * Every figure of the sales dashboard at `clock`; the statements run concurrently. With `seller` (the
 * base currency), the top lists are also ranked across currencies when the window holds another currency.
 */
export async function salesDashboardData(db: DbOrTx, clock: AnalyticsClock, seller?: string): Promise<SalesDashboardData> {
  const window = rangeOfDays(clock.today, WINDOW_DAYS);
  const top = topMonths(clock.today);
  const [, open, win, queue, cycle, booked, customers, products] = await Promise.all([
    assertRollupSettings(db, clock, seller),
    openQuotations(db, clock),
    winRateFigure(db, clock, window),
    approvalQueueFigure(db, clock),
    cycleTimeFigure(db, clock, window),
    bookedFigure(db, clock),
    topCustomers(db, top.period),
    topProducts(db, top.months),
  ]);
  // The per-currency lists name every currency of the window (each has a first row).
  const foreign = seller !== undefined && customers.some((c) => c.currency !== seller);
  const converted = foreign ? await topConverted(db, top, seller) : null;
  return { clock, window, topMonths: top, ...open, winRate: win, approvalQueue: queue, cycleTime: cycle, booked, topCustomers: customers, topProducts: products, topConverted: converted };
}
