import { sql } from "drizzle-orm";
import { check, index, pgTable, primaryKey, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { companies } from "./accounts";
import { products } from "./catalog";

/**
 * Customer-specific assortments (issue 14). A company with no rows in either table sees the whole
 * catalogue; with rows it sees only the products in one of its categories or listed by id. The
 * rule itself lives in one SQL predicate (db/queries/assortments.ts) that every catalogue read uses.
 */
export const companyAssortmentCategories = pgTable(
  "company_assortment_categories",
  {
    companyId: uuid("company_id").notNull().references(() => companies.id, { onDelete: "cascade" }),
    /** products.category is free text: matched exactly, as the catalogue's category filter does. */
    category: text("category").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ name: "company_assortment_categories_pkey", columns: [t.companyId, t.category] }),
    check("company_assortment_categories_category_check", sql`length(${t.category}) between 1 and 100`),
  ],
);

export const companyAssortmentProducts = pgTable(
  "company_assortment_products",
  {
    companyId: uuid("company_id").notNull().references(() => companies.id, { onDelete: "cascade" }),
    productId: uuid("product_id").notNull().references(() => products.id, { onDelete: "cascade" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ name: "company_assortment_products_pkey", columns: [t.companyId, t.productId] }),
    index("company_assortment_products_product_idx").on(t.productId),
  ],
);
