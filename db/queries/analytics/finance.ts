import "server-only";
import { sql, type SQL } from "drizzle-orm";
import { queryRows, type DbOrTx } from "@/db/client";
import { collectedEntries, invoicedEntries, sumByCurrency, type AnalyticsClock, type ByCurrency } from "@/db/queries/analytics/ledger";
import { openReceivables } from "@/db/queries/analytics/receivables";
import { creditExposureSql } from "@/db/queries/quotations";
import { monthOf, monthPeriod, previousMonth, rangeOfDays, type Period } from "@/lib/domain/periods";
import { ageingBucket, ageingBuckets, type AgeingBucket } from "@/lib/domain/receivables";

// The finance dashboard's figures, platform-wide (the page checks the permission), built on the
// ledger (db/queries/analytics/ledger.ts) and the existing single definitions:
// - awaiting verification: payments with status pending_verification, oldest by when recorded;
// - bank lines: statementLineCounts' unmatched and suggested (matched but not yet confirmed), counted
//   from the status index (waitingLineCounts);
// - receivables by ageing bucket: outstanding today (openReceivables: the rollup equal to the
//   ledger's outstandingAsOf(today), 900 → 5 ms at 100,000 orders), bucketed by ageingBucket
//   (lib/domain/receivables.ts) over rows aggregated per currency and due date, so the thresholds
//   exist in one place only;
// - DSO: outstanding today / invoiced over the last 90 days × 90, per currency;
// - collected and invoiced: collectedEntries / invoicedEntries this calendar month and the whole previous month
//   (invoiced in the same scan as DSO's 90 days, ledgerSums);
// - credit utilisation: creditExposureSql (the acceptance's exposure) / companies.credit_limit_minor,
//   companies at or above CREDIT_UTILISATION_THRESHOLD_PERCENT; a limit of 0 means none.

export const CREDIT_UTILISATION_THRESHOLD_PERCENT = 80;
export const DSO_WINDOW_DAYS = 90;
/** At most this many companies are listed under credit utilisation (the most used first). */
export const CREDIT_UTILISATION_LIST_LIMIT = 50;

export type ReceivablesByCurrency = {
  currency: string;
  /** Outstanding per ageing bucket ("current" is not yet due). */
  buckets: Record<AgeingBucket, bigint>;
  /** Invoices per ageing bucket. */
  invoices: Record<AgeingBucket, number>;
  overdueMinor: bigint;
  totalMinor: bigint;
};

export type DsoFigure = {
  currency: string;
  outstandingMinor: bigint;
  invoicedMinor: bigint;
  /** Days, rounded half up to one decimal; null when nothing (net) was invoiced in the window. */
  days: number | null;
};

export type CreditUtilisationRow = {
  companyId: string;
  companyName: string;
  currency: string;
  exposureMinor: bigint;
  creditLimitMinor: bigint;
  /** exposure / limit in percent, rounded down to one decimal (over 100 when over the limit). */
  utilisationPercent: number;
};

export type MonthOverMonth = {
  thisMonth: Period;
  lastMonth: Period;
  /** Per currency that has an entry in either month, sorted by currency. */
  amounts: { currency: string; thisMonthMinor: bigint; lastMonthMinor: bigint }[];
};

export type FinanceDashboardData = {
  today: string;
  awaitingVerification: { count: number; amounts: ByCurrency; oldestRecordedAt: Date | null };
  bankLines: { unmatched: number; toConfirm: number };
  receivables: ReceivablesByCurrency[];
  dso: { window: Period; windowDays: number; figures: DsoFigure[] };
  collected: MonthOverMonth;
  /** Invoiced (invoices less credit notes) this calendar month and the whole previous month. */
  invoiced: MonthOverMonth;
  creditUtilisation: { thresholdPercent: number; total: number; companies: CreditUtilisationRow[] };
};

const byCurrency = (a: { currency: string }, b: { currency: string }) => (a.currency < b.currency ? -1 : a.currency > b.currency ? 1 : 0);

