import "server-only";
import { sql, type SQL } from "drizzle-orm";
import { queryRows, type DbOrTx } from "@/db/client";
import { bookedEntries, collectedEntries, invoicedEntries, type AnalyticsClock, type LedgerFilter, type Period } from "@/db/queries/analytics/ledger";
import { DSO_WINDOW_DAYS } from "@/db/queries/analytics/finance";
import { openReceivables } from "@/db/queries/analytics/receivables";
import { monthOf, monthPeriod, previousMonth, rangeOfDays } from "@/lib/domain/periods";

// Converted totals (issue 15): the per-currency figures stay as they are; where one total is shown it is
// the sum, in the seller's base currency, of each document's amount converted at the rate the document
// kept (its fx_* snapshot), rounded once per document half away from zero: toSellerCurrency
// (lib/domain/currency.ts) in SQL, exact (numeric multiplication and an integer division, no float and
// no rounded numeric quotient). A document in the seller's currency counts at 1; a document in another
// currency without a rate between the two (older data) is not converted and is reported per currency,
// never dropped and never counted at 1.
//
// Which rate: an invoice its own; a credit note its invoice's (it credits that invoice); an open
// receivable its invoice's; a booked order its latest (the accepted) quotation's; a payment (which keeps
// no rate) the rates of the invoices it is allocated to: per payment, the part allocated to invoices of
// one rate is converted (and rounded) once, and a part allocated to no invoice is not converted.

export type NotConverted = { currency: string; documents: number; minor: bigint };

export type ConvertedTotal = {
  /** The seller's base currency (DEFAULT_CURRENCY). */
  currency: string;
  /** Sum of the converted documents' amounts in `currency`. */
  minor: bigint;
  /** Documents counted in `minor`. */
  documents: number;
  /** Documents in another currency that kept no rate to `currency`: per currency, not in `minor`. */
  notConverted: NotConverted[];
  /** The documents' currencies, sorted: a total is worth showing when one of them is not `currency`. */
  currencies: string[];
};

/**
 * The amount in the seller's currency at the document's snapshot rate (1 fx_base = fx_rate fx_quote),
 * as numeric, or null when the document is in another currency and kept no rate between the two:
 * to_seller_minor (migration 0034), the one definition the sales rollups' triggers use too; the planner
 * inlines it. Exact: rate × 10^10 is an integer (numeric(22,10)), so amount × numerator / denominator is a
 * quotient of integers, rounded half away from zero with div, as toSellerCurrency does in TypeScript.
 */
export function convertedMinorSql(cols: { amount: SQL; currency: SQL; fxBase: SQL; fxQuote: SQL; fxRate: SQL }, seller: string): SQL {
  return sql`to_seller_minor(${cols.amount}::numeric, ${cols.currency}::text, ${cols.fxBase}::text, ${cols.fxQuote}::text, ${cols.fxRate}::numeric, ${seller}::text)`;
}

/**
 * Converted totals of `entries` (a relation with currency, amount_minor, fx_base, fx_quote, fx_rate and
 * whatever `filters` read, as alias x), one per filter, from one scan.
 */
export function convertedTotals<K extends string>(db: DbOrTx, entries: SQL, seller: string, filters: Record<K, SQL>): Promise<Record<K, ConvertedTotal>> {
  const converted = convertedMinorSql(
    { amount: sql`e.amount_minor`, currency: sql`e.currency`, fxBase: sql`e.fx_base`, fxQuote: sql`e.fx_quote`, fxRate: sql`e.fx_rate` },
    seller,
  );
  // offset 0 keeps the subquery whole: each entry is converted once, not once per aggregate that reads it.
  return sumConverted(
    db,
    sql`select x.*, 1 as n, (x.converted is not null)::int as converted_n, x.converted as converted_minor,
        case when x.converted is null then x.amount_minor end as unconverted_minor
      from (select e.*, ${converted} as converted from (${entries}) e offset 0) x`,
    seller,
    filters,
  );
}

