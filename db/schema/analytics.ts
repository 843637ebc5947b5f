import { bigint, boolean, char, check, date, doublePrecision, index, integer, pgTable, primaryKey, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { sql } from "drizzle-orm";
import { companies } from "./accounts";
import { products } from "./catalog";

/**
 * Database-side analytics settings, one row: the seller's time zone the sales rollups date months in
 * (their triggers run in the database, which has no other way to know it). The migrate step writes it
 * from SELLER_TIME_ZONE (sales_rollups_set_time_zone, migration 0020), rebuilding the rollups when it changes.
 */
export const analyticsSettings = pgTable(
  "analytics_settings",
  {
    id: boolean("id").primaryKey().default(true),
    sellerTimeZone: text("seller_time_zone").notNull(),
    // The seller's base currency the rollups convert booked amounts into (migration 0034), written by
    // the migrate step from DEFAULT_CURRENCY (sales_rollups_set_currency), rebuilding them when it changes.
    sellerCurrency: char("seller_currency", { length: 3 }).notNull().default("EUR"),
  },
  (t) => [check("analytics_settings_one_row", sql`${t.id}`)],
);

/**
 * The booked amounts in the seller's currency (migration 0034), beside each rollup row's own-currency sums:
 * converted_orders of the row's `orders` entries (orders, or an order's quotation lines) converted at their
 * quotation's snapshot rate, each rounded once (to_seller_minor, the converted totals' definition in
 * db/queries/analytics/converted.ts), summed in converted_minor; the other entries kept no rate and their
 * own-currency amount is unconverted_minor (never counted at 1).
 */
function convertedColumns() {
  return {
    convertedOrders: integer("converted_orders").notNull().default(0),
    convertedMinor: bigint("converted_minor", { mode: "bigint" }).notNull().default(sql`0`),
    unconvertedMinor: bigint("unconverted_minor", { mode: "bigint" }).notNull().default(sql`0`),
  };
}

/**
 * Sales rollups (migration 0020), kept by triggers on orders and quotation_lines in the same transaction;
 * the app role only reads them. booked_orders records what each booked order (accepted, not rejected or
 * cancelled) put into the month tables: its seller-calendar month of accepted_at, currency, company,
 * total and the quotation whose lines were counted (immutable), so a change takes exactly that out again.
 */
export const bookedOrders = pgTable(
  "booked_orders",
  {
    orderId: uuid("order_id").primaryKey(),
    quotationId: uuid("quotation_id"),
    companyId: uuid("company_id").notNull(),
    currency: char("currency", { length: 3 }).notNull(),
    month: date("month", { mode: "string" }).notNull(),
    amountMinor: bigint("amount_minor", { mode: "bigint" }).notNull(),
    /** amount_minor in the seller's currency at the quotation's snapshot rate (to_seller_minor), null without a rate. */
    convertedMinor: bigint("converted_minor", { mode: "bigint" }),
  },
  (t) => [index("booked_orders_quotation_idx").on(t.quotationId)],
);

/** Booked per seller-calendar month (first day), currency and company: orders and orders.total_minor. */
export const bookedCompanyMonths = pgTable(
  "booked_company_months",
  {
    month: date("month", { mode: "string" }).notNull(),
    currency: char("currency", { length: 3 }).notNull(),
    companyId: uuid("company_id").notNull().references(() => companies.id, { onDelete: "restrict" }),
    orders: integer("orders").notNull(),
    amountMinor: bigint("amount_minor", { mode: "bigint" }).notNull(),
    ...convertedColumns(),
  },
  (t) => [primaryKey({ name: "booked_company_months_pkey", columns: [t.month, t.currency, t.companyId] })],
);

/** Booked per month, currency and product from the booked orders' counted quotation lines (incl. tax). */
export const bookedProductMonths = pgTable(
  "booked_product_months",
  {
    month: date("month", { mode: "string" }).notNull(),
    currency: char("currency", { length: 3 }).notNull(),
    productId: uuid("product_id").notNull().references(() => products.id, { onDelete: "restrict" }),
    orders: integer("orders").notNull(),
    quantity: bigint("quantity", { mode: "bigint" }).notNull(),
    amountMinor: bigint("amount_minor", { mode: "bigint" }).notNull(),
    ...convertedColumns(),
  },
  (t) => [primaryKey({ name: "booked_product_months_pkey", columns: [t.month, t.currency, t.productId] })],
);

/**
 * Approval cycle rollup (migration 0020): per finally approved order, the instants the approval cycle
 * time is computed from (submission, acceptance, each step's decision, final approval), recomputed from
 * the order and its order_approvals by triggers in the same transaction. The figure's statement reads
 * the orders approved in its period from here instead of looking up each order's decisions.
 */
export const orderCycleTimes = pgTable(
  "order_cycle_times",
  {
    orderId: uuid("order_id").primaryKey(),
    approvedAt: timestamp("approved_at", { withTimezone: true }).notNull(),
    submittedAt: timestamp("submitted_at", { withTimezone: true }),
    acceptedAt: timestamp("accepted_at", { withTimezone: true }),
    customerAt: timestamp("customer_at", { withTimezone: true }),
    salesAt: timestamp("sales_at", { withTimezone: true }),
    financeAt: timestamp("finance_at", { withTimezone: true }),
    // Each stage's duration in seconds as the figure defines it (db/queries/analytics/sales.ts), computed
    // once on write (migration 0021): the figure sorts stored floats instead of computing an interval's
    // numeric epoch for every row it reads (20 → 5 ms for 90 days at 100,000 orders).
    customerSeconds: doublePrecision("customer_seconds").generatedAlwaysAs(sql`extract(epoch from (customer_at - accepted_at))::float8`),
    salesSeconds: doublePrecision("sales_seconds").generatedAlwaysAs(sql`extract(epoch from (sales_at - coalesce(customer_at, accepted_at)))::float8`),
    financeSeconds: doublePrecision("finance_seconds").generatedAlwaysAs(
      sql`extract(epoch from (finance_at - case when sales_at < finance_at then sales_at else coalesce(customer_at, accepted_at) end))::float8`,
    ),
    totalSeconds: doublePrecision("total_seconds").generatedAlwaysAs(sql`extract(epoch from (approved_at - submitted_at))::float8`),
  },
  // Every column the figure reads: its period is an index-only scan (no heap visits).
  (t) => [
    index("order_cycle_times_approved_idx").on(
      t.approvedAt, t.submittedAt, t.customerAt, t.salesAt, t.financeAt, t.customerSeconds, t.salesSeconds, t.financeSeconds, t.totalSeconds,
    ),
  ],
);

/**
 * Booked per rolling window of PRODUCT_WINDOW_MONTHS (3) seller-calendar months, currency and product
 * (migration 0021): the row of end_month holds the sum of booked_product_months over end_month and the
 * two months before, kept by a trigger on booked_product_months in the same transaction. The sales
 * dashboard's top products read the 5 largest rows of this month per currency from
 * booked_product_windows_top_idx instead of summing every product of three months (which grows with
 * the catalogue: 50 ms at 100,000 orders).
 */
export const bookedProductWindows = pgTable(
  "booked_product_windows",
  {
    endMonth: date("end_month", { mode: "string" }).notNull(),
    currency: char("currency", { length: 3 }).notNull(),
    productId: uuid("product_id").notNull().references(() => products.id, { onDelete: "restrict" }),
    orders: integer("orders").notNull(),
    quantity: bigint("quantity", { mode: "bigint" }).notNull(),
    amountMinor: bigint("amount_minor", { mode: "bigint" }).notNull(),
    ...convertedColumns(),
  },
  (t) => [
    primaryKey({ name: "booked_product_windows_pkey", columns: [t.endMonth, t.currency, t.productId] }),
    index("booked_product_windows_top_idx").on(t.endMonth, t.currency, t.amountMinor.desc(), t.productId),
    // The converted ranking (issue 15): rows with a converted entry by converted value across currencies,
    // and the rows none of whose entries kept a rate per currency; each read from its first rows.
    index("booked_product_windows_converted_idx")
      .on(t.endMonth, t.convertedMinor.desc(), t.currency, t.amountMinor.desc(), t.productId)
      .where(sql`${t.convertedOrders} > 0`),
    index("booked_product_windows_unconverted_idx").on(t.endMonth, t.currency, t.amountMinor.desc(), t.productId).where(sql`${t.convertedOrders} = 0`),
  ],
);

/**
 * The finance dashboard's converted totals, kept per document (migration 0035): each ledger entry of
 * the invoiced and collected figures (db/queries/analytics/ledger.ts) with its amount in the seller's
 * currency at the rate its document kept (to_seller_minor; null without a rate), written by triggers in
 * the documents' own transactions. Invoiced: an invoice (+, its rate) or a credit note (−, its
 * invoice's rate), on its issue date. Collected: a verified payment on the date paid, one part per rate
 * of the invoices it is allocated to and one for the unallocated rest (no rate), recomputed from the
 * documents whenever the payment or its allocations change. The dashboard sums a date range from
 * converted_entries_date_idx (index-only) instead of converting every document of the period per view.
 */
export const convertedEntries = pgTable(
  "converted_entries",
  {
    figure: text("figure").notNull(),
    sourceId: uuid("source_id").notNull(),
    part: integer("part").notNull(),
    onDate: date("on_date", { mode: "string" }).notNull(),
    currency: char("currency", { length: 3 }).notNull(),
    amountMinor: bigint("amount_minor", { mode: "bigint" }).notNull(),
    convertedMinor: bigint("converted_minor", { mode: "bigint" }),
  },
  (t) => [
    primaryKey({ name: "converted_entries_pkey", columns: [t.figure, t.sourceId, t.part] }),
    index("converted_entries_date_idx").on(t.figure, t.onDate, t.currency, t.amountMinor, t.convertedMinor),
    check("converted_entries_figure_check", sql`${t.figure} in ('invoiced', 'collected')`),
  ],
);