async function awaitingVerification(db: DbOrTx): Promise<FinanceDashboardData["awaitingVerification"]> {
  const rows = await queryRows<{ currency: string; n: number; minor: string; oldest: Date | string }>(
    db,
    sql`select p.currency::text as currency, count(*)::int as n, sum(p.amount_minor)::text as minor, min(p.created_at) as oldest
        from payments p where p.status = 'pending_verification' group by p.currency`,
  );
  const oldest = rows.reduce<Date | null>((min, r) => {
    const at = new Date(r.oldest);
    return !min || at < min ? at : min;
  }, null);
  return { count: rows.reduce((n, r) => n + r.n, 0), amounts: sumByCurrency(rows), oldestRecordedAt: oldest };
}

async function outstandingByDueDate(db: DbOrTx) {
  return queryRows<{ currency: string; due_date: string; n: number; minor: string }>(
    db,
    sql`select o.currency, o.due_date::text as due_date, count(*)::int as n, sum(o.outstanding_minor)::text as minor
        from (${openReceivables()}) o group by o.currency, o.due_date`,
  );
}

/** Receivables per currency and ageing bucket, from outstanding rows aggregated per currency and due date. */
export function bucketReceivables(rows: readonly { currency: string; due_date: string; n: number; minor: string | bigint }[], today: string): ReceivablesByCurrency[] {
  const out = new Map<string, ReceivablesByCurrency>();
  for (const r of rows) {
    const entry = out.get(r.currency) ?? {
      currency: r.currency,
      buckets: Object.fromEntries(ageingBuckets.map((b) => [b, 0n])) as Record<AgeingBucket, bigint>,
      invoices: Object.fromEntries(ageingBuckets.map((b) => [b, 0])) as Record<AgeingBucket, number>,
      overdueMinor: 0n,
      totalMinor: 0n,
    };
    const bucket = ageingBucket(r.due_date, today);
    const minor = BigInt(r.minor);
    entry.buckets[bucket] += minor;
    entry.invoices[bucket] += r.n;
    entry.totalMinor += minor;
    if (bucket !== "current") entry.overdueMinor += minor;
    out.set(r.currency, entry);
  }
  return [...out.values()].sort(byCurrency);
}

/** outstanding / invoiced × days, rounded half up to one decimal; null when nothing was invoiced. */
export function dsoDays(outstandingMinor: bigint, invoicedMinor: bigint, days = DSO_WINDOW_DAYS): number | null {
  if (invoicedMinor <= 0n) return null;
  const tenths = (outstandingMinor * BigInt(days) * 20n + invoicedMinor) / (2n * invoicedMinor);
  return Number(tenths) / 10;
}

/**
 * A ledger relation's amounts per currency this month and last (MonthOverMonth), and, with `window`, in
 * that period too, from one scan of `entries` over the span of all three (DSO's 90 days overlap the
 * two months: one pass instead of two). `window` is null for currencies with no entry in it.
 */
async function ledgerSums(
  db: DbOrTx,
  entries: (period: Period) => SQL,
  thisMonth: Period,
  lastMonth: Period,
  window?: Period,
): Promise<{ amounts: MonthOverMonth["amounts"]; window: ByCurrency }> {
  const from = window && window.from < lastMonth.from ? window.from : lastMonth.from;
  const to = window && window.to > thisMonth.to ? window.to : thisMonth.to;
  const inWindow = window ? sql`sum(e.amount_minor) filter (where e.on_date between ${window.from}::date and ${window.to}::date)::text` : sql`null::text`;
  const rows = await queryRows<{ currency: string; this_month: string | null; last_month: string | null; in_window: string | null }>(
    db,
    sql`select e.currency,
          sum(e.amount_minor) filter (where e.on_date between ${thisMonth.from}::date and ${thisMonth.to}::date)::text as this_month,
          sum(e.amount_minor) filter (where e.on_date between ${lastMonth.from}::date and ${lastMonth.to}::date)::text as last_month,
          ${inWindow} as in_window
        from (${entries({ from, to })}) e group by e.currency order by e.currency`,
  );
  return {
    amounts: rows
      .filter((r) => r.this_month !== null || r.last_month !== null)
      .map((r) => ({ currency: r.currency, thisMonthMinor: BigInt(r.this_month ?? 0), lastMonthMinor: BigInt(r.last_month ?? 0) })),
    window: sumByCurrency(rows.map((r) => ({ currency: r.currency, minor: r.in_window }))),
  };
}

