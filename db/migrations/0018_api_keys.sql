CREATE TABLE "api_keys" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"prefix" text NOT NULL,
	"hash" "bytea" NOT NULL,
	"scopes" text[] NOT NULL,
	"company_id" uuid,
	"role" "user_role" NOT NULL,
	"created_by" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone,
	"last_used_at" timestamp with time zone,
	"revoked_at" timestamp with time zone,
	"revoked_by" uuid,
	"rate_limit_per_minute" integer,
	"rate_limit_burst" integer,
	CONSTRAINT "api_keys_prefix_check" CHECK ("api_keys"."prefix" ~ '^[0-9A-Za-z]{12}$'),
	CONSTRAINT "api_keys_hash_check" CHECK (octet_length("api_keys"."hash") = 32),
	CONSTRAINT "api_keys_scopes_check" CHECK (cardinality("api_keys"."scopes") between 1 and 7 and "api_keys"."scopes" <@ array['catalog:read', 'orders:read', 'orders:write', 'invoices:read', 'payments:read', 'payments:write', 'webhooks:manage']::text[]),
	CONSTRAINT "api_keys_role_check" CHECK (case when "api_keys"."company_id" is null then "api_keys"."role" in ('sales', 'finance', 'admin') else "api_keys"."role" = 'buyer' end),
	CONSTRAINT "api_keys_name_check" CHECK (length("api_keys"."name") between 1 and 100),
	CONSTRAINT "api_keys_expiry_check" CHECK ("api_keys"."expires_at" is null or "api_keys"."expires_at" > "api_keys"."created_at"),
	CONSTRAINT "api_keys_revoked_check" CHECK ("api_keys"."revoked_at" is not null or "api_keys"."revoked_by" is null),
	CONSTRAINT "api_keys_rate_limit_check" CHECK (("api_keys"."rate_limit_per_minute" is null or "api_keys"."rate_limit_per_minute" between 1 and 100000) and ("api_keys"."rate_limit_burst" is null or "api_keys"."rate_limit_burst" between 1 and 10000))
);
--> statement-breakpoint
-- UNLOGGED (hand-edited; drizzle-kit has no word for it): no WAL for the write every API request makes.
-- After a crash the table is empty, which only forgives the budgets in use at that moment.
CREATE UNLOGGED TABLE "rate_limit_buckets" (
	"bucket" text PRIMARY KEY NOT NULL,
	"tat" timestamp with time zone NOT NULL,
	"period" interval NOT NULL,
	"burst" integer NOT NULL,
	"allowed" boolean NOT NULL,
	"seen_at" timestamp with time zone NOT NULL,
	CONSTRAINT "rate_limit_buckets_burst_check" CHECK ("rate_limit_buckets"."burst" >= 1)
);
--> statement-breakpoint
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_company_id_companies_id_fk" FOREIGN KEY ("company_id") REFERENCES "public"."companies"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_revoked_by_users_id_fk" FOREIGN KEY ("revoked_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "api_keys_prefix_key" ON "api_keys" USING btree ("prefix");--> statement-breakpoint
CREATE INDEX "api_keys_company_id_idx" ON "api_keys" USING btree ("company_id","created_at");--> statement-breakpoint
CREATE INDEX "api_keys_created_by_idx" ON "api_keys" USING btree ("created_by");--> statement-breakpoint
CREATE INDEX "api_keys_revoked_by_idx" ON "api_keys" USING btree ("revoked_by");--> statement-breakpoint
CREATE INDEX "rate_limit_buckets_tat_idx" ON "rate_limit_buckets" USING btree ("tat");