import { sql } from "drizzle-orm";
import { check, foreignKey, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { companies, users } from "./accounts";
import { products } from "./catalog";
import { type AddressSnapshot } from "./addresses";
import { orders, quotationLines, quotations } from "./orders";

/**
 * One shipment of (part of) an approved order, with its delivery note number (DN-2026-000001,
 * gap-free). Immutable once written (migration shipments_guard). The order's lines are the lines
 * of the quotation it was approved on; a shipment records which quotation that was.
 */
export const shipments = pgTable(
  "shipments",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    number: text("number").notNull(),
    orderId: uuid("order_id").notNull().references(() => orders.id, { onDelete: "restrict" }),
    // Copied from the order: customer reads are scoped by company in SQL without a join.
    companyId: uuid("company_id").notNull().references(() => companies.id, { onDelete: "restrict" }),
    quotationId: uuid("quotation_id").notNull().references(() => quotations.id, { onDelete: "restrict" }),
    carrier: text("carrier").notNull(),
    trackingNumber: text("tracking_number").notNull().default(""),
    // The order's ship-to when the goods left, printed on the delivery note.
    shipTo: jsonb("ship_to").$type<AddressSnapshot>(),
    shippedAt: timestamp("shipped_at", { withTimezone: true }).notNull().defaultNow(),
    shippedBy: uuid("shipped_by").references(() => users.id, { onDelete: "restrict" }),
  },
  (t) => [
    uniqueIndex("shipments_number_key").on(t.number),
    index("shipments_order_idx").on(t.orderId, t.shippedAt),
    index("shipments_company_idx").on(t.companyId, t.shippedAt),
    check("shipments_carrier_check", sql`length(btrim(${t.carrier})) > 0`),
  ],
);

/**
 * What one shipment carried of one order line. Keyed by its own id so that returns can refer to
 * exactly what was shipped; the order line is (quotation_id, line_no). A constraint trigger keeps
 * the quantities shipped of a line within the quantity ordered (migration shipments_guard).
 */
export const shipmentLines = pgTable(
  "shipment_lines",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    shipmentId: uuid("shipment_id").notNull().references(() => shipments.id, { onDelete: "restrict" }),
    quotationId: uuid("quotation_id").notNull(),
    lineNo: integer("line_no").notNull(),
    productId: uuid("product_id").notNull().references(() => products.id, { onDelete: "restrict" }),
    quantity: integer("quantity").notNull(),
  },
  (t) => [
    foreignKey({ name: "shipment_lines_order_line_fk", columns: [t.quotationId, t.lineNo], foreignColumns: [quotationLines.quotationId, quotationLines.lineNo] }).onDelete("restrict"),
    uniqueIndex("shipment_lines_shipment_line_key").on(t.shipmentId, t.lineNo),
    index("shipment_lines_order_line_idx").on(t.quotationId, t.lineNo),
    index("shipment_lines_product_idx").on(t.productId),
    check("shipment_lines_quantity_check", sql`${t.quantity} > 0`),
  ],
);

export type Shipment = typeof shipments.$inferSelect;
export type NewShipment = typeof shipments.$inferInsert;
export type ShipmentLine = typeof shipmentLines.$inferSelect;
