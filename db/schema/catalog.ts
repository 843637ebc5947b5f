import { sql } from "drizzle-orm";
import {
  bigint,
  bigserial,
  char,
  check,
  customType,
  date,
  index,
  integer,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { companies } from "./accounts";

const tsvector = customType<{ data: string }>({ dataType: () => "tsvector" });

export const products = pgTable(
  "products",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    sku: text("sku").notNull(),
    name: text("name").notNull(),
    description: text("description").notNull().default(""),
    category: text("category").notNull(),
    unit: text("unit").notNull().default("each"),
    basePriceMinor: bigint("base_price_minor", { mode: "bigint" }).notNull(),
    currency: char("currency", { length: 3 }).notNull(),
    taxRateBp: integer("tax_rate_bp").notNull().default(0),
    minOrderQuantity: integer("min_order_quantity").notNull().default(1),
    orderMultiple: integer("order_multiple").notNull().default(1),
    lowStockThreshold: integer("low_stock_threshold").notNull().default(0),
    archivedAt: timestamp("archived_at", { withTimezone: true }),
    searchVector: tsvector("search_vector")
      .notNull()
      .generatedAlwaysAs(
        sql`setweight(to_tsvector('simple', coalesce(sku, '')), 'A') || setweight(to_tsvector('english', coalesce(name, '')), 'A') || setweight(to_tsvector('english', coalesce(category, '')), 'B') || setweight(to_tsvector('english', coalesce(description, '')), 'C')`,
      ),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("products_sku_lower_key").on(sql`lower(${t.sku})`),
    index("products_search_idx").using("gin", t.searchVector),
    // Only the weight-A part of the search vector (SKU and name): a relevance search takes its
    // candidates from here first, so a name match is never crowded out by description matches.
    index("products_search_a_idx").using("gin", sql`ts_filter(${t.searchVector}, '{a}')`),
    index("products_name_trgm_idx").using("gin", sql`${t.name} gin_trgm_ops`),
    index("products_sku_trgm_idx").using("gin", sql`lower(${t.sku}) gin_trgm_ops`),
    // SKU prefix search ("like 'abc%'"): a btree answers it in log time where trigrams cannot.
    index("products_sku_prefix_idx").on(sql`lower(${t.sku}) text_pattern_ops`),
    index("products_active_name_idx").on(t.name, t.id).where(sql`${t.archivedAt} is null`),
    index("products_active_category_idx").on(t.category, t.name, t.id).where(sql`${t.archivedAt} is null`),
    // Sorting by price: products without a contract price, in base price order (see searchCatalog).
    index("products_active_price_idx").on(t.basePriceMinor, t.name, t.id).where(sql`${t.archivedAt} is null`),
    check("products_base_price_check", sql`${t.basePriceMinor} >= 0`),
    check("products_tax_rate_check", sql`${t.taxRateBp} between 0 and 10000`),
    check("products_min_order_check", sql`${t.minOrderQuantity} >= 1`),
    check("products_order_multiple_check", sql`${t.orderMultiple} >= 1`),
    check("products_low_stock_check", sql`${t.lowStockThreshold} >= 0`),
    check("products_currency_check", sql`${t.currency} ~ '^[A-Z]{3}$'`),
  ],
);

/** Volume tiers of the base price: from min_quantity units on, this unit price. */
export const productPriceTiers = pgTable(
  "product_price_tiers",
  {
    productId: uuid("product_id").notNull().references(() => products.id, { onDelete: "cascade" }),
    minQuantity: integer("min_quantity").notNull(),
    unitPriceMinor: bigint("unit_price_minor", { mode: "bigint" }).notNull(),
  },
  (t) => [
    primaryKey({ name: "product_price_tiers_pkey", columns: [t.productId, t.minQuantity] }),
    check("product_price_tiers_qty_check", sql`${t.minQuantity} >= 2`),
    check("product_price_tiers_price_check", sql`${t.unitPriceMinor} >= 0`),
  ],
);

export const inventory = pgTable(
  "inventory",
  {
    productId: uuid("product_id").primaryKey().references(() => products.id, { onDelete: "cascade" }),
    onHand: integer("on_hand").notNull().default(0),
    reserved: integer("reserved").notNull().default(0),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check("inventory_on_hand_check", sql`${t.onHand} >= 0`),
    check("inventory_reserved_check", sql`${t.reserved} >= 0`),
    check("inventory_available_check", sql`${t.onHand} - ${t.reserved} >= 0`),
  ],
);