/**
 * Totals of entries already converted, one per filter, from one scan: `entries` is a relation with
 * currency, n (entries), converted_n (of them converted), converted_minor (their sum in `seller`),
 * unconverted_minor (the others' own-currency sum) and whatever `filters` read, as alias x; a row may
 * stand for one entry or for several (a day's, summed beforehand).
 */
export async function sumConverted<K extends string>(db: DbOrTx, entries: SQL, seller: string, filters: Record<K, SQL>): Promise<Record<K, ConvertedTotal>> {
  const keys = Object.keys(filters) as K[];
  const columns = keys.map((key, i) => {
    const where = filters[key];
    return sql`sum(x.converted_n) filter (where ${where})::int as ${sql.raw(`k${i}_n`)},
      sum(x.converted_minor) filter (where ${where})::text as ${sql.raw(`k${i}_minor`)},
      sum(x.n - x.converted_n) filter (where ${where})::int as ${sql.raw(`k${i}_nc_n`)},
      sum(x.unconverted_minor) filter (where ${where})::text as ${sql.raw(`k${i}_nc_minor`)}`;
  });
  const rows = await queryRows<Record<string, string | number | null>>(
    db,
    sql`select x.currency::text as currency, ${sql.join(columns, sql`, `)}
      from (${entries}) x
      group by x.currency order by x.currency`,
  );
  const out = {} as Record<K, ConvertedTotal>;
  keys.forEach((key, i) => {
    const total: ConvertedTotal = { currency: seller, minor: 0n, documents: 0, notConverted: [], currencies: [] };
    for (const r of rows) {
      const n = Number(r[`k${i}_n`] ?? 0);
      total.documents += n;
      total.minor += BigInt((r[`k${i}_minor`] as string | null) ?? 0);
      const nc = Number(r[`k${i}_nc_n`] ?? 0);
      if (n + nc > 0) total.currencies.push(String(r.currency));
      if (nc > 0) total.notConverted.push({ currency: String(r.currency), documents: nc, minor: BigInt((r[`k${i}_nc_minor`] as string | null) ?? 0) });
    }
    out[key] = total;
  });
  return out;
}

const between = (period: Period) => sql`x.on_date between ${period.from}::date and ${period.to}::date`;

/** The ledger's invoiced entries with the rate each kept: an invoice its own, a credit note its invoice's. */
export function invoicedWithRates(period: Period, filter?: LedgerFilter): SQL {
  return sql`select e.*, fi.fx_base, fi.fx_quote, fi.fx_rate, fi.fx_source from (${invoicedEntries(period, filter)}) e join invoices fi on fi.id = e.invoice_id`;
}

/** Open receivables (outstanding today) with their invoice's rate. */
export function receivablesWithRates(): SQL {
  return sql`select r.invoice_id, r.company_id, r.currency, r.outstanding_minor as amount_minor, fi.fx_base, fi.fx_quote, fi.fx_rate
    from (${openReceivables()}) r join invoices fi on fi.id = r.invoice_id`;
}

/** The ledger's booked entries with their latest (the accepted) quotation's rate. */
export function bookedWithRates(period: Period, clock: Pick<AnalyticsClock, "timeZone">, filter?: LedgerFilter): SQL {
  return sql`select e.*, fq.fx_base, fq.fx_quote, fq.fx_rate, fq.fx_source from (${bookedEntries(period, clock, filter)}) e
    left join lateral (select q.fx_base, q.fx_quote, q.fx_rate, q.fx_source from quotations q where q.order_id = e.order_id order by q.version desc limit 1) fq on true`;
}

/**
 * The ledger's collected entries (verified payments by the date paid), split per payment by the rate
 * of the invoices each part is allocated to; an unallocated remainder has no rate.
 */
