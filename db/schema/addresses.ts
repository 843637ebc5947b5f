import { sql } from "drizzle-orm";
import { boolean, char, check, index, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import type { AddressParts } from "@/lib/domain/addresses";
import { companies } from "./accounts";

export const addressKind = pgEnum("address_kind", ["billing", "shipping"]);

/**
 * A company's address book (issue 14): exactly one billing address (the partial unique index; the
 * service never deletes it) and any number of ship-to addresses, at most one of them the default.
 * Documents never point here: an order copies its ship-to (orders.ship_to), a quotation or invoice
 * its billing address (customer.address), so later edits never change an issued document.
 */
export const companyAddresses = pgTable(
  "company_addresses",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    companyId: uuid("company_id").notNull().references(() => companies.id, { onDelete: "cascade" }),
    kind: addressKind("kind").notNull(),
    /** Short name the buyer picks by ("Hamburg warehouse"); empty for the billing address. */
    label: text("label").notNull().default(""),
    /** Addressee printed first: the company or a department. */
    name: text("name").notNull(),
    attention: text("attention").notNull().default(""),
    line1: text("line1").notNull(),
    line2: text("line2").notNull().default(""),
    postalCode: text("postal_code").notNull().default(""),
    city: text("city").notNull(),
    region: text("region").notNull().default(""),
    /** ISO 3166-1 alpha-2; null only for a billing address migrated from free text without a recognisable country. */
    country: char("country", { length: 2 }),
    isDefault: boolean("is_default").notNull().default(false),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("company_addresses_company_idx").on(t.companyId, t.kind),
    uniqueIndex("company_addresses_one_billing_key").on(t.companyId).where(sql`${t.kind} = 'billing'`),
    uniqueIndex("company_addresses_one_default_ship_to_key").on(t.companyId).where(sql`${t.kind} = 'shipping' and ${t.isDefault}`),
    check("company_addresses_country_check", sql`${t.country} is null or ${t.country} ~ '^[A-Z]{2}$'`),
    check("company_addresses_shipping_country_check", sql`${t.kind} = 'billing' or ${t.country} is not null`),
    check("company_addresses_default_shipping_check", sql`not ${t.isDefault} or ${t.kind} = 'shipping'`),
    check("company_addresses_required_check", sql`length(btrim(${t.name})) > 0 and length(btrim(${t.line1})) > 0`),
  ],
);

/** An address as copied onto an order (orders.ship_to): the printable fields, no identity. */
export type AddressSnapshot = AddressParts & { label: string };

export type CompanyAddress = typeof companyAddresses.$inferSelect;
export type NewCompanyAddress = typeof companyAddresses.$inferInsert;
