CREATE TYPE "public"."stock_movement_kind" AS ENUM('receipt', 'adjustment', 'reservation', 'release', 'shipment');--> statement-breakpoint
CREATE TABLE "inventory" (
	"product_id" uuid PRIMARY KEY NOT NULL,
	"on_hand" integer DEFAULT 0 NOT NULL,
	"reserved" integer DEFAULT 0 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "inventory_on_hand_check" CHECK ("inventory"."on_hand" >= 0),
	CONSTRAINT "inventory_reserved_check" CHECK ("inventory"."reserved" >= 0),
	CONSTRAINT "inventory_available_check" CHECK ("inventory"."on_hand" - "inventory"."reserved" >= 0)
);
--> statement-breakpoint
CREATE TABLE "price_list_assignments" (
	"company_id" uuid NOT NULL,
	"price_list_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "price_list_assignments_pkey" PRIMARY KEY("company_id","price_list_id")
);
--> statement-breakpoint
CREATE TABLE "price_list_entries" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"price_list_id" uuid NOT NULL,
	"product_id" uuid NOT NULL,
	"unit_price_minor" bigint NOT NULL,
	CONSTRAINT "price_list_entries_price_check" CHECK ("price_list_entries"."unit_price_minor" >= 0)
);
--> statement-breakpoint
CREATE TABLE "price_list_tiers" (
	"entry_id" uuid NOT NULL,
	"min_quantity" integer NOT NULL,
	"unit_price_minor" bigint NOT NULL,
	CONSTRAINT "price_list_tiers_pkey" PRIMARY KEY("entry_id","min_quantity"),
	CONSTRAINT "price_list_tiers_qty_check" CHECK ("price_list_tiers"."min_quantity" >= 2),
	CONSTRAINT "price_list_tiers_price_check" CHECK ("price_list_tiers"."unit_price_minor" >= 0)
);
--> statement-breakpoint
CREATE TABLE "price_lists" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"currency" char(3) NOT NULL,
	"valid_from" date NOT NULL,
	"valid_to" date,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "price_lists_validity_check" CHECK ("price_lists"."valid_to" is null or "price_lists"."valid_to" >= "price_lists"."valid_from"),
	CONSTRAINT "price_lists_currency_check" CHECK ("price_lists"."currency" ~ '^[A-Z]{3}$')
);
--> statement-breakpoint
CREATE TABLE "product_price_tiers" (
	"product_id" uuid NOT NULL,
	"min_quantity" integer NOT NULL,
	"unit_price_minor" bigint NOT NULL,
	CONSTRAINT "product_price_tiers_pkey" PRIMARY KEY("product_id","min_quantity"),
	CONSTRAINT "product_price_tiers_qty_check" CHECK ("product_price_tiers"."min_quantity" >= 2),
	CONSTRAINT "product_price_tiers_price_check" CHECK ("product_price_tiers"."unit_price_minor" >= 0)
);
--> statement-breakpoint
CREATE TABLE "products" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"sku" text NOT NULL,
	"name" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"category" text NOT NULL,
	"unit" text DEFAULT 'each' NOT NULL,
	"base_price_minor" bigint NOT NULL,
	"currency" char(3) NOT NULL,
	"tax_rate_bp" integer DEFAULT 0 NOT NULL,
	"min_order_quantity" integer DEFAULT 1 NOT NULL,
	"order_multiple" integer DEFAULT 1 NOT NULL,
	"low_stock_threshold" integer DEFAULT 0 NOT NULL,
	"archived_at" timestamp with time zone,
	"search_vector" "tsvector" GENERATED ALWAYS AS (setweight(to_tsvector('simple', coalesce(sku, '')), 'A') || setweight(to_tsvector('english', coalesce(name, '')), 'A') || setweight(to_tsvector('english', coalesce(category, '')), 'B') || setweight(to_tsvector('english', coalesce(description, '')), 'C')) STORED NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "products_base_price_check" CHECK ("products"."base_price_minor" >= 0),
	CONSTRAINT "products_tax_rate_check" CHECK ("products"."tax_rate_bp" between 0 and 10000),
	CONSTRAINT "products_min_order_check" CHECK ("products"."min_order_quantity" >= 1),
	CONSTRAINT "products_order_multiple_check" CHECK ("products"."order_multiple" >= 1),
	CONSTRAINT "products_low_stock_check" CHECK ("products"."low_stock_threshold" >= 0),
	CONSTRAINT "products_currency_check" CHECK ("products"."currency" ~ '^[A-Z]{3}$')
);
--> statement-breakpoint
CREATE TABLE "stock_movements" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"product_id" uuid NOT NULL,
	"kind" "stock_movement_kind" NOT NULL,
	"on_hand_delta" integer DEFAULT 0 NOT NULL,
	"reserved_delta" integer DEFAULT 0 NOT NULL,
	"reason" text DEFAULT '' NOT NULL,
	"reference_type" text,
	"reference_id" text,
	"actor_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "inventory" ADD CONSTRAINT "inventory_product_id_products_id_fk" FOREIGN KEY ("product_id") REFERENCES "public"."products"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "price_list_assignments" ADD CONSTRAINT "price_list_assignments_company_id_companies_id_fk" FOREIGN KEY ("company_id") REFERENCES "public"."companies"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "price_list_assignments" ADD CONSTRAINT "price_list_assignments_price_list_id_price_lists_id_fk" FOREIGN KEY ("price_list_id") REFERENCES "public"."price_lists"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "price_list_entries" ADD CONSTRAINT "price_list_entries_price_list_id_price_lists_id_fk" FOREIGN KEY ("price_list_id") REFERENCES "public"."price_lists"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "price_list_entries" ADD CONSTRAINT "price_list_entries_product_id_products_id_fk" FOREIGN KEY ("product_id") REFERENCES "public"."products"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "price_list_tiers" ADD CONSTRAINT "price_list_tiers_entry_id_price_list_entries_id_fk" FOREIGN KEY ("entry_id") REFERENCES "public"."price_list_entries"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "product_price_tiers" ADD CONSTRAINT "product_price_tiers_product_id_products_id_fk" FOREIGN KEY ("product_id") REFERENCES "public"."products"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stock_movements" ADD CONSTRAINT "stock_movements_product_id_products_id_fk" FOREIGN KEY ("product_id") REFERENCES "public"."products"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "price_list_assignments_list_idx" ON "price_list_assignments" USING btree ("price_list_id");--> statement-breakpoint
CREATE UNIQUE INDEX "price_list_entries_list_product_key" ON "price_list_entries" USING btree ("price_list_id","product_id");--> statement-breakpoint
CREATE INDEX "price_list_entries_product_idx" ON "price_list_entries" USING btree ("product_id");--> statement-breakpoint
CREATE UNIQUE INDEX "price_lists_name_lower_key" ON "price_lists" USING btree (lower("name"));--> statement-breakpoint
CREATE UNIQUE INDEX "products_sku_lower_key" ON "products" USING btree (lower("sku"));--> statement-breakpoint
CREATE INDEX "products_search_idx" ON "products" USING gin ("search_vector");--> statement-breakpoint
CREATE INDEX "products_name_trgm_idx" ON "products" USING gin ("name" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "products_sku_trgm_idx" ON "products" USING gin (lower("sku") gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "products_active_name_idx" ON "products" USING btree ("name","id") WHERE "products"."archived_at" is null;--> statement-breakpoint
CREATE INDEX "products_active_category_idx" ON "products" USING btree ("category","name","id") WHERE "products"."archived_at" is null;--> statement-breakpoint
CREATE INDEX "stock_movements_product_idx" ON "stock_movements" USING btree ("product_id","id");