export function collectedWithRates(period: Period, filter?: LedgerFilter): SQL {
  // fx_source names one of the sources of a part's rate (the same rate from two sources is one part).
  return sql`select e.company_id, e.currency, e.on_date, e.payment_id, g.amount_minor, g.fx_base, g.fx_quote, g.fx_rate, g.fx_source
    from (${collectedEntries(period, filter)}) e
    cross join lateral (
      select sum(a.amount_minor) as amount_minor, fi.fx_base, fi.fx_quote, fi.fx_rate, min(fi.fx_source) as fx_source
      from payment_allocations a join invoices fi on fi.id = a.invoice_id
      where a.payment_id = e.payment_id
      group by fi.fx_base, fi.fx_quote, fi.fx_rate
      union all
      select e.amount_minor - coalesce((select sum(a.amount_minor) from payment_allocations a where a.payment_id = e.payment_id), 0), null, null, null, null
    ) g
    where g.amount_minor <> 0`;
}

export type FinanceConvertedTotals = {
  invoicedThisMonth: ConvertedTotal;
  invoicedLastMonth: ConvertedTotal;
  /** Invoiced over DSO's window (the last 90 days). */
  invoicedWindow: ConvertedTotal;
  window: Period;
  outstanding: ConvertedTotal;
  collectedThisMonth: ConvertedTotal;
  collectedLastMonth: ConvertedTotal;
};

/**
 * The finance dashboard's converted totals: invoiced (this month, last month, last 90 days), open
 * receivables, collected. Read from what the documents' triggers keep (migration 0035): converted_entries
 * (each invoice, credit note and verified payment part with its converted amount) and
 * receivable_balances.converted_minor, in the currency the migrate step gave them: `seller` must be it.
 * They equal convertedTotals over invoicedWithRates, receivablesWithRates and collectedWithRates (tested).
 */
export async function financeConvertedTotals(db: DbOrTx, clock: AnalyticsClock, seller: string, windowDays = DSO_WINDOW_DAYS): Promise<FinanceConvertedTotals> {
  const month = monthOf(clock.today);
  const thisMonth = monthPeriod(month);
  const lastMonth = monthPeriod(previousMonth(month));
  const window = rangeOfDays(clock.today, windowDays);
  const from = window.from < lastMonth.from ? window.from : lastMonth.from;
  const to = window.to > thisMonth.to ? window.to : thisMonth.to;
  // Summed per day first (a few hundred rows), then per filter.
  const kept = (figure: "invoiced" | "collected", period: Period) =>
    sql`select c.currency, c.on_date, count(*) as n, count(c.converted_minor) as converted_n, sum(c.converted_minor) as converted_minor,
        sum(c.amount_minor) filter (where c.converted_minor is null) as unconverted_minor
      from converted_entries c
      where c.figure = ${figure} and c.on_date between ${period.from}::date and ${period.to}::date
      group by c.currency, c.on_date`;
  const receivables = sql`select r.currency, count(*) as n, count(r.converted_minor) as converted_n, sum(r.converted_minor) as converted_minor,
      sum(r.outstanding_minor) filter (where r.converted_minor is null) as unconverted_minor
    from receivable_balances r group by r.currency`;
  const [, invoiced, outstanding, collected] = await Promise.all([
    assertRollupSettings(db, clock, seller),
    sumConverted(db, kept("invoiced", { from, to }), seller, { thisMonth: between(thisMonth), lastMonth: between(lastMonth), window: between(window) }),
    sumConverted(db, receivables, seller, { all: sql`true` }),
    sumConverted(db, kept("collected", { from: lastMonth.from, to: thisMonth.to }), seller, { thisMonth: between(thisMonth), lastMonth: between(lastMonth) }),
  ]);
  return {
    invoicedThisMonth: invoiced.thisMonth,
    invoicedLastMonth: invoiced.lastMonth,
    invoicedWindow: invoiced.window,
    window,
    outstanding: outstanding.all,
    collectedThisMonth: collected.thisMonth,
    collectedLastMonth: collected.lastMonth,
  };
}

/** One ranked row: a key's documents in one currency, their amount there and converted. */
export type ConvertedRankRow = {
  key: string;
  currency: string;
  /** Entries (documents) of the key in the currency. */
  documents: number;
  /** Sum of the entries' quantity column (0 when the entries have none). */
  quantity: number;
  /** In `currency`. */
  minor: bigint;
  /** In the seller's currency: the entries that kept a rate (or are in the seller's currency), each converted and rounded once. */
  convertedMinor: bigint;
  /** Entries in `currency` without a rate to the seller's: not in convertedMinor, never counted at 1. */
  notConverted: { documents: number; minor: bigint };
};

