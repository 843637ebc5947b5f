import { sql } from "drizzle-orm";
import { check, foreignKey, index, integer, pgEnum, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { companies, users } from "./accounts";
import { products } from "./catalog";
import { creditNotes, documentLines, orders, quotationLines, quotations } from "./orders";

export const returnStatus = pgEnum("return_status", ["requested", "approved", "received", "rejected"]);

/**
 * A return of shipped goods (RET-2026-000001, gap-free): the buyer requests it with a reason, staff
 * approve (or reject) it and mark it received; receiving brings the stock back and issues a credit
 * note for exactly its lines (credit_notes.return_id). Who did each step and when is kept on the row;
 * the status only moves forward (migration returns_guard).
 */
export const returns = pgTable(
  "returns",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    number: text("number").notNull(),
    orderId: uuid("order_id").notNull().references(() => orders.id, { onDelete: "restrict" }),
    // Copied from the order: customer reads are scoped by company in SQL without a join.
    companyId: uuid("company_id").notNull().references(() => companies.id, { onDelete: "restrict" }),
    quotationId: uuid("quotation_id").notNull().references(() => quotations.id, { onDelete: "restrict" }),
    status: returnStatus("status").notNull().default("requested"),
    reason: text("reason").notNull(),
    requestedBy: uuid("requested_by").references(() => users.id, { onDelete: "restrict" }),
    requestedAt: timestamp("requested_at", { withTimezone: true }).notNull().defaultNow(),
    decidedBy: uuid("decided_by").references(() => users.id, { onDelete: "restrict" }),
    decidedAt: timestamp("decided_at", { withTimezone: true }),
    rejectionReason: text("rejection_reason"),
    receivedBy: uuid("received_by").references(() => users.id, { onDelete: "restrict" }),
    receivedAt: timestamp("received_at", { withTimezone: true }),
  },
  (t) => [
    uniqueIndex("returns_number_key").on(t.number),
    index("returns_order_idx").on(t.orderId, t.requestedAt),
    index("returns_company_idx").on(t.companyId, t.requestedAt),
    check("returns_reason_check", sql`length(btrim(${t.reason})) > 0`),
    check(
      "returns_steps_check",
      sql`(${t.status} = 'requested' and ${t.decidedAt} is null and ${t.receivedAt} is null)
       or (${t.status} = 'approved' and ${t.decidedAt} is not null and ${t.receivedAt} is null and ${t.rejectionReason} is null)
       or (${t.status} = 'rejected' and ${t.decidedAt} is not null and ${t.receivedAt} is null and length(btrim(coalesce(${t.rejectionReason}, ''))) > 0)
       or (${t.status} = 'received' and ${t.decidedAt} is not null and ${t.receivedAt} is not null and ${t.rejectionReason} is null)`,
    ),
  ],
);

/**
 * What a return takes back of one order line (quotation_id, line_no). A constraint trigger keeps the
 * quantity returned of a line (returns not rejected) within the quantity shipped of it.
 */
export const returnLines = pgTable(
  "return_lines",
  {
    returnId: uuid("return_id").notNull().references(() => returns.id, { onDelete: "restrict" }),
    quotationId: uuid("quotation_id").notNull(),
    lineNo: integer("line_no").notNull(),
    productId: uuid("product_id").notNull().references(() => products.id, { onDelete: "restrict" }),
    quantity: integer("quantity").notNull(),
  },
  (t) => [
    primaryKey({ name: "return_lines_pkey", columns: [t.returnId, t.lineNo] }),
    foreignKey({ name: "return_lines_order_line_fk", columns: [t.quotationId, t.lineNo], foreignColumns: [quotationLines.quotationId, quotationLines.lineNo] }).onDelete("restrict"),
    index("return_lines_order_line_idx").on(t.quotationId, t.lineNo),
    check("return_lines_quantity_check", sql`${t.quantity} > 0`),
  ],
);

/** The lines a credit note credits (a return's credit note; a cancelling one credits the whole invoice and has none). */
export const creditNoteLines = pgTable(
  "credit_note_lines",
  { creditNoteId: uuid("credit_note_id").notNull().references(() => creditNotes.id, { onDelete: "restrict" }), ...documentLines },
  (t) => [
    primaryKey({ name: "credit_note_lines_pkey", columns: [t.creditNoteId, t.lineNo] }),
    check("credit_note_lines_quantity_check", sql`${t.quantity} > 0`),
    check("credit_note_lines_amounts_check", sql`${t.netMinor} >= 0 and ${t.taxMinor} >= 0 and ${t.netMinor} + ${t.taxMinor} = ${t.totalMinor}`),
  ],
);

export type Return = typeof returns.$inferSelect;
export type ReturnLine = typeof returnLines.$inferSelect;
