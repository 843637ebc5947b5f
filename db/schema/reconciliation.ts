import { sql } from "drizzle-orm";
import { bigint, char, check, date, index, integer, jsonb, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { companies, users } from "./accounts";
import { payments } from "./payments";

/** How one bank's CSV export is read; remembered per bank so the mapping is done once. */
export const bankColumnMappings = pgTable(
  "bank_column_mappings",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    bankName: text("bank_name").notNull(),
    mapping: jsonb("mapping").notNull(),
    updatedBy: uuid("updated_by").references(() => users.id, { onDelete: "restrict" }),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("bank_column_mappings_bank_key").on(sql`lower(${t.bankName})`)],
);

/**
 * A bank account statements are imported for, known by its IBAN (normalised: no spaces, upper case),
 * so the same account imported under two bank names is one account and its lines are stored once.
 */
export const bankAccounts = pgTable(
  "bank_accounts",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    iban: text("iban").notNull(),
    // The bank's name at the first import (later imports may call it otherwise).
    bankName: text("bank_name").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    lastImportedAt: timestamp("last_imported_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("bank_accounts_iban_key").on(t.iban), check("bank_accounts_iban_check", sql`${t.iban} ~ '^[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}$'`)],
);

export const statementFormat = pgEnum("statement_format", ["csv", "camt053"]);

/** One uploaded statement file. Its lines are kept only when the bank had not reported them before. */
export const bankStatements = pgTable(
  "bank_statements",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    bankName: text("bank_name").notNull(),
    format: statementFormat("format").notNull(),
    fileName: text("file_name").notNull(),
    fileSha256: char("file_sha256", { length: 64 }).notNull(),
    // The account the statement is for, when the file says (CAMT.053 carries the IBAN).
    accountIban: text("account_iban"),
    // Null only for CSV statements imported before the import asked for the IBAN.
    bankAccountId: uuid("bank_account_id").references(() => bankAccounts.id, { onDelete: "restrict" }),
    lineCount: integer("line_count").notNull(),
    newLineCount: integer("new_line_count").notNull(),
    importedBy: uuid("imported_by").references(() => users.id, { onDelete: "restrict" }),
    importedAt: timestamp("imported_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("bank_statements_imported_at_idx").on(t.importedAt), index("bank_statements_bank_account_idx").on(t.bankAccountId)],
);

export const statementLineStatus = pgEnum("statement_line_status", ["unmatched", "suggested", "confirmed", "ignored"]);

/**
 * A bank transaction. Its identity (the bank's transaction id, or a hash of its fields and its
 * occurrence in the file) is unique per account, so importing the same statement again adds nothing.
 * The suggestion is what automatic matching proposed; a confirmed line names the payment it made.
 */
export const bankStatementLines = pgTable(
  "bank_statement_lines",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    statementId: uuid("statement_id").notNull().references(() => bankStatements.id, { onDelete: "restrict" }),
    bankName: text("bank_name").notNull(),
    // Where a line's identity is unique: the account's IBAN when the statement names it, else the
    // bank's name as typed (normalised), so one account's lines are stored once whatever it is called.
    accountKey: text("account_key").notNull(),
    identity: text("identity").notNull(),
    lineNo: integer("line_no").notNull(),
    bookedOn: date("booked_on", { mode: "string" }).notNull(),
    amountMinor: bigint("amount_minor", { mode: "bigint" }).notNull(),
    currency: char("currency", { length: 3 }).notNull(),
    counterparty: text("counterparty").notNull().default(""),
    reference: text("reference").notNull().default(""),
    bankTransactionId: text("bank_transaction_id"),
    status: statementLineStatus("status").notNull(),
    suggestion: jsonb("suggestion"),
    suggestedCompanyId: uuid("suggested_company_id").references(() => companies.id, { onDelete: "restrict" }),
    confidence: integer("confidence"),
    paymentId: uuid("payment_id").references(() => payments.id, { onDelete: "restrict" }),
    decidedBy: uuid("decided_by").references(() => users.id, { onDelete: "restrict" }),
    decidedAt: timestamp("decided_at", { withTimezone: true }),
    version: integer("version").notNull().default(1),
  },
  (t) => [
    uniqueIndex("bank_statement_lines_account_identity_key").on(t.accountKey, t.identity),
    index("bank_statement_lines_status_idx").on(t.status, t.bookedOn),
    index("bank_statement_lines_statement_idx").on(t.statementId, t.lineNo),
    uniqueIndex("bank_statement_lines_payment_key").on(t.paymentId).where(sql`${t.paymentId} is not null`),
    check("bank_statement_lines_amount_check", sql`${t.amountMinor} <> 0`),
    check("bank_statement_lines_confirmed_check", sql`(${t.status} = 'confirmed') = (${t.paymentId} is not null)`),
  ],
);

export type BankStatementLine = typeof bankStatementLines.$inferSelect;
export type BankStatement = typeof bankStatements.$inferSelect;
export type BankAccount = typeof bankAccounts.$inferSelect;
