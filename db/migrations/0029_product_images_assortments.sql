CREATE TABLE "product_image_variants" (
	"image_id" uuid NOT NULL,
	"width" integer NOT NULL,
	"actual_width" integer NOT NULL,
	"actual_height" integer NOT NULL,
	"etag" text NOT NULL,
	"bytes" "bytea" NOT NULL,
	CONSTRAINT "product_image_variants_pkey" PRIMARY KEY("image_id","width"),
	CONSTRAINT "product_image_variants_width_check" CHECK ("product_image_variants"."width" in (160, 480, 1200)),
	CONSTRAINT "product_image_variants_actual_check" CHECK ("product_image_variants"."actual_width" between 1 and "product_image_variants"."width" and "product_image_variants"."actual_height" >= 1),
	CONSTRAINT "product_image_variants_bytes_check" CHECK (octet_length("product_image_variants"."bytes") between 1 and 5242880),
	CONSTRAINT "product_image_variants_etag_check" CHECK ("product_image_variants"."etag" ~ '^[0-9a-f]{32}$')
);
--> statement-breakpoint
CREATE TABLE "product_images" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"product_id" uuid NOT NULL,
	"original_bytes" integer NOT NULL,
	"original_width" integer NOT NULL,
	"original_height" integer NOT NULL,
	"original_format" text NOT NULL,
	"uploaded_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "product_images_original_bytes_check" CHECK ("product_images"."original_bytes" between 1 and 5242880),
	CONSTRAINT "product_images_original_size_check" CHECK ("product_images"."original_width" >= 1 and "product_images"."original_height" >= 1),
	CONSTRAINT "product_images_format_check" CHECK ("product_images"."original_format" in ('jpeg', 'png', 'webp'))
);
--> statement-breakpoint
CREATE TABLE "company_assortment_categories" (
	"company_id" uuid NOT NULL,
	"category" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "company_assortment_categories_pkey" PRIMARY KEY("company_id","category"),
	CONSTRAINT "company_assortment_categories_category_check" CHECK (length("company_assortment_categories"."category") between 1 and 100)
);
--> statement-breakpoint
CREATE TABLE "company_assortment_products" (
	"company_id" uuid NOT NULL,
	"product_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "company_assortment_products_pkey" PRIMARY KEY("company_id","product_id")
);
--> statement-breakpoint
ALTER TABLE "product_image_variants" ADD CONSTRAINT "product_image_variants_image_id_product_images_id_fk" FOREIGN KEY ("image_id") REFERENCES "public"."product_images"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "product_images" ADD CONSTRAINT "product_images_product_id_products_id_fk" FOREIGN KEY ("product_id") REFERENCES "public"."products"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "product_images" ADD CONSTRAINT "product_images_uploaded_by_users_id_fk" FOREIGN KEY ("uploaded_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "company_assortment_categories" ADD CONSTRAINT "company_assortment_categories_company_id_companies_id_fk" FOREIGN KEY ("company_id") REFERENCES "public"."companies"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "company_assortment_products" ADD CONSTRAINT "company_assortment_products_company_id_companies_id_fk" FOREIGN KEY ("company_id") REFERENCES "public"."companies"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "company_assortment_products" ADD CONSTRAINT "company_assortment_products_product_id_products_id_fk" FOREIGN KEY ("product_id") REFERENCES "public"."products"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "product_images_product_key" ON "product_images" USING btree ("product_id");--> statement-breakpoint
CREATE INDEX "company_assortment_products_product_idx" ON "company_assortment_products" USING btree ("product_id");