/**
 * statementLineCounts (db/queries/reconciliation.ts) of the two statuses the dashboard shows, read from
 * bank_statement_lines_status_idx: the few waiting lines, not every line ever imported (5 → 0.3 ms at
 * 100,000 orders).
 */
async function waitingLineCounts(db: DbOrTx): Promise<{ unmatched: number; suggested: number }> {
  const rows = await queryRows<{ status: "unmatched" | "suggested"; n: number }>(
    db,
    sql`select status, count(*)::int as n from bank_statement_lines where status in ('unmatched', 'suggested') group by status`,
  );
  return { unmatched: rows.find((r) => r.status === "unmatched")?.n ?? 0, suggested: rows.find((r) => r.status === "suggested")?.n ?? 0 };
}

async function creditUtilisation(db: DbOrTx): Promise<FinanceDashboardData["creditUtilisation"]> {
  // exposure / limit ≥ threshold, compared in integers: exposure × 100 ≥ limit × threshold.
  const threshold = CREDIT_UTILISATION_THRESHOLD_PERCENT;
  const rows = await queryRows<{ id: string; name: string; currency: string; exposure: string; credit_limit: string; permille: string; total: number }>(
    db,
    sql`select c.id, c.name, c.currency::text as currency, e.exposure_minor::text as exposure, c.credit_limit_minor::text as credit_limit,
          floor(e.exposure_minor * 1000 / c.credit_limit_minor)::bigint::text as permille, count(*) over ()::int as total
        from (${creditExposureSql()}) e join companies c on c.id = e.company_id
        where c.credit_limit_minor > 0 and e.exposure_minor * 100 >= c.credit_limit_minor * ${threshold}::int
        order by e.exposure_minor::numeric / c.credit_limit_minor desc, c.name, c.id
        limit ${CREDIT_UTILISATION_LIST_LIMIT}::int`,
  );
  return {
    thresholdPercent: threshold,
    total: rows[0]?.total ?? 0,
    companies: rows.map((r) => ({
      companyId: r.id,
      companyName: r.name,
      currency: r.currency,
      exposureMinor: BigInt(r.exposure),
      creditLimitMinor: BigInt(r.credit_limit),
      utilisationPercent: Number(r.permille) / 10,
    })),
  };
}

/** Every figure of the finance dashboard at the clock's seller-calendar date; independent statements run concurrently. */
export async function financeDashboardData(db: DbOrTx, clock: AnalyticsClock): Promise<FinanceDashboardData> {
  const today = clock.today;
  const month = monthOf(today);
  const thisMonth = monthPeriod(month);
  const lastMonth = monthPeriod(previousMonth(month));
  const dsoWindow = rangeOfDays(today, DSO_WINDOW_DAYS);
  const [verification, lineCounts, outstanding, invoicedSums, collectedSums, utilisation] = await Promise.all([
    awaitingVerification(db),
    waitingLineCounts(db),
    outstandingByDueDate(db),
    ledgerSums(db, (period) => invoicedEntries(period), thisMonth, lastMonth, dsoWindow),
    ledgerSums(db, (period) => collectedEntries(period), thisMonth, lastMonth),
    creditUtilisation(db),
  ]);
  const invoiced = invoicedSums.window;
  const collectedAmounts = collectedSums.amounts;
  const invoicedAmounts = invoicedSums.amounts;
  const receivables = bucketReceivables(outstanding, today);
  const currencies = [...new Set([...receivables.map((r) => r.currency), ...invoiced.map((i) => i.currency)])].sort();
  const dso = currencies.map((currency) => {
    const outstandingMinor = receivables.find((r) => r.currency === currency)?.totalMinor ?? 0n;
    const invoicedMinor = invoiced.find((i) => i.currency === currency)?.minor ?? 0n;
    return { currency, outstandingMinor, invoicedMinor, days: dsoDays(outstandingMinor, invoicedMinor) };
  });
  return {
    today,
    awaitingVerification: verification,
    bankLines: { unmatched: lineCounts.unmatched, toConfirm: lineCounts.suggested },
    receivables,
    dso: { window: dsoWindow, windowDays: DSO_WINDOW_DAYS, figures: dso },
    collected: { thisMonth, lastMonth, amounts: collectedAmounts },
    invoiced: { thisMonth, lastMonth, amounts: invoicedAmounts },
    creditUtilisation: utilisation,
  };
}
