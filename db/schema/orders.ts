import { sql } from "drizzle-orm";
import {
  bigint,
  bigserial,
  boolean,
  char,
  check,
  customType,
  date,
  index,
  integer,
  jsonb,
  numeric,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { companies, users } from "./accounts";
import { products } from "./catalog";
import { companyAddresses, type AddressSnapshot } from "./addresses";

const bytea = customType<{ data: Buffer; driverData: Buffer | Uint8Array }>({
  dataType: () => "bytea",
  fromDriver: (v) => (Buffer.isBuffer(v) ? v : Buffer.from(v)),
});

export const orderStatus = pgEnum("order_status", [
  "draft",
  "quoted",
  "awaiting_customer_approval",
  "awaiting_seller_approval",
  "approved",
  "shipped",
  "delivered",
  "completed",
  "declined",
  "expired",
  "rejected",
  "cancelled",
]);

export const orders = pgTable(
  "orders",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    reference: text("reference").notNull(),
    companyId: uuid("company_id").notNull().references(() => companies.id, { onDelete: "restrict" }),
    buyerId: uuid("buyer_id").notNull().references(() => users.id, { onDelete: "restrict" }),
    status: orderStatus("status").notNull().default("draft"),
    // Every transition is `update … where status = $expected and version = $seen`.
    version: integer("version").notNull().default(1),
    currency: char("currency", { length: 3 }).notNull(),
    poNumber: text("po_number").notNull().default(""),
    notes: text("notes").notNull().default(""),
    // The latest quotation's total, kept by a trigger on quotations: credit exposure and monthly
    // spending sum it over a company's orders without looking up each order's latest version.
    totalMinor: bigint("total_minor", { mode: "bigint" }),
    needsFinanceApproval: boolean("needs_finance_approval").notNull().default(false),
    approvalReasons: jsonb("approval_reasons").$type<string[]>().notNull().default([]),
    customerApproverNote: text("customer_approver_note"),
    submittedAt: timestamp("submitted_at", { withTimezone: true }),
    acceptedAt: timestamp("accepted_at", { withTimezone: true }),
    approvedAt: timestamp("approved_at", { withTimezone: true }),
    shippedAt: timestamp("shipped_at", { withTimezone: true }),
    deliveredAt: timestamp("delivered_at", { withTimezone: true }),
    paidAt: timestamp("paid_at", { withTimezone: true }),
    closedAt: timestamp("closed_at", { withTimezone: true }),
    closeReason: text("close_reason"),
    carrier: text("carrier"),
    trackingNumber: text("tracking_number"),
    // The ship-to chosen at submission, copied (issue 14): editing or deleting the address book entry
    // later never changes it. The id only says where it came from.
    shipTo: jsonb("ship_to").$type<AddressSnapshot>(),
    shipToAddressId: uuid("ship_to_address_id").references(() => companyAddresses.id, { onDelete: "set null" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("orders_reference_key").on(t.reference),
    index("orders_company_status_idx").on(t.companyId, t.status),
    index("orders_status_idx").on(t.status, t.updatedAt),
    // One cart per buyer.
    uniqueIndex("orders_one_draft_per_buyer_key").on(t.buyerId).where(sql`${t.status} = 'draft'`),
    // Analytics (lib/bench/analytics-*.ts measures them at 100,000 orders). Booked, top customers and
    // the reports read orders by acceptance: the figures' columns ride in the key so the sums are
    // index-only scans (drizzle has no INCLUDE). Win rate reads by submission, approval cycle times
    // by final approval.
    index("orders_accepted_at_idx")
      .on(t.acceptedAt, t.status, t.companyId, t.currency, t.totalMinor)
      .where(sql`${t.acceptedAt} is not null`),
    index("orders_submitted_at_idx").on(t.submittedAt, t.acceptedAt, t.status).where(sql`${t.submittedAt} is not null`),
    index("orders_approved_at_idx").on(t.approvedAt).where(sql`${t.approvedAt} is not null`),
  ],
);

/** Cart lines (draft orders only); frozen into quotation lines on submit. */
export const cartLines = pgTable(
  "cart_lines",
  {
    orderId: uuid("order_id").notNull().references(() => orders.id, { onDelete: "cascade" }),
    productId: uuid("product_id").notNull().references(() => products.id, { onDelete: "restrict" }),
    quantity: integer("quantity").notNull(),
    addedAt: timestamp("added_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ name: "cart_lines_pkey", columns: [t.orderId, t.productId] }), check("cart_lines_quantity_check", sql`${t.quantity} > 0`)],
);

export const quotations = pgTable(
  "quotations",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orderId: uuid("order_id").notNull().references(() => orders.id, { onDelete: "restrict" }),
    number: text("number").notNull(),
    version: integer("version").notNull(),
    issuedAt: timestamp("issued_at", { withTimezone: true }).notNull().defaultNow(),
    validUntil: timestamp("valid_until", { withTimezone: true }).notNull(),
    currency: char("currency", { length: 3 }).notNull(),
    subtotalMinor: bigint("subtotal_minor", { mode: "bigint" }).notNull(),
    taxMinor: bigint("tax_minor", { mode: "bigint" }).notNull(),
    totalMinor: bigint("total_minor", { mode: "bigint" }).notNull(),
    roundingMethod: text("rounding_method").notNull(),
    revisionReason: text("revision_reason"),
    issuedBy: uuid("issued_by").references(() => users.id, { onDelete: "restrict" }),
    seller: jsonb("seller").$type<Record<string, string>>().notNull(),
    customer: jsonb("customer").$type<Record<string, string>>().notNull(),
    terms: text("terms").notNull(),
    // The exchange rate the document used (1 fx_base = fx_rate fx_quote, issue 15), copied from
    // exchange_rates when the document's currency is not the seller's: reports convert at it, and a
    // later rate never changes the document. All null for a document in the seller's currency.
    fxBase: char("fx_base", { length: 3 }),
    fxQuote: char("fx_quote", { length: 3 }),
    fxRate: numeric("fx_rate", { precision: 22, scale: 10 }),
    fxRateDate: date("fx_rate_date", { mode: "string" }),
    fxSource: text("fx_source"),
  },
  (t) => [
    uniqueIndex("quotations_order_version_key").on(t.orderId, t.version),
    uniqueIndex("quotations_number_version_key").on(t.number, t.version),
    check("quotations_totals_check", sql`${t.subtotalMinor} + ${t.taxMinor} = ${t.totalMinor}`),
    check("quotations_fx_check", sql`(${t.fxRate} is null) = (${t.fxBase} is null) and (${t.fxRate} is null) = (${t.fxQuote} is null) and (${t.fxRate} is null) = (${t.fxRateDate} is null) and (${t.fxRate} is null) = (${t.fxSource} is null) and (${t.fxRate} is null or ${t.fxRate} > 0)`),
  ],
);

export const documentLines = {
  lineNo: integer("line_no").notNull(),
  productId: uuid("product_id").notNull().references(() => products.id, { onDelete: "restrict" }),
  sku: text("sku").notNull(),
  name: text("name").notNull(),
  unit: text("unit").notNull(),
  quantity: integer("quantity").notNull(),
  unitPriceMinor: bigint("unit_price_minor", { mode: "bigint" }).notNull(),
  discountBp: integer("discount_bp").notNull().default(0),
  netMinor: bigint("net_minor", { mode: "bigint" }).notNull(),
  taxRateBp: integer("tax_rate_bp").notNull(),
  taxMinor: bigint("tax_minor", { mode: "bigint" }).notNull(),
  totalMinor: bigint("total_minor", { mode: "bigint" }).notNull(),
  priceExplanation: text("price_explanation").notNull().default(""),
};

export const quotationLines = pgTable(
  "quotation_lines",
  { quotationId: uuid("quotation_id").notNull().references(() => quotations.id, { onDelete: "restrict" }), ...documentLines },
  (t) => [
    primaryKey({ name: "quotation_lines_pkey", columns: [t.quotationId, t.lineNo] }),
    check("quotation_lines_quantity_check", sql`${t.quantity} > 0`),
    check("quotation_lines_amounts_check", sql`${t.netMinor} >= 0 and ${t.taxMinor} >= 0 and ${t.netMinor} + ${t.taxMinor} = ${t.totalMinor}`),
  ],
);

export const approvalStep = pgEnum("approval_step", ["customer", "sales", "finance"]);
export const approvalDecision = pgEnum("approval_decision", ["approved", "rejected"]);

export const orderApprovals = pgTable(
  "order_approvals",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orderId: uuid("order_id").notNull().references(() => orders.id, { onDelete: "restrict" }),
    step: approvalStep("step").notNull(),
    decision: approvalDecision("decision").notNull(),
    approverId: uuid("approver_id").notNull().references(() => users.id, { onDelete: "restrict" }),
    comment: text("comment").notNull().default(""),
    decidedAt: timestamp("decided_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    // One decision per step, and one user cannot decide two steps of one order.
    uniqueIndex("order_approvals_step_key").on(t.orderId, t.step),
    uniqueIndex("order_approvals_approver_key").on(t.orderId, t.approverId),
  ],
);

export const invoiceStatus = pgEnum("invoice_status", ["open", "cancelled"]);

export const invoices = pgTable(
  "invoices",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    number: text("number").notNull(),
    orderId: uuid("order_id").notNull().references(() => orders.id, { onDelete: "restrict" }),
    quotationId: uuid("quotation_id").notNull().references(() => quotations.id, { onDelete: "restrict" }),
    companyId: uuid("company_id").notNull().references(() => companies.id, { onDelete: "restrict" }),
    issueDate: date("issue_date", { mode: "string" }).notNull(),
    dueDate: date("due_date", { mode: "string" }).notNull(),
    currency: char("currency", { length: 3 }).notNull(),
    subtotalMinor: bigint("subtotal_minor", { mode: "bigint" }).notNull(),
    taxMinor: bigint("tax_minor", { mode: "bigint" }).notNull(),
    totalMinor: bigint("total_minor", { mode: "bigint" }).notNull(),
    roundingMethod: text("rounding_method").notNull(),
    status: invoiceStatus("status").notNull().default("open"),
    // ISO 11649 structured creditor reference the customer quotes when paying.
    paymentReference: text("payment_reference"),
    seller: jsonb("seller").$type<Record<string, string>>().notNull(),
    customer: jsonb("customer").$type<Record<string, string>>().notNull(),
    // The exchange rate the document used (1 fx_base = fx_rate fx_quote, issue 15), copied from
    // exchange_rates when the document's currency is not the seller's: reports convert at it, and a
    // later rate never changes the document. All null for a document in the seller's currency.
    fxBase: char("fx_base", { length: 3 }),
    fxQuote: char("fx_quote", { length: 3 }),
    fxRate: numeric("fx_rate", { precision: 22, scale: 10 }),
    fxRateDate: date("fx_rate_date", { mode: "string" }),
    fxSource: text("fx_source"),
    issuedAt: timestamp("issued_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("invoices_number_key").on(t.number),
    uniqueIndex("invoices_order_key").on(t.orderId),
    index("invoices_company_idx").on(t.companyId, t.issueDate),
    // Invoiced by issue date (analytics): index-only sums per currency.
    index("invoices_issue_date_idx").on(t.issueDate, t.currency, t.totalMinor),
    check("invoices_totals_check", sql`${t.subtotalMinor} + ${t.taxMinor} = ${t.totalMinor}`),
    check("invoices_fx_check", sql`(${t.fxRate} is null) = (${t.fxBase} is null) and (${t.fxRate} is null) = (${t.fxQuote} is null) and (${t.fxRate} is null) = (${t.fxRateDate} is null) and (${t.fxRate} is null) = (${t.fxSource} is null) and (${t.fxRate} is null or ${t.fxRate} > 0)`),
  ],
);

export const invoiceLines = pgTable(
  "invoice_lines",
  { invoiceId: uuid("invoice_id").notNull().references(() => invoices.id, { onDelete: "restrict" }), ...documentLines },
  (t) => [primaryKey({ name: "invoice_lines_pkey", columns: [t.invoiceId, t.lineNo] })],
);

export const creditNotes = pgTable(
  "credit_notes",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    number: text("number").notNull(),
    invoiceId: uuid("invoice_id").notNull().references(() => invoices.id, { onDelete: "restrict" }),
    orderId: uuid("order_id").notNull().references(() => orders.id, { onDelete: "restrict" }),
    companyId: uuid("company_id").notNull().references(() => companies.id, { onDelete: "restrict" }),
    issueDate: date("issue_date", { mode: "string" }).notNull(),
    currency: char("currency", { length: 3 }).notNull(),
    subtotalMinor: bigint("subtotal_minor", { mode: "bigint" }).notNull(),
    taxMinor: bigint("tax_minor", { mode: "bigint" }).notNull(),
    totalMinor: bigint("total_minor", { mode: "bigint" }).notNull(),
    reason: text("reason").notNull(),
    // Set on a return's credit note (partial, with lines); null on the one that cancels the invoice.
    // A plain uuid (no FK here): returns.ts imports this file; the FK is added by its migration.
    returnId: uuid("return_id"),
    issuedAt: timestamp("issued_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("credit_notes_number_key").on(t.number),
    // One cancelling credit note per invoice; one credit note per return.
    uniqueIndex("credit_notes_invoice_key").on(t.invoiceId).where(sql`${t.returnId} is null`),
    uniqueIndex("credit_notes_return_key").on(t.returnId),
    // Credit notes by issue date (analytics: invoiced = invoices − credit notes).
    index("credit_notes_issue_date_idx").on(t.issueDate),
  ],
);

/** Gap-free numbers: one row per (kind, year), incremented inside the issuing transaction. */
export const documentSequences = pgTable(
  "document_sequences",
  {
    kind: text("kind").notNull(),
    year: integer("year").notNull(),
    lastValue: integer("last_value").notNull().default(0),
  },
  (t) => [primaryKey({ name: "document_sequences_pkey", columns: [t.kind, t.year] })],
);

/** The order timeline: who did what, when; internal notes are staff-only. */
export const orderEvents = pgTable(
  "order_events",
  {
    id: bigserial("id", { mode: "bigint" }).primaryKey(),
    orderId: uuid("order_id").notNull().references(() => orders.id, { onDelete: "restrict" }),
    occurredAt: timestamp("occurred_at", { withTimezone: true }).notNull().defaultNow(),
    actorId: uuid("actor_id"),
    actorRole: text("actor_role"),
    event: text("event").notNull(),
    fromStatus: orderStatus("from_status"),
    toStatus: orderStatus("to_status"),
    note: text("note").notNull().default(""),
    internal: boolean("internal").notNull().default(false),
  },
  (t) => [index("order_events_order_idx").on(t.orderId, t.id)],
);

/** Rendered PDFs of immutable documents, keyed by document and version: rendered once. */
export const renderedDocuments = pgTable(
  "rendered_documents",
  {
    kind: text("kind").notNull(),
    documentId: uuid("document_id").notNull(),
    version: integer("version").notNull(),
    pdf: bytea("pdf").notNull(),
    renderedAt: timestamp("rendered_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ name: "rendered_documents_pkey", columns: [t.kind, t.documentId, t.version] })],
);

export type Order = typeof orders.$inferSelect;
export type Quotation = typeof quotations.$inferSelect;
export type QuotationLine = typeof quotationLines.$inferSelect;
export type Invoice = typeof invoices.$inferSelect;