export type ConvertedRanking = {
  /** The seller's base currency. */
  currency: string;
  /** The first `limit` keys (per currency) by converted amount, largest first; a row with at least one converted entry. */
  ranked: ConvertedRankRow[];
  /** Rows none of whose entries kept a rate: not ranked, named (per currency, largest first, at most `limit`). */
  unranked: ConvertedRankRow[];
  /** How many more rows without a rate there are than `unranked` lists. */
  moreUnranked: number;
};

/**
 * Ranks `groups` (a relation of one row per key and currency: key, currency, orders, quantity, minor,
 * converted_orders, converted_minor, unconverted_minor, as the sales rollups of migration 0034 hold them)
 * by their amount in the seller's currency: the first `limit` rows with a converted entry, largest
 * first; rows none of whose entries kept a rate are not ranked (a rate of 1 would be invented) and come
 * back apart, named (per currency, largest first, at most `limit`), with how many more there are.
 */
export async function rankConverted(db: DbOrTx, groups: SQL, seller: string, limit: number): Promise<ConvertedRanking> {
  // Three reads of `groups` in one statement: the ranked rows, the unranked ones and their count. A
  // plain table's rows (booked_product_windows) are then read from the first entries of its partial
  // indexes (migration 0034), in their order (desc nulls last, as the indexes are built).
  const columns = sql`g.key::text as key, g.currency::text as currency, g.orders::int as n, g.quantity::text as quantity, g.minor::text as minor,
    g.converted_orders::int as converted_n, g.converted_minor::text as converted_minor, g.unconverted_minor::text as nc_minor`;
  const rankedOrder = sql`g.converted_minor desc nulls last, g.currency, g.minor desc nulls last, g.key`;
  const unrankedOrder = sql`g.currency, g.minor desc nulls last, g.key`;
  const rows = await queryRows<{ key: string; currency: string; n: number; quantity: string; minor: string; converted_n: number; converted_minor: string; nc_minor: string; unranked_total: number }>(
    db,
    sql`select r.key, r.currency, r.n, r.quantity, r.minor, r.converted_n, r.converted_minor, r.nc_minor, (select count(*) from (${groups}) g where g.converted_orders = 0)::int as unranked_total
      from (
        (select ${columns}, 0 as part, row_number() over (order by ${rankedOrder}) as pos from (${groups}) g where g.converted_orders > 0
          order by ${rankedOrder} limit ${limit})
        union all
        (select ${columns}, 1 as part, row_number() over (order by ${unrankedOrder}) as pos from (${groups}) g where g.converted_orders = 0
          order by ${unrankedOrder} limit ${limit})
      ) r
      order by r.part, r.pos`,
  );
  const row = (r: (typeof rows)[number]): ConvertedRankRow => ({
    key: r.key,
    currency: r.currency,
    documents: r.n,
    quantity: Number(r.quantity),
    minor: BigInt(r.minor),
    convertedMinor: BigInt(r.converted_minor),
    notConverted: { documents: r.n - r.converted_n, minor: BigInt(r.nc_minor) },
  });
  const unranked = rows.filter((r) => r.converted_n === 0).map(row);
  return {
    currency: seller,
    ranked: rows.filter((r) => r.converted_n > 0).map(row),
    unranked,
    moreUnranked: (rows[0]?.unranked_total ?? 0) - unranked.length,
  };
}

/** One group's conversion: its entries' amounts in the seller's currency and what kept no rate. */
export type ConvertedGroup = {
  key: string;
  figure: string;
  currency: string;
  /** Sum of the converted entries, in the seller's currency. */
  minor: bigint;
  /** Entries counted in `minor`. */
  documents: number;
  /** Entries in another currency without a rate to the seller's: not in `minor`. */
  notConverted: { documents: number; minor: bigint };
  /** The rate sources (fx_source) of the converted entries that kept a rate, sorted. */
  sources: string[];
};

