import { sql } from "drizzle-orm";
import { boolean, check, index, integer, jsonb, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { companies, users } from "./accounts";

// The outbox (issue 12, reused by notifications in issue 13): one row per business event, written by
// the mutation that caused it, inside its transaction (MutationContext.emit), so an event exists
// exactly when its change committed. The id is the event id receivers see (webhook-id) and dedupe on.
// Two consumers read it, each with its own marker, so neither waits for the other: the webhook relay
// (lib/jobs/webhooks.ts) claims unrelayed rows, enqueues one delivery job per matching endpoint in the
// same transaction and sets relayed_at (the hand-off happens once); the notifier (lib/jobs/notify.ts)
// fans unnotified rows out into notifications and mails and sets notified_at in the same transaction.
export const outboxEvents = pgTable(
  "outbox_events",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    type: text("type").notNull(),
    payload: jsonb("payload").notNull(),
    // The company the event concerns; null for events no customer may see. A company's endpoints
    // only ever receive events with their own company_id.
    companyId: uuid("company_id").references(() => companies.id, { onDelete: "restrict" }),
    occurredAt: timestamp("occurred_at", { withTimezone: true }).notNull().defaultNow(),
    relayedAt: timestamp("relayed_at", { withTimezone: true }),
    // When the notifier fanned the event out (in-app notifications, mails); null while it waits.
    notifiedAt: timestamp("notified_at", { withTimezone: true }),
  },
  (t) => [
    index("outbox_events_unrelayed_idx").on(t.occurredAt).where(sql`${t.relayedAt} is null`),
    index("outbox_events_unnotified_idx").on(t.occurredAt, t.id).where(sql`${t.notifiedAt} is null`),
    index("outbox_events_company_id_idx").on(t.companyId, t.occurredAt),
    check("outbox_events_type_check", sql`${t.type} ~ '^[a-z_]+\\.[a-z_]+$'`),
  ],
);

export type OutboxEvent = typeof outboxEvents.$inferSelect;
export type NewOutboxEvent = typeof outboxEvents.$inferInsert;

// Endpoints registered by a customer admin (company_id set: that company's events only) or by an
// admin (company_id null: staff endpoint, every company's events). The secret signs deliveries per
// Standard Webhooks (whsec_ + base64 of 32 random bytes); it must be readable to sign, so it is never
// selected by list queries and is shown to its owner once, at creation.
export const webhookEndpoints = pgTable(
  "webhook_endpoints",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    companyId: uuid("company_id").references(() => companies.id, { onDelete: "cascade" }),
    url: text("url").notNull(),
    description: text("description").notNull().default(""),
    eventTypes: text("event_types").array().notNull(),
    secret: text("secret").notNull(),
    enabled: boolean("enabled").notNull().default(true),
    // Consecutive failed attempts (any event) and when the first of them happened; a success resets both.
    failureCount: integer("failure_count").notNull().default(0),
    firstFailureAt: timestamp("first_failure_at", { withTimezone: true }),
    disabledAt: timestamp("disabled_at", { withTimezone: true }),
    disabledReason: text("disabled_reason"),
    createdBy: uuid("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("webhook_endpoints_company_id_idx").on(t.companyId),
    index("webhook_endpoints_created_by_idx").on(t.createdBy),
    check("webhook_endpoints_url_check", sql`${t.url} ~ '^https?://' and length(${t.url}) <= 2000`),
    check("webhook_endpoints_secret_check", sql`${t.secret} ~ '^whsec_[A-Za-z0-9+/=]{24,}$'`),
    check("webhook_endpoints_event_types_check", sql`cardinality(${t.eventTypes}) between 1 and 50`),
    check("webhook_endpoints_failure_count_check", sql`${t.failureCount} >= 0`),
    check("webhook_endpoints_disabled_check", sql`(${t.disabledAt} is null) = (${t.disabledReason} is null) and (${t.disabledAt} is null or not ${t.enabled})`),
  ],
);

export type WebhookEndpoint = typeof webhookEndpoints.$inferSelect;
export type NewWebhookEndpoint = typeof webhookEndpoints.$inferInsert;

// One row per delivery attempt (the delivery log): what was sent where, what came back, how long it
// took, and when the queue will try again (null when it will not: delivered, or out of retries).
export const webhookDeliveries = pgTable(
  "webhook_deliveries",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    endpointId: uuid("endpoint_id")
      .notNull()
      .references(() => webhookEndpoints.id, { onDelete: "cascade" }),
    eventId: uuid("event_id")
      .notNull()
      .references(() => outboxEvents.id, { onDelete: "cascade" }),
    attempt: integer("attempt").notNull(),
    succeeded: boolean("succeeded").notNull(),
    statusCode: integer("status_code"),
    error: text("error"),
    durationMs: integer("duration_ms").notNull(),
    responseExcerpt: text("response_excerpt"),
    attemptedAt: timestamp("attempted_at", { withTimezone: true }).notNull().defaultNow(),
    nextAttemptAt: timestamp("next_attempt_at", { withTimezone: true }),
    manual: boolean("manual").notNull().default(false),
  },
  (t) => [
    index("webhook_deliveries_endpoint_id_idx").on(t.endpointId, t.attemptedAt),
    index("webhook_deliveries_event_id_idx").on(t.eventId),
    check("webhook_deliveries_attempt_check", sql`${t.attempt} >= 1`),
    check("webhook_deliveries_status_code_check", sql`${t.statusCode} is null or ${t.statusCode} between 100 and 599`),
    check("webhook_deliveries_duration_check", sql`${t.durationMs} >= 0`),
  ],
);

export type WebhookDelivery = typeof webhookDeliveries.$inferSelect;
