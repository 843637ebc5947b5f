CREATE TABLE "bank_accounts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"iban" text NOT NULL,
	"bank_name" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_imported_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "bank_accounts_iban_check" CHECK ("bank_accounts"."iban" ~ '^[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}$')
);
--> statement-breakpoint
ALTER TABLE "bank_statements" ADD COLUMN "bank_account_id" uuid;--> statement-breakpoint
CREATE UNIQUE INDEX "bank_accounts_iban_key" ON "bank_accounts" USING btree ("iban");--> statement-breakpoint
ALTER TABLE "bank_statements" ADD CONSTRAINT "bank_statements_bank_account_id_bank_accounts_id_fk" FOREIGN KEY ("bank_account_id") REFERENCES "public"."bank_accounts"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "bank_statements_bank_account_idx" ON "bank_statements" USING btree ("bank_account_id");--> statement-breakpoint
-- Statements that named their account (CAMT.053) become its bank account, under the name of its first import.
INSERT INTO "bank_accounts" ("iban", "bank_name", "created_at", "last_imported_at")
SELECT DISTINCT ON ("account_iban") "account_iban", "bank_name", "imported_at",
       max("imported_at") OVER (PARTITION BY "account_iban")
FROM "bank_statements" WHERE "account_iban" ~ '^[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}$'
ORDER BY "account_iban", "imported_at";--> statement-breakpoint
UPDATE "bank_statements" s SET "bank_account_id" = a."id" FROM "bank_accounts" a WHERE a."iban" = s."account_iban";
-- CSV statements of earlier imports named no account: their lines keep the bank's name as key until
-- the first import of that bank with an IBAN adopts them (lib/services/reconciliation.ts).
