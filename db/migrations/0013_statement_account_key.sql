DROP INDEX "bank_statement_lines_identity_key";--> statement-breakpoint
-- Existing lines keep their bank's name (normalised as lib/services/reconciliation.ts does) as the key.
ALTER TABLE "bank_statement_lines" ADD COLUMN "account_key" text;--> statement-breakpoint
UPDATE "bank_statement_lines" SET "account_key" = 'bank:' || lower(regexp_replace(btrim("bank_name"), '\s+', ' ', 'g'));--> statement-breakpoint
ALTER TABLE "bank_statement_lines" ALTER COLUMN "account_key" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "bank_statements" ADD COLUMN "account_iban" text;--> statement-breakpoint
CREATE UNIQUE INDEX "bank_statement_lines_account_identity_key" ON "bank_statement_lines" USING btree ("account_key","identity");
