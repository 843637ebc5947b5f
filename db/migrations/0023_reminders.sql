CREATE TABLE "reminders" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"kind" text NOT NULL,
	"subject_id" uuid NOT NULL,
	"stage" integer NOT NULL,
	"event_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"closed_at" timestamp with time zone,
	CONSTRAINT "reminders_stage_check" CHECK ("reminders"."stage" >= 1)
);
--> statement-breakpoint
ALTER TABLE "reminders" ADD CONSTRAINT "reminders_event_id_outbox_events_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."outbox_events"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "reminders_kind_subject_stage_key" ON "reminders" USING btree ("kind","subject_id","stage");--> statement-breakpoint
CREATE INDEX "reminders_event_id_idx" ON "reminders" USING btree ("event_id");--> statement-breakpoint
CREATE INDEX "reminders_open_idx" ON "reminders" USING btree ("kind","subject_id") WHERE "reminders"."closed_at" is null;