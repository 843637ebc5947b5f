CREATE TABLE "exchange_rates" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"base" char(3) NOT NULL,
	"quote" char(3) NOT NULL,
	"rate" numeric(22, 10) NOT NULL,
	"rate_date" date NOT NULL,
	"source" text NOT NULL,
	"recorded_by" uuid,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "exchange_rates_rate_check" CHECK ("exchange_rates"."rate" > 0),
	CONSTRAINT "exchange_rates_pair_check" CHECK ("exchange_rates"."base" <> "exchange_rates"."quote" and "exchange_rates"."base" ~ '^[A-Z]{3}$' and "exchange_rates"."quote" ~ '^[A-Z]{3}$'),
	CONSTRAINT "exchange_rates_source_check" CHECK (length("exchange_rates"."source") between 1 and 40)
);
--> statement-breakpoint
ALTER TABLE "invoices" ADD COLUMN "fx_base" char(3);--> statement-breakpoint
ALTER TABLE "invoices" ADD COLUMN "fx_quote" char(3);--> statement-breakpoint
ALTER TABLE "invoices" ADD COLUMN "fx_rate" numeric(22, 10);--> statement-breakpoint
ALTER TABLE "invoices" ADD COLUMN "fx_rate_date" date;--> statement-breakpoint
ALTER TABLE "invoices" ADD COLUMN "fx_source" text;--> statement-breakpoint
ALTER TABLE "quotations" ADD COLUMN "fx_base" char(3);--> statement-breakpoint
ALTER TABLE "quotations" ADD COLUMN "fx_quote" char(3);--> statement-breakpoint
ALTER TABLE "quotations" ADD COLUMN "fx_rate" numeric(22, 10);--> statement-breakpoint
ALTER TABLE "quotations" ADD COLUMN "fx_rate_date" date;--> statement-breakpoint
ALTER TABLE "quotations" ADD COLUMN "fx_source" text;--> statement-breakpoint
ALTER TABLE "exchange_rates" ADD CONSTRAINT "exchange_rates_recorded_by_users_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."users"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "exchange_rates_pair_date_source_key" ON "exchange_rates" USING btree ("base","quote","rate_date","source");--> statement-breakpoint
CREATE INDEX "exchange_rates_lookup_idx" ON "exchange_rates" USING btree ("base","quote","rate_date");--> statement-breakpoint
ALTER TABLE "invoices" ADD CONSTRAINT "invoices_fx_check" CHECK (("invoices"."fx_rate" is null) = ("invoices"."fx_base" is null) and ("invoices"."fx_rate" is null) = ("invoices"."fx_quote" is null) and ("invoices"."fx_rate" is null) = ("invoices"."fx_rate_date" is null) and ("invoices"."fx_rate" is null) = ("invoices"."fx_source" is null) and ("invoices"."fx_rate" is null or "invoices"."fx_rate" > 0));--> statement-breakpoint
ALTER TABLE "quotations" ADD CONSTRAINT "quotations_fx_check" CHECK (("quotations"."fx_rate" is null) = ("quotations"."fx_base" is null) and ("quotations"."fx_rate" is null) = ("quotations"."fx_quote" is null) and ("quotations"."fx_rate" is null) = ("quotations"."fx_rate_date" is null) and ("quotations"."fx_rate" is null) = ("quotations"."fx_source" is null) and ("quotations"."fx_rate" is null or "quotations"."fx_rate" > 0));