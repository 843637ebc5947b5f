import { sql } from "drizzle-orm";
import { check, index, integer, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { companies, users } from "./accounts";
import { products } from "./catalog";

/**
 * Requisition lists (issue 14): a company's saved lists of products and quantities, shared by all
 * its buyers, turned into a cart at the prices of the day. A name is unique per company (case-insensitive).
 */
export const requisitionLists = pgTable(
  "requisition_lists",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    companyId: uuid("company_id").notNull().references(() => companies.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    createdBy: uuid("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("requisition_lists_company_name_key").on(t.companyId, sql`lower(${t.name})`),
    check("requisition_lists_name_check", sql`length(btrim(${t.name})) between 1 and 100`),
  ],
);

/** One line per product and list: adding a product that is already there adds to its quantity. */
export const requisitionListLines = pgTable(
  "requisition_list_lines",
  {
    listId: uuid("list_id").notNull().references(() => requisitionLists.id, { onDelete: "cascade" }),
    productId: uuid("product_id").notNull().references(() => products.id, { onDelete: "restrict" }),
    quantity: integer("quantity").notNull(),
    addedAt: timestamp("added_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ name: "requisition_list_lines_pkey", columns: [t.listId, t.productId] }),
    index("requisition_list_lines_product_idx").on(t.productId),
    check("requisition_list_lines_quantity_check", sql`${t.quantity} > 0 and ${t.quantity} <= 10000000`),
  ],
);

export type RequisitionList = typeof requisitionLists.$inferSelect;
export type NewRequisitionList = typeof requisitionLists.$inferInsert;
export type RequisitionListLine = typeof requisitionListLines.$inferSelect;