export const stockMovementKind = pgEnum("stock_movement_kind", ["receipt", "adjustment", "reservation", "release", "shipment", "return"]);

/** Every change of on_hand or reserved; inventory always equals the sum of these rows. */
export const stockMovements = pgTable(
  "stock_movements",
  {
    id: bigserial("id", { mode: "bigint" }).primaryKey(),
    productId: uuid("product_id").notNull().references(() => products.id, { onDelete: "restrict" }),
    kind: stockMovementKind("kind").notNull(),
    onHandDelta: integer("on_hand_delta").notNull().default(0),
    reservedDelta: integer("reserved_delta").notNull().default(0),
    reason: text("reason").notNull().default(""),
    referenceType: text("reference_type"),
    referenceId: text("reference_id"),
    actorId: uuid("actor_id"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("stock_movements_product_idx").on(t.productId, t.id)],
);

export const priceLists = pgTable(
  "price_lists",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    name: text("name").notNull(),
    currency: char("currency", { length: 3 }).notNull(),
    validFrom: date("valid_from", { mode: "string" }).notNull(),
    validTo: date("valid_to", { mode: "string" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("price_lists_name_lower_key").on(sql`lower(${t.name})`),
    check("price_lists_validity_check", sql`${t.validTo} is null or ${t.validTo} >= ${t.validFrom}`),
    check("price_lists_currency_check", sql`${t.currency} ~ '^[A-Z]{3}$'`),
  ],
);

export const priceListEntries = pgTable(
  "price_list_entries",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    priceListId: uuid("price_list_id").notNull().references(() => priceLists.id, { onDelete: "cascade" }),
    productId: uuid("product_id").notNull().references(() => products.id, { onDelete: "restrict" }),
    unitPriceMinor: bigint("unit_price_minor", { mode: "bigint" }).notNull(),
  },
  (t) => [
    uniqueIndex("price_list_entries_list_product_key").on(t.priceListId, t.productId),
    index("price_list_entries_product_idx").on(t.productId),
    // Sorting by price: a list's contract prices in price order (see searchCatalog).
    index("price_list_entries_list_price_idx").on(t.priceListId, t.unitPriceMinor),
    check("price_list_entries_price_check", sql`${t.unitPriceMinor} >= 0`),
  ],
);

export const priceListTiers = pgTable(
  "price_list_tiers",
  {
    entryId: uuid("entry_id").notNull().references(() => priceListEntries.id, { onDelete: "cascade" }),
    minQuantity: integer("min_quantity").notNull(),
    unitPriceMinor: bigint("unit_price_minor", { mode: "bigint" }).notNull(),
  },
  (t) => [
    primaryKey({ name: "price_list_tiers_pkey", columns: [t.entryId, t.minQuantity] }),
    check("price_list_tiers_qty_check", sql`${t.minQuantity} >= 2`),
    check("price_list_tiers_price_check", sql`${t.unitPriceMinor} >= 0`),
  ],
);

export const priceListAssignments = pgTable(
  "price_list_assignments",
  {
    companyId: uuid("company_id").notNull().references(() => companies.id, { onDelete: "cascade" }),
    priceListId: uuid("price_list_id").notNull().references(() => priceLists.id, { onDelete: "cascade" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ name: "price_list_assignments_pkey", columns: [t.companyId, t.priceListId] }),
    index("price_list_assignments_list_idx").on(t.priceListId),
  ],
);

/**
 * Every word that has appeared in a product name (lower case, as to_tsvector('simple') splits
 * them): the typo fallback finds the nearest real words here by trigram similarity, then searches
 * for those. It grows with the vocabulary, not with the number of products. Filled by a trigger on
 * products (migration 0011), so every way of writing a product keeps it complete. Words are never
 * removed (a word of a renamed product only offers one more spelling to try), and there is no
 * unique key on purpose: two transactions adding the same new word never wait for each other, and
 * a rare duplicate is harmless because lookups group by word.
 */
export const catalogWords = pgTable(
  "catalog_words",
  {
    word: text("word").notNull(),
  },
  (t) => [
    index("catalog_words_word_idx").on(t.word),
    index("catalog_words_word_trgm_idx").using("gin", sql`${t.word} gin_trgm_ops`),
  ],
);

export type Product = typeof products.$inferSelect;
export type NewProduct = typeof products.$inferInsert;
export type PriceList = typeof priceLists.$inferSelect;
