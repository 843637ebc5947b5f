CREATE TYPE "public"."address_kind" AS ENUM('billing', 'shipping');--> statement-breakpoint
CREATE TABLE "company_addresses" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"company_id" uuid NOT NULL,
	"kind" "address_kind" NOT NULL,
	"label" text DEFAULT '' NOT NULL,
	"name" text NOT NULL,
	"attention" text DEFAULT '' NOT NULL,
	"line1" text NOT NULL,
	"line2" text DEFAULT '' NOT NULL,
	"postal_code" text DEFAULT '' NOT NULL,
	"city" text NOT NULL,
	"region" text DEFAULT '' NOT NULL,
	"country" char(2),
	"is_default" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "company_addresses_country_check" CHECK ("company_addresses"."country" is null or "company_addresses"."country" ~ '^[A-Z]{2}$'),
	CONSTRAINT "company_addresses_shipping_country_check" CHECK ("company_addresses"."kind" = 'billing' or "company_addresses"."country" is not null),
	CONSTRAINT "company_addresses_default_shipping_check" CHECK (not "company_addresses"."is_default" or "company_addresses"."kind" = 'shipping'),
	CONSTRAINT "company_addresses_required_check" CHECK (length(btrim("company_addresses"."name")) > 0 and length(btrim("company_addresses"."line1")) > 0)
);
--> statement-breakpoint
ALTER TABLE "orders" ADD COLUMN "ship_to" jsonb;--> statement-breakpoint
ALTER TABLE "orders" ADD COLUMN "ship_to_address_id" uuid;--> statement-breakpoint
ALTER TABLE "company_addresses" ADD CONSTRAINT "company_addresses_company_id_companies_id_fk" FOREIGN KEY ("company_id") REFERENCES "public"."companies"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "company_addresses_company_idx" ON "company_addresses" USING btree ("company_id","kind");--> statement-breakpoint
CREATE UNIQUE INDEX "company_addresses_one_billing_key" ON "company_addresses" USING btree ("company_id") WHERE "company_addresses"."kind" = 'billing';--> statement-breakpoint
CREATE UNIQUE INDEX "company_addresses_one_default_ship_to_key" ON "company_addresses" USING btree ("company_id") WHERE "company_addresses"."kind" = 'shipping' and "company_addresses"."is_default";--> statement-breakpoint
ALTER TABLE "orders" ADD CONSTRAINT "orders_ship_to_address_id_company_addresses_id_fk" FOREIGN KEY ("ship_to_address_id") REFERENCES "public"."company_addresses"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
-- Data (hand-written, issue 14): each company's free-text billing address becomes its structured
-- billing address. Lines are read as "street …, [more lines …], postal code + city, country"; a
-- last line that names a known country becomes its ISO code, otherwise the country stays null and
-- staff complete it on the customer page (the text is kept in companies.billing_address as well).
INSERT INTO "company_addresses" ("company_id", "kind", "name", "line1", "line2", "postal_code", "city", "country")
SELECT c."id", 'billing', c."name", r[1],
  CASE WHEN array_length(r, 1) >= 3 THEN array_to_string(r[2:array_length(r, 1) - 1], ', ') ELSE '' END,
  CASE WHEN cityline ~ '^\S*\d\S*\s+\S' THEN substring(cityline from '^(\S+)') ELSE '' END,
  CASE WHEN cityline IS NULL THEN '' WHEN cityline ~ '^\S*\d\S*\s+\S' THEN btrim(substring(cityline from '^\S+\s+(.*)$')) ELSE cityline END,
  cc
FROM "companies" c
CROSS JOIN LATERAL (
  SELECT array(SELECT btrim(x) FROM unnest(string_to_array(replace(c."billing_address", E'\r', ''), E'\n')) AS x WHERE btrim(x) <> '') AS l
) a
CROSS JOIN LATERAL (
  SELECT CASE WHEN array_length(l, 1) >= 2 THEN CASE lower(l[array_length(l, 1)])
    WHEN 'germany' THEN 'DE' WHEN 'deutschland' THEN 'DE' WHEN 'france' THEN 'FR' WHEN 'austria' THEN 'AT'
    WHEN 'österreich' THEN 'AT' WHEN 'switzerland' THEN 'CH' WHEN 'schweiz' THEN 'CH' WHEN 'netherlands' THEN 'NL'
    WHEN 'the netherlands' THEN 'NL' WHEN 'belgium' THEN 'BE' WHEN 'italy' THEN 'IT' WHEN 'spain' THEN 'ES'
    WHEN 'portugal' THEN 'PT' WHEN 'poland' THEN 'PL' WHEN 'denmark' THEN 'DK' WHEN 'sweden' THEN 'SE'
    WHEN 'norway' THEN 'NO' WHEN 'finland' THEN 'FI' WHEN 'ireland' THEN 'IE' WHEN 'united kingdom' THEN 'GB'
    WHEN 'uk' THEN 'GB' WHEN 'united states' THEN 'US' WHEN 'usa' THEN 'US' WHEN 'czech republic' THEN 'CZ'
    WHEN 'czechia' THEN 'CZ' WHEN 'luxembourg' THEN 'LU' END END AS cc
) k
CROSS JOIN LATERAL (SELECT CASE WHEN cc IS NULL THEN l ELSE l[1:array_length(l, 1) - 1] END AS r) b
CROSS JOIN LATERAL (SELECT CASE WHEN array_length(r, 1) >= 2 THEN r[array_length(r, 1)] END AS cityline) d
WHERE array_length(l, 1) >= 1;
