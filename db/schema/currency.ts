import { sql } from "drizzle-orm";
import { char, check, date, index, numeric, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { users } from "./accounts";

// 1 base = rate quote on rate_date, as published by source ("ECB") or typed by staff ("manual").
// The rate is an exact decimal (numeric), never a float: conversions are done with it as a fraction.
// Documents copy the rate they used (quotations/invoices fx_* columns), so changing or adding rates
// here never changes an issued document.
export const exchangeRates = pgTable(
  "exchange_rates",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    base: char("base", { length: 3 }).notNull(),
    quote: char("quote", { length: 3 }).notNull(),
    rate: numeric("rate", { precision: 22, scale: 10 }).notNull(),
    rateDate: date("rate_date", { mode: "string" }).notNull(),
    source: text("source").notNull(),
    recordedBy: uuid("recorded_by").references(() => users.id, { onDelete: "restrict" }),
    recordedAt: timestamp("recorded_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("exchange_rates_pair_date_source_key").on(t.base, t.quote, t.rateDate, t.source),
    // The latest rate on or before a date: one index probe backwards.
    index("exchange_rates_lookup_idx").on(t.base, t.quote, t.rateDate),
    check("exchange_rates_rate_check", sql`${t.rate} > 0`),
    check("exchange_rates_pair_check", sql`${t.base} <> ${t.quote} and ${t.base} ~ '^[A-Z]{3}$' and ${t.quote} ~ '^[A-Z]{3}$'`),
    check("exchange_rates_source_check", sql`length(${t.source}) between 1 and 40`),
  ],
);

export type ExchangeRateRow = typeof exchangeRates.$inferSelect;
export type NewExchangeRate = typeof exchangeRates.$inferInsert;