/**
 * Converts `entries` (a relation with key, figure, currency, amount_minor, fx_base, fx_quote, fx_rate,
 * fx_source) per key, figure and currency, as convertedTotals does per filter: each entry at its own
 * snapshot rate, rounded once. For reports, whose rows are keys (month, company, product…) and whose
 * columns are figures (booked, invoiced…).
 */
export async function convertedGroups(db: DbOrTx, entries: SQL, seller: string): Promise<ConvertedGroup[]> {
  const converted = convertedMinorSql(
    { amount: sql`e.amount_minor`, currency: sql`e.currency`, fxBase: sql`e.fx_base`, fxQuote: sql`e.fx_quote`, fxRate: sql`e.fx_rate` },
    seller,
  );
  const rows = await queryRows<{ key: string; figure: string; currency: string; n: number; minor: string | null; nc_n: number; nc_minor: string | null; sources: string[] | null }>(
    db,
    sql`select x.key::text as key, x.figure::text as figure, x.currency::text as currency,
        count(x.converted)::int as n, sum(x.converted)::text as minor,
        (count(*) - count(x.converted))::int as nc_n, sum(x.amount_minor) filter (where x.converted is null)::text as nc_minor,
        array_remove(array_agg(distinct x.fx_source::text), null) as sources
      from (select e.*, ${converted} as converted from (${entries}) e offset 0) x
      group by 1, 2, 3 order by 1, 2, 3`,
  );
  return rows.map((r) => ({
    key: r.key,
    figure: r.figure,
    currency: r.currency,
    minor: BigInt(r.minor ?? 0),
    documents: r.n,
    notConverted: { documents: r.nc_n, minor: BigInt(r.nc_minor ?? 0) },
    sources: r.sources ?? [],
  }));
}

/**
 * The sales dashboard's converted booked totals, this month and the whole previous month: whole months,
 * so from booked_company_months, whose converted columns (migration 0034) hold each booked order's total
 * converted at its accepted quotation's rate, as convertedTotals over bookedWithRates would sum them.
 * The rollup converts into the currency the migrate step gave it (DEFAULT_CURRENCY): `seller` must be it.
 */
export async function bookedConvertedTotals(db: DbOrTx, clock: AnalyticsClock, seller: string): Promise<{ thisMonth: ConvertedTotal; lastMonth: ConvertedTotal }> {
  const month = monthOf(clock.today);
  const thisMonth = monthPeriod(month).from;
  const lastMonth = monthPeriod(previousMonth(month)).from;
  const [, totals] = await Promise.all([
    assertRollupSettings(db, clock, seller),
    sumConverted(
      db,
      sql`select m.currency, m.month, m.orders as n, m.converted_orders as converted_n, m.converted_minor, m.unconverted_minor
        from booked_company_months m where m.month in (${lastMonth}::date, ${thisMonth}::date)`,
      seller,
      { thisMonth: sql`x.month = ${thisMonth}::date`, lastMonth: sql`x.month = ${lastMonth}::date` },
    ),
  ]);
  return totals;
}

/**
 * The sales rollups date months in the database's seller zone (migration 0020) and convert into its
 * seller currency (migration 0034), both written by the migrate step: a clock in another zone, or a
 * conversion asked into another currency, is refused rather than answered from the wrong rollup.
 */
export async function assertRollupSettings(db: DbOrTx, clock: Pick<AnalyticsClock, "timeZone">, seller?: string): Promise<void> {
  const [row] = await queryRows<{ zone: string; currency: string }>(db, sql`select seller_time_zone as zone, seller_currency::text as currency from analytics_settings`);
  if (row?.zone !== clock.timeZone) {
    throw new Error(`the sales rollups date months in ${row?.zone ?? "no zone"}, the clock is in ${clock.timeZone}: run the migrate step with SELLER_TIME_ZONE`);
  }
  if (seller !== undefined && row.currency !== seller) {
    throw new Error(`the sales rollups convert into ${row.currency}, not ${seller}: run the migrate step with DEFAULT_CURRENCY`);
  }
}
