CREATE INDEX "credit_notes_issue_date_idx" ON "credit_notes" USING btree ("issue_date");--> statement-breakpoint
CREATE INDEX "invoices_issue_date_idx" ON "invoices" USING btree ("issue_date","currency","total_minor");--> statement-breakpoint
CREATE INDEX "orders_accepted_at_idx" ON "orders" USING btree ("accepted_at","status","company_id","currency","total_minor") WHERE "orders"."accepted_at" is not null;--> statement-breakpoint
CREATE INDEX "orders_submitted_at_idx" ON "orders" USING btree ("submitted_at","accepted_at","status") WHERE "orders"."submitted_at" is not null;--> statement-breakpoint
CREATE INDEX "orders_approved_at_idx" ON "orders" USING btree ("approved_at") WHERE "orders"."approved_at" is not null;--> statement-breakpoint
CREATE INDEX "payments_verified_paid_on_idx" ON "payments" USING btree ("paid_on","currency","amount_minor") WHERE "payments"."status" = 'verified';