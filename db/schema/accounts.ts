import { sql } from "drizzle-orm";
import {
  bigint,
  boolean,
  char,
  check,
  index,
  integer,
  pgEnum,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";

export const userRole = pgEnum("user_role", ["buyer", "customer_admin", "sales", "finance", "admin"]);

export const companies = pgTable(
  "companies",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    name: text("name").notNull(),
    billingAddress: text("billing_address").notNull().default(""),
    taxId: text("tax_id").notNull().default(""),
    paymentTermsDays: integer("payment_terms_days").notNull().default(30),
    creditLimitMinor: bigint("credit_limit_minor", { mode: "bigint" }).notNull().default(sql`0`),
    currency: char("currency", { length: 3 }).notNull(),
    timeZone: text("time_zone").notNull().default("UTC"),
    active: boolean("active").notNull().default(true),
    quoteValidityDays: integer("quote_validity_days").notNull().default(14),
    requiresPoNumber: boolean("requires_po_number").notNull().default(false),
    // Receives invoices and credit notes (issue 13) besides the buyer; null: none.
    accountsPayableEmail: text("accounts_payable_email"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check("companies_quote_validity_check", sql`${t.quoteValidityDays} between 1 and 365`),
    uniqueIndex("companies_name_lower_key").on(sql`lower(${t.name})`),
    check("companies_payment_terms_check", sql`${t.paymentTermsDays} between 0 and 365`),
    check("companies_credit_limit_check", sql`${t.creditLimitMinor} >= 0`),
    check("companies_currency_check", sql`${t.currency} ~ '^[A-Z]{3}$'`),
    check("companies_accounts_payable_email_check", sql`${t.accountsPayableEmail} is null or (${t.accountsPayableEmail} ~ '^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$' and length(${t.accountsPayableEmail}) <= 254)`),
  ],
);

export const users = pgTable(
  "users",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    email: text("email").notNull(),
    name: text("name").notNull(),
    passwordHash: text("password_hash").notNull(),
    role: userRole("role").notNull(),
    companyId: uuid("company_id").references(() => companies.id, { onDelete: "restrict" }),
    active: boolean("active").notNull().default(true),
    // Bumped on password change or deactivation; a session token carrying an older value is void.
    sessionVersion: integer("session_version").notNull().default(1),
    // Spending limits for buyers (null: none). Above them a customer admin must approve.
    orderLimitMinor: bigint("order_limit_minor", { mode: "bigint" }),
    monthlyLimitMinor: bigint("monthly_limit_minor", { mode: "bigint" }),
    lastLoginAt: timestamp("last_login_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("users_email_lower_key").on(sql`lower(${t.email})`),
    index("users_company_id_idx").on(t.companyId),
    // Customer roles belong to exactly one company; staff to none.
    check(
      "users_company_role_check",
      sql`(${t.role} in ('buyer', 'customer_admin')) = (${t.companyId} is not null)`,
    ),
  ],
);

export type Company = typeof companies.$inferSelect;
export type NewCompany = typeof companies.$inferInsert;
export type User = typeof users.$inferSelect;
export type NewUser = typeof users.$inferInsert;
