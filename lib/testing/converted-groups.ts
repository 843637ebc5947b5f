import { sql, type SQL } from "drizzle-orm";
import { bookedWithRates, convertedMinorSql } from "@/db/queries/analytics/converted";
import type { AnalyticsClock, Period } from "@/db/queries/analytics/ledger";

// The brute force for the sales rollups' converted columns (migration 0034): the same groups
// rankConverted reads (key, currency, orders, quantity, minor, converted_orders, converted_minor,
// unconverted_minor), computed from the documents at query time: the ledger's booked orders, each
// order's total (or each line of its latest quotation) converted at that quotation's snapshot rate.

const converted = (amount: SQL, currency: SQL, seller: string) =>
  convertedMinorSql({ amount, currency, fxBase: sql`fq.fx_base`, fxQuote: sql`fq.fx_quote`, fxRate: sql`fq.fx_rate` }, seller);

/** Customers' booked orders in `period` per company and currency, from the documents. */
export function customerGroupsFromDocuments(period: Period, clock: Pick<AnalyticsClock, "timeZone">, seller: string): SQL {
  return sql`select x.company_id as key, x.currency, count(*)::int as orders, 0::bigint as quantity, sum(x.amount_minor)::bigint as minor,
      count(x.v)::int as converted_orders, coalesce(sum(x.v), 0)::bigint as converted_minor, coalesce(sum(x.amount_minor) filter (where x.v is null), 0)::bigint as unconverted_minor
    from (select e.*, ${convertedMinorSql({ amount: sql`e.amount_minor`, currency: sql`e.currency`, fxBase: sql`e.fx_base`, fxQuote: sql`e.fx_quote`, fxRate: sql`e.fx_rate` }, seller)} as v
      from (${bookedWithRates(period, clock)}) e) x
    group by x.company_id, x.currency`;
}

/** Products of the booked orders' latest quotations in `period` per product and currency, line by line, from the documents. */
export function productGroupsFromDocuments(period: Period, clock: Pick<AnalyticsClock, "timeZone">, seller: string): SQL {
  return sql`select x.product_id as key, x.currency, count(*)::int as orders, sum(x.quantity)::bigint as quantity, sum(x.total_minor)::bigint as minor,
      count(x.v)::int as converted_orders, coalesce(sum(x.v), 0)::bigint as converted_minor, coalesce(sum(x.total_minor) filter (where x.v is null), 0)::bigint as unconverted_minor
    from (select e.currency, l.product_id, l.quantity, l.total_minor, ${converted(sql`l.total_minor`, sql`e.currency`, seller)} as v
      from (${bookedWithRates(period, clock)}) e
      cross join lateral (select q.id, q.fx_base, q.fx_quote, q.fx_rate from quotations q where q.order_id = e.order_id order by q.version desc limit 1) fq
      join quotation_lines l on l.quotation_id = fq.id) x
    group by x.product_id, x.currency`;
}
