ALTER TABLE "outbox_events" ADD COLUMN "notified_at" timestamp with time zone;--> statement-breakpoint
-- Until now the relay fanned an event out in the transaction that relayed it: a relayed event has been notified.
UPDATE "outbox_events" SET "notified_at" = "relayed_at" WHERE "relayed_at" IS NOT NULL;--> statement-breakpoint
CREATE INDEX "outbox_events_unnotified_idx" ON "outbox_events" USING btree ("occurred_at","id") WHERE "outbox_events"."notified_at" is null;
