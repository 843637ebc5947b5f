import { sql } from "drizzle-orm";
import { bigint, char, check, date, index, pgEnum, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { companies, users } from "./accounts";
import { invoices } from "./orders";

export const paymentStatus = pgEnum("payment_status", ["pending_verification", "verified", "rejected", "refunded"]);
export const paymentSource = pgEnum("payment_source", ["remittance", "manual", "bank_statement", "provider"]);

export const payments = pgTable(
  "payments",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    companyId: uuid("company_id").notNull().references(() => companies.id, { onDelete: "restrict" }),
    source: paymentSource("source").notNull(),
    status: paymentStatus("status").notNull(),
    amountMinor: bigint("amount_minor", { mode: "bigint" }).notNull(),
    currency: char("currency", { length: 3 }).notNull(),
    paidOn: date("paid_on", { mode: "string" }).notNull(),
    reference: text("reference").notNull().default(""),
    note: text("note").notNull().default(""),
    providerEventId: text("provider_event_id"),
    recordedBy: uuid("recorded_by").references(() => users.id, { onDelete: "restrict" }),
    decidedBy: uuid("decided_by").references(() => users.id, { onDelete: "restrict" }),
    decidedAt: timestamp("decided_at", { withTimezone: true }),
    decisionReason: text("decision_reason"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("payments_company_idx").on(t.companyId, t.createdAt),
    index("payments_status_idx").on(t.status, t.createdAt),
    // Collected = verified payments by the date paid (analytics): index-only sums per currency.
    index("payments_verified_paid_on_idx").on(t.paidOn, t.currency, t.amountMinor).where(sql`${t.status} = 'verified'`),
    uniqueIndex("payments_provider_event_key").on(t.providerEventId).where(sql`${t.providerEventId} is not null`),
    check("payments_amount_check", sql`${t.amountMinor} > 0`),
  ],
);

/** How a payment is spread over invoices. The database refuses more than an invoice's total (trigger). */
export const paymentAllocations = pgTable(
  "payment_allocations",
  {
    paymentId: uuid("payment_id").notNull().references(() => payments.id, { onDelete: "restrict" }),
    invoiceId: uuid("invoice_id").notNull().references(() => invoices.id, { onDelete: "restrict" }),
    amountMinor: bigint("amount_minor", { mode: "bigint" }).notNull(),
  },
  (t) => [
    primaryKey({ name: "payment_allocations_pkey", columns: [t.paymentId, t.invoiceId] }),
    index("payment_allocations_invoice_idx").on(t.invoiceId),
    check("payment_allocations_amount_check", sql`${t.amountMinor} > 0`),
  ],
);

/**
 * Rollup of what is still due today (analytics): one row per open invoice with a verified-payment
 * balance above zero, kept in the same transaction as the documents by SECURITY DEFINER triggers on
 * invoices, credit notes, allocations and payment status (migration 0017), each recomputing the
 * invoice's row from the documents (never a delta, so it cannot drift). It equals
 * companyOutstandingVerifiedSql and the ledger's outstandingAsOf(today) (tests compare them); the
 * finance dashboard reads ageing, receivables and credit exposure from it instead of summing every
 * allocation ever made (940 ms → 5 ms at 100,000 orders). The app role may only read it.
 */
export const receivableBalances = pgTable(
  "receivable_balances",
  {
    invoiceId: uuid("invoice_id").primaryKey().references(() => invoices.id, { onDelete: "restrict" }),
    companyId: uuid("company_id").notNull().references(() => companies.id, { onDelete: "restrict" }),
    currency: char("currency", { length: 3 }).notNull(),
    dueDate: date("due_date", { mode: "string" }).notNull(),
    outstandingMinor: bigint("outstanding_minor", { mode: "bigint" }).notNull(),
    /** outstanding_minor in the seller's currency at the invoice's snapshot rate (to_seller_minor, migration 0035); null without a rate. */
    convertedMinor: bigint("converted_minor", { mode: "bigint" }),
  },
  (t) => [
    index("receivable_balances_company_idx").on(t.companyId),
    check("receivable_balances_outstanding_check", sql`${t.outstandingMinor} > 0`),
  ],
);

export type Payment = typeof payments.$inferSelect;
