import "server-only";
import { desc, eq, sql } from "drizzle-orm";
import { companies, exchangeRates } from "@/db/schema";
import { queryRows, type DbOrTx } from "@/db/client";
import { normalizeRate, type ExchangeRate } from "@/lib/domain/currency";
import { isUuid } from "@/lib/domain/ids";
import type { Conversion } from "@/lib/domain/pricing";
import { env } from "@/lib/env";

export type RateWrite = { base: string; quote: string; rate: string; rateDate: string; source: string };
export type RateWritten = RateWrite & { before: string | null };

/**
 * Adds or corrects rates (one statement for a whole file): a new pair+date+source is inserted, an
 * existing one with another rate is updated, an identical one is left alone (not returned). `before`
 * is the replaced rate (null: added). Issued documents hold their own copy, so a correction here
 * changes no document.
 */
export async function upsertExchangeRates(tx: DbOrTx, rows: RateWrite[], recordedBy: string | null): Promise<RateWritten[]> {
  if (rows.length === 0) return [];
  const input = JSON.stringify(rows.map((r) => ({ base: r.base, quote: r.quote, rate: r.rate, rate_date: r.rateDate, source: r.source })));
  const written = await queryRows<{ base: string; quote: string; rate: string; rate_date: string; source: string; before: string | null }>(tx, sql`
    with input as (
      select * from jsonb_to_recordset(${input}::jsonb) as x(base text, quote text, rate numeric, rate_date date, source text)
    ), old as (
      select e.base, e.quote, e.rate_date, e.source, e.rate from exchange_rates e
      join input i on i.base = e.base and i.quote = e.quote and i.rate_date = e.rate_date and i.source = e.source
    ), up as (
      insert into exchange_rates (base, quote, rate, rate_date, source, recorded_by)
      select base, quote, rate, rate_date, source, ${recordedBy}::uuid from input
      on conflict (base, quote, rate_date, source) do update
        set rate = excluded.rate, recorded_by = excluded.recorded_by, recorded_at = now()
        where exchange_rates.rate <> excluded.rate
      returning base, quote, rate, rate_date, source
    )
    select up.base, up.quote, up.rate::text as rate, up.rate_date::text as rate_date, up.source, old.rate::text as before
    from up left join old on old.base = up.base and old.quote = up.quote and old.rate_date = up.rate_date and old.source = up.source
    order by up.rate_date, up.base, up.quote`);
  return written.map((r) => ({
    base: r.base,
    quote: r.quote,
    rate: normalizeRate(r.rate),
    rateDate: r.rate_date,
    source: r.source,
    before: r.before === null ? null : normalizeRate(r.before),
  }));
}

/**
 * For each pair, the latest rate on or before `date` in each direction (from→to as stored, and to→from
 * to be inverted): at most two rows per pair. On one date, the most recently recorded wins.
 */
export async function ratesOnOrBefore(db: DbOrTx, pairs: { from: string; to: string }[], date: string): Promise<ExchangeRate[]> {
  const wanted = pairs.filter((p) => p.from !== p.to).flatMap((p) => [{ base: p.from, quote: p.to }, { base: p.to, quote: p.from }]);
  if (wanted.length === 0) return [];
  const rows = await queryRows<{ base: string; quote: string; rate: string; rate_date: string; source: string }>(db, sql`
    select r.base, r.quote, r.rate::text as rate, r.rate_date::text as rate_date, r.source
    from jsonb_to_recordset(${JSON.stringify(wanted)}::jsonb) as w(base text, quote text)
    cross join lateral (
      select e.base, e.quote, e.rate, e.rate_date, e.source from exchange_rates e
      where e.base = w.base and e.quote = w.quote and e.rate_date <= ${date}::date
      order by e.rate_date desc, e.recorded_at desc, e.source limit 1
    ) r`);
  return rows.map((r) => ({ base: r.base, quote: r.quote, rate: normalizeRate(r.rate), rateDate: r.rate_date, source: r.source }));
}

export type ExchangeRateListRow = ExchangeRate & { id: string; recordedAt: Date };

/** The most recent rates (by date, then pair) for the admin page. */
export async function listExchangeRates(db: DbOrTx, limit = 200): Promise<ExchangeRateListRow[]> {
  const rows = await db
    .select({
      id: exchangeRates.id,
      base: exchangeRates.base,
      quote: exchangeRates.quote,
      rate: exchangeRates.rate,
      rateDate: exchangeRates.rateDate,
      source: exchangeRates.source,
      recordedAt: exchangeRates.recordedAt,
    })
    .from(exchangeRates)
    .orderBy(desc(exchangeRates.rateDate), exchangeRates.base, exchangeRates.quote, exchangeRates.source)
    .limit(limit);
  return rows.map((r) => ({ ...r, rate: normalizeRate(r.rate) }));
}

/**
 * What pricing needs to sell in `currency`: the latest rates on or before `date` between each of
 * `from` (the currencies prices are kept in: the seller's) and it. Null when nothing is to convert.
 */
export async function conversionOn(db: DbOrTx, currency: string, from: string[], date: string): Promise<Conversion | null> {
  const others = [...new Set(from)].filter((f) => f !== currency);
  if (others.length === 0) return { currency, rates: [] };
  return { currency, rates: await ratesOnOrBefore(db, others.map((f) => ({ from: f, to: currency })), date) };
}

/** conversionOn for a company (its currency), from the seller's currency; null without a company. */
export async function companyConversion(db: DbOrTx, companyId: string | null, date: string): Promise<Conversion | null> {
  if (!companyId || !isUuid(companyId)) return null;
  const [row] = await db.select({ currency: companies.currency }).from(companies).where(eq(companies.id, companyId));
  return row ? conversionOn(db, row.currency, [env().DEFAULT_CURRENCY], date) : null;
